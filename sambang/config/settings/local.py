"""Settings for a developer's machine and the demo: SQLite by default, DEBUG on."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = env.bool("DEBUG", default=True)

# Static files come straight from the apps (WhiteNoise finders); no collectstatic needed.
STATIC_ROOT = env.str("STATIC_ROOT", default="") or None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
