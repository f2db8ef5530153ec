"""Password reset by e-mail, without telling whether an account exists."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from sambang.personnel.models import Role
from sambang.testing.world import World


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def ask(client: Client, email: str, address: str = "10.0.0.1"):
    return client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_or_not_the_account_exists(world: World) -> None:
    user = world.users[Role.OFFICER]
    user.email = "bhabin@polri.example"
    user.save()
    known = ask(Client(), "bhabin@polri.example")
    unknown = ask(Client(), "nobody@polri.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    pages = [Client().get(answer["Location"]).content.decode() for answer in (known, unknown)]
    assert without_csrf(pages[0]) == without_csrf(pages[1])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bhabin@polri.example"]


@pytest.mark.django_db
def test_the_link_sets_a_new_password_once(world: World) -> None:
    user = world.users[Role.OFFICER]
    user.email = "bhabin@polri.example"
    user.save()
    ask(Client(), "bhabin@polri.example")
    link = re.search(r"http://testserver(\S+)", str(mail.outbox[0].body))
    assert link is not None
    client = Client()
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "kopi tubruk di pos ronda"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    again = Client().get(link.group(1), follow=True)
    assert "no longer valid" in again.content.decode()


@pytest.mark.django_db
def test_requests_from_one_address_are_limited_without_saying_so(world: World) -> None:
    user = world.users[Role.OFFICER]
    user.email = "bhabin@polri.example"
    user.save()
    answers = [ask(Client(), "bhabin@polri.example")["Location"] for _ in range(7)]
    assert len(set(answers)) == 1
    assert len(mail.outbox) == 5
    ask(Client(), "bhabin@polri.example", address="10.0.0.2")
    assert len(mail.outbox) == 6
