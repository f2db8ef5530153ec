"""Failed sign-ins hold back the address they come from, and delay the account a little
more each time; strangers cannot lock an owner out, and a new password unlocks at once."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from sambang.config.settings import base
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LIMIT = base.AXES_FAILURE_LIMIT
FREE = base.SAMBANG_LOGIN_FREE_FAILURES


class Clock:
    """``time.time`` moved by hand (the delay and the local-memory cache read it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = time.time()
        monkeypatch.setattr(time, "time", lambda: self.at)


def sign_in(client: Client, password: str = PASSWORD, username: str = "user-officer") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_strangers_on_many_addresses_cannot_lock_the_owner_out(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    owner = from_address("10.0.0.1")
    assert sign_in(owner).status_code == 302  # the owner's phone, known from now on
    owner.post("/accounts/logout/")
    # Ten wrong passwords from one address lock that address, for that account...
    stranger = from_address("198.51.100.7")
    answers = [sign_in(stranger, "wrong password").status_code for _ in range(LIMIT)]
    assert answers[-1] == 429
    assert int(sign_in(stranger).get("Retry-After", 0)) == base.AXES_COOLOFF_TIME.total_seconds()
    # ...not the account: its owner signs in on his own phone at once,
    assert sign_in(owner).status_code == 302
    owner.post("/accounts/logout/")
    # and strangers on many addresses keep failing, each try a little later.
    for attempt in range(2 * LIMIT):
        clock.at += 400
        assert sign_in(from_address(f"203.0.113.{attempt}"), "wrong").status_code == 200
    # A new device waits for the account's delay, never for the cool-off...
    elsewhere = from_address("10.0.0.2")
    delayed = sign_in(elsewhere)
    assert delayed.status_code == 429
    wait = int(delayed["Retry-After"])
    assert 0 < wait <= base.SAMBANG_LOGIN_MAX_DELAY_SECONDS
    assert "Try again in" in delayed.content.decode() and "seconds" in delayed.content.decode()
    # ...and the API's token endpoint is the same door.
    api = APIClient(REMOTE_ADDR="10.0.0.3")
    token = api.post("/api/v1/auth/token", {"username": "user-officer", "password": PASSWORD})
    assert token.status_code == 429 and token.json()["error"]["code"] == "locked_out"
    clock.at += wait
    assert sign_in(elsewhere).status_code == 302
    # The owner's phone was never held back.
    assert sign_in(owner).status_code == 302


def test_the_delay_grows_with_each_failure_and_a_refused_try_is_not_counted(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    waits: list[int] = []
    failures = 0
    while failures < FREE + 4:
        answer = sign_in(from_address(f"203.0.113.{len(waits) + failures}"), "wrong")
        if answer.status_code == 429:
            waits.append(int(answer["Retry-After"]))
            clock.at += waits[-1]
        else:
            assert answer.status_code == 200
            failures += 1
    assert waits == [2, 4, 8, 16]


def test_unknown_and_known_accounts_are_delayed_alike(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    answers = {}
    for username in ("user-officer", "nobody-by-this-name"):
        for attempt in range(FREE):
            sign_in(from_address(f"203.0.113.{attempt}"), "wrong", username=username)
        early = sign_in(from_address("192.0.2.9"), "wrong", username=username)
        answers[username] = (early.status_code, early.get("Retry-After"))
    assert answers["user-officer"] == answers["nobody-by-this-name"] == (429, "2")


def test_a_password_reset_by_email_unlocks_the_account_everywhere(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch)
    user = world.users[Role.OFFICER]
    user.email = "bhabin@example.id"
    user.save(update_fields=["email"])
    locked = from_address("198.51.100.8")
    for _ in range(LIMIT):
        sign_in(locked, "wrong")
    assert sign_in(locked).status_code == 429
    assert sign_in(from_address("10.1.1.1")).status_code == 429  # the delay, on a new device
    # The owner resets the password by e-mail...
    from_address("10.1.1.1").post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", str(mail.outbox[-1].body))
    assert link is not None
    reset = from_address("10.1.1.1")
    form = reset.get(link[0], follow=True)
    new = "kopi tubruk di pos ronda"
    done = reset.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    # ...and signs in at once, even from the address that was locked.
    assert sign_in(locked, new).status_code == 302
