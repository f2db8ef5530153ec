"""Gunicorn's configuration for production: ``gunicorn -c python:sambang.config.gunicorn``.

Each setting can be changed from the environment (Gunicorn also reads
``GUNICORN_CMD_ARGS``). Threads let one process overlap requests that wait on the
database; recycling processes after a number of requests keeps memory flat.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "sambang.config.wsgi:application"
bind = os.environ.get("SAMBANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("SAMBANG_THREADS", "4"))
timeout = int(os.environ.get("SAMBANG_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 5_000
max_requests_jitter = 500
# No control socket: it lives in the home folder, shared by every Gunicorn of the user.
control_socket_disable = True
# Requests are logged by the application (JSON, sambang.core.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
# The proxy in front sets X-Forwarded-*; trust it only from where it runs.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Gunicorn's own messages in the same JSON lines as the application's (LOG_FORMAT=json).
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
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
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}
        },
    }
