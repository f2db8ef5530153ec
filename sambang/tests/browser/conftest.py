"""Real-browser tests: Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# The test database is SQLite in memory: one connection, which the live server's request
# threads share. Pages that fetch several things at once (the map, the service worker's
# cache) would use it from two threads at the same moment, so the application runs one
# request at a time (whole responses, streamed ones included). Connections are still
# accepted in threads: an idle socket the browser opens in advance blocks nothing.
# (A file or PostgreSQL database, as in the demo and production, has no such limit.)
_REQUESTS = threading.Lock()


class _OneRequestAtATime(ThreadedWSGIServer):
    def set_app(self, application: Any) -> None:
        def serialized(environ: Any, start_response: Any) -> list[bytes]:
            with _REQUESTS:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(serialized)


LiveServerThread.server_class = _OneRequestAtATime


@pytest.fixture(autouse=True)
def _server_quiet_between_tests() -> Iterator[None]:
    """Between tests the live server waits: the database is emptied for the next test while
    nothing else uses it (a service worker may still be fetching in the background)."""
    if _REQUESTS.locked():
        _REQUESTS.release()
    yield
    _REQUESTS.acquire()


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


@pytest.fixture(scope="session")
def _chromium(django_db_setup: None) -> Iterator[object]:
    """One Chromium per test process (xdist worker), started for its first browser test.
    (After the test database is set up, so stopped before it is dropped: while Playwright
    runs, Django refuses database calls outside the browser tests.)"""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(_chromium: object) -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make to set up data are still synchronous and safe here. Only for the browser tests:
    # subprocess tests elsewhere inherit the environment.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield _chromium
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
