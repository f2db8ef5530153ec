"""Production settings refuse unsafe configuration and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

STRONG_SECRET = "x7Jq2v9LmZ4tR8wK1pN6yB3cF5hD0gS2aQ9eU7iO4rT1lV8mX3zC6nW5bY2kH0jG"


def sambang(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "CACHE_URL", "SAMBANG_DEMO")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="sambang.config.settings.production")
    return subprocess.run(
        [sys.executable, "-m", "sambang", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_default_secret_key() -> None:
    result = sambang("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug() -> None:
    result = sambang("check", SECRET_KEY=STRONG_SECRET, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_demo_mode() -> None:
    result = sambang("check", SECRET_KEY=STRONG_SECRET, SAMBANG_DEMO="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SAMBANG_DEMO must be off in production" in result.stderr


SHARED_CACHE = "redis://127.0.0.1:6379/1"


@pytest.mark.parametrize("extra", [{}, {"ALLOWED_HOSTS": "sambang.example.id"}])
def test_production_passes_the_deploy_checks(extra: dict[str, str]) -> None:
    result = sambang(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_SECRET,
        CACHE_URL=SHARED_CACHE,
        **extra,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_warns_when_rate_limits_would_not_be_shared_between_processes() -> None:
    result = sambang("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_SECRET)
    assert result.returncode != 0
    assert "sambang.W001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout
