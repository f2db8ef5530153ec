"""Real-browser tests: Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread


# The test database is SQLite in memory, one connection that the live server's threads
# would share: pages that fetch several things at once (the map) would use it from two
# threads at the same moment. The live server answers one request at a time instead.
# (A file or PostgreSQL database, as in the demo and production, has no such limit.)
class _OneRequestAtATime(WSGIServer):
    """Answers in the server thread, which holds the shared connection (and, not being a
    threading server, closes each HTTP connection: no idle keep-alive blocks the next)."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def finish_request(self, request: Any, client_address: Any) -> None:
        super().finish_request(request, client_address)
        connections.close_all()  # as the threading server does (a no-op for in-memory SQLite)


LiveServerThread.server_class = cast(Any, _OneRequestAtATime)

CHROMIUM = os.environ.get("SAMBANG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a machine without internet access, running as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does as root)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make to set up data are still synchronous and safe here. Only for this module's
    # tests: subprocess tests elsewhere inherit the environment.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
