"""The production stack starts as `make serve-prod` starts it: the server's worker processes
(``sambang.config.server``), collected and compressed static files with far-future caching,
JSON logs, health probes."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from .test_settings import STRONG_SECRET

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """Status, headers (read without regard to case, as HTTP's are) and body."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, response.headers, response.read()


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "CACHE_URL", "LOG_FORMAT", "STATIC_ROOT")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="sambang.config.settings.production",
        SECRET_KEY=STRONG_SECRET,
        SAMBANG_PLAIN_HTTP="1",
        SAMBANG_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        WEB_CONCURRENCY="2",
    )
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        done = subprocess.run(
            [str(BIN / "sambang"), *command],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    return environment


def test_the_server_serves_the_app_with_compressed_static_files_and_json_logs(
    production_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "sambang.config.server"],
            env={**production_env, "SAMBANG_BIND": f"127.0.0.1:{port}"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = fetch(f"{base}/readyz")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        assert (status, json.loads(body)) == (200, {"status": "ok"})

        status, _, page = fetch(f"{base}/accounts/login/")
        assert status == 200
        script = re.search(rb'src="(/static/sambang/app\.[0-9a-f]{12}\.js)"', page)
        assert script, "the page links the hashed file name"
        status, headers, body = fetch(
            f"{base}{script.group(1).decode()}", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert b"serviceWorker" in gzip.decompress(body)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "sambang.request"]
    assert {"path": "/readyz", "status": 200, "method": "GET"}.items() <= requests[0].items()
    assert all(re.match(r"\d{4}-\d\d-\d\dT.*\+00:00$", line["time"]) for line in lines)
    assert sum("Spawning worker" in line["message"] for line in lines) == 2
