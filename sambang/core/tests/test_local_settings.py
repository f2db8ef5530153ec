"""The settings `make demo` runs with serve pages (and their static files) as they are."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path


def test_the_demo_settings_serve_the_login_page_and_its_styles(tmp_path: Path) -> None:
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client();"
        "page = c.get('/accounts/login/');"
        "css = c.get('/static/sambang/sambang.css');"
        "print(page.status_code, css.status_code, page.content.decode().count('sambang.css'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sambang.config.settings.local",
        "SAMBANG_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "1"]


def test_the_demo_server_prints_each_log_line_once(tmp_path: Path) -> None:
    """What ``make demo`` shows: the development server's lines and Django's own warnings,
    each once (Django's default handler and ours both printed them)."""
    import socket
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sambang.config.settings.local",
        "SAMBANG_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "-m", "sambang"]
    subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.extend(server.stdout or []), daemon=True)
    reader.start()

    def shown(text: str) -> bool:
        return any(text in line for line in list(printed))

    try:
        # A busy machine (CI beside other work) may take a while to start the server.
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "".join(printed)
                assert time.monotonic() < deadline, "the server did not start in 90 s"
                time.sleep(0.2)
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page", timeout=5)
        # The server logs a request after answering it: wait for its line, then a moment
        # more, for a second copy of it to show.
        deadline = time.monotonic() + 30
        while not shown("GET /no-such-page") and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
        reader.join(timeout=5)
    output = "".join(printed)
    lines = [line for line in output.splitlines() if "no-such-page" in line]
    assert len([line for line in lines if "Not Found" in line]) == 1, output
    assert len([line for line in lines if "GET /no-such-page" in line]) == 1, output
