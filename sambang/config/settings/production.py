"""Production settings: refuse to start when the configuration is unsafe.

The app runs under Granian (``sambang/config/server.py``) behind a TLS-terminating
proxy, on PostgreSQL, with a shared cache (Redis) and media in an S3-compatible bucket;
see the README's deployment guide.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DEBUG,
    DEMO_MODE,
    INSECURE_DEFAULT_SECRET_KEY,
    LOGGING,
    MIDDLEWARE,
    SECRET_KEY,
    env,
)

if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if DEMO_MODE:
    # Demo accounts sign in with a password printed in the README and by ``sambang demo``.
    raise ImproperlyConfigured(
        "SAMBANG_DEMO must be off in production: demo accounts share a published password. "
        "Unset SAMBANG_DEMO, or run the demo with the local settings (make demo)."
    )

# One JSON object per log line, and one line per request.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # type: ignore[index]
MIDDLEWARE = ["sambang.core.middleware.RequestLogMiddleware", *MIDDLEWARE]

# `make serve-prod` runs the production stack on this machine over plain HTTP on loopback
# (SAMBANG_PLAIN_HTTP=1); a real deployment terminates TLS in front of the app.
PLAIN_HTTP = env.bool("SAMBANG_PLAIN_HTTP", default=False)
if PLAIN_HTTP:  # the deploy checks' HTTPS warnings do not apply to loopback
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not PLAIN_HTTP)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = not PLAIN_HTTP
CSRF_COOKIE_SECURE = not PLAIN_HTTP
