"""Settings for the test suite: the local settings, with fast hashing and English."""

from __future__ import annotations

from .base import DATABASES, env
from .local import *  # noqa: F403

DEBUG = False
# The weeks of the tests are small (the benchmark sets the production value).
SAMBANG_WEEK_ROUTE_SECONDS = env.float("SAMBANG_WEEK_ROUTE_SECONDS", default=0.1)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test client loads the middleware anew; WhiteNoise would then list every static file
# through the finders each time (a third of a request-heavy test). Looked up per request
# instead, as with DEBUG on.
WHITENOISE_AUTOREFRESH = True
LANGUAGE_CODE = "en"

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Transactional tests empty every table with TRUNCATE (Django's flush); the audit log
    # refuses it unless the session allows it (audit migration 0003, audit/truncate.py).
    DATABASES["default"]["OPTIONS"]["options"] = "-c sambang.allow_audit_truncate=on"
