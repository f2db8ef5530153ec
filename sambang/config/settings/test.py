"""Settings for the test suite: fast hashing, plain static storage."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "en"
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
