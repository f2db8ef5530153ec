"""The production HTTP server: ``python -m sambang.config.server``.

Granian (its HTTP in Rust, the app through WSGI): on the report ingest benchmark it spent
less CPU per report than Gunicorn's threaded workers (0–32% in four runs), for the same
app, with a shorter tail at 32 clients (BENCHMARKS.md, "report ingest: the production
server"). Each setting can be changed from the environment:

- ``SAMBANG_BIND`` (``127.0.0.1:8000``): the address to serve on;
- ``WEB_CONCURRENCY`` (one per core): worker processes;
- ``SAMBANG_THREADS`` (4): threads per process running the app, so that a process
  overlaps requests that wait on the database;
- ``SAMBANG_WORKER_MAX_RSS_MB`` (512): a process whose memory stays above this is
  replaced (gracefully, after its requests), so that memory stays flat;
- ``LOG_FORMAT`` (``json``): the server's own messages as the app's JSON lines.

Requests are logged by the application (``sambang.core.middleware.RequestLogMiddleware``),
not by the server. The proxy in front sets ``X-Forwarded-Proto`` (read by Django's
``SECURE_PROXY_SSL_HEADER``) and ``X-Forwarded-For`` (``sambang.core.addresses``).
"""

from __future__ import annotations

import os
from typing import Any

from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server import MPServer

WSGI_APP = "sambang.config.wsgi:application"
GRACEFUL_TIMEOUT_S = 30
# How often a process's memory is read, and how many readings in a row over the limit
# replace it (a peak of one large upload does not).
RSS_SAMPLE_INTERVAL_S = 30
RSS_SAMPLES = 3


def _logging() -> dict[str, Any] | None:
    if os.environ.get("LOG_FORMAT", "json") != "json":
        return None
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["levelname", "name", "message", "process"],
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def server() -> MPServer:
    """Granian with worker processes (its choice on a Python with the GIL)."""
    host, _, port = os.environ.get("SAMBANG_BIND", "127.0.0.1:8000").rpartition(":")
    return MPServer(
        WSGI_APP,
        address=host,
        port=int(port),
        interface=Interfaces.WSGI,
        workers=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1)),
        blocking_threads=int(os.environ.get("SAMBANG_THREADS", "4")),
        websockets=False,
        log_level=LogLevels.info,
        log_dictconfig=_logging(),
        log_access=False,
        respawn_failed_workers=True,
        workers_max_rss=int(os.environ.get("SAMBANG_WORKER_MAX_RSS_MB", "512")),
        rss_sample_interval=RSS_SAMPLE_INTERVAL_S,
        rss_samples=RSS_SAMPLES,
        workers_kill_timeout=GRACEFUL_TIMEOUT_S,
    )


if __name__ == "__main__":
    server().serve()
