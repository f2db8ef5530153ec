from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_without_login(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_is_migrated(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_names_the_migrations_not_applied(client: Client) -> None:
    MigrationRecorder.Migration.objects.filter(app="personnel").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "personnel.0001_create_users_officers_assignments" in body["reason"]


def test_readyz_says_when_the_database_is_unreachable(tmp_path: object) -> None:
    # A real server process setting, pointed at a port where no database listens.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(r.status_code, r.json()['reason'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sambang.config.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("503 database unreachable")
