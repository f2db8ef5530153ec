"""Setting push up: the key pair command, the demo's own pair, the start-up check, and
nothing queued while push is off."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from sambang.notifications.checks import vapid_keys
from sambang.notifications.keys import demo_key_pair, key_pair_problem, new_key_pair
from sambang.personnel.models import Role
from sambang.testing.world import World

from .conftest import SUBJECT


def test_the_command_prints_a_key_pair_that_signs() -> None:
    out = io.StringIO()
    call_command("notifications", "vapid-keys", stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    public, private = values["SAMBANG_VAPID_PUBLIC_KEY"], values["SAMBANG_VAPID_PRIVATE_KEY"]
    assert key_pair_problem(public, private) is None
    assert len(public) == 87 and len(private) == 43  # 65 and 32 bytes, base64url
    assert key_pair_problem(new_key_pair()[0], private) is not None


def test_the_demo_makes_its_pair_once_and_keeps_it_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "vapid-demo.json"
    first = demo_key_pair(path)
    assert demo_key_pair(path) == first
    assert key_pair_problem(*first) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_keys_that_cannot_sign_are_reported_at_start(settings: Any) -> None:
    settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_PRIVATE_KEY = "", ""
    assert vapid_keys() == []  # off: nothing to say
    public, private = new_key_pair()
    settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_PRIVATE_KEY = public, private
    settings.SAMBANG_VAPID_SUBJECT = ""
    assert [m.id for m in vapid_keys()] == ["sambang.W101"]
    settings.SAMBANG_VAPID_SUBJECT = SUBJECT
    assert vapid_keys() == []
    settings.SAMBANG_VAPID_PUBLIC_KEY = new_key_pair()[0]
    assert [m.id for m in vapid_keys()] == ["sambang.E101"]


@pytest.mark.django_db
def test_nothing_is_queued_while_push_is_off(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SAMBANG_VAPID_PUBLIC_KEY = settings.SAMBANG_VAPID_PRIVATE_KEY = ""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    with django_capture_on_commit_callbacks(execute=True):
        issued = client.post(
            "/api/v1/directives/",
            {"unit": world.units["polres_a1"].code, "title": "Apel", "body": "Apel pagi."},
            format="json",
        )
    assert issued.status_code == 201
    assert not DBTaskResult.objects.exists()
    settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_PRIVATE_KEY = new_key_pair()
    settings.SAMBANG_VAPID_SUBJECT = SUBJECT
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/directives/",
            {"unit": world.units["polres_a1"].code, "title": "Apel", "body": "Apel sore."},
            format="json",
        )
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "sambang.notifications.tasks.send_event"
