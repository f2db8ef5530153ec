"""Enrolling an authenticator takes a one-time link from an administrator or the supervisor
above, and the account's password: the password alone never enrols one (issue 18.1)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sambang.accounts.models import Activation
from sambang.accounts.tests.test_signin import (
    PASSWORD,
    PRODUCTION_TWO_FACTOR,
    code_for,
    sign_in,
    signed_in,
)
from sambang.audit.models import AuditEvent
from sambang.personnel.models import Role, User
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_settings(settings: Any) -> None:
    """Production's second-factor roles, outside the demo, without django-otp's delay
    after a wrong code (not what these tests are about)."""
    for name, value in PRODUCTION_TWO_FACTOR.options.items():
        setattr(settings, name, value)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def admin_client(world: World) -> Client:
    admin = world.users[Role.ADMIN]
    admin.is_superuser = True
    admin.save()
    TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(admin)
    return client


def printed_code(html: str) -> str:
    codes = list(dict.fromkeys(CODE.findall(html)))
    assert len(codes) == 1, codes
    return codes[0]


def enrol(link: str, **data: str) -> Any:
    return Client().post(f"/accounts/activate/{link}/", data)


def test_an_administrators_reset_issues_a_one_time_link_that_needs_the_password_too(
    world: World,
) -> None:
    polres = world.users[Role.POLRES]
    lost = TOTPDevice.objects.create(user=polres, name="authenticator", confirmed=True)
    admin = admin_client(world)
    reset = admin.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert reset.status_code == 200
    code = printed_code(reset.content.decode())
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    activation = Activation.objects.get(user=polres)
    assert (activation.purpose, activation.created_by) == ("enrol", world.users[Role.ADMIN])
    assert code.replace("-", "") not in activation.digest
    # The password alone: told to ask for a link, no secret, no session.
    thief = Client()
    assert sign_in(thief, polres.username).status_code == 403 and not signed_in(thief)
    assert not TOTPDevice.objects.filter(user=polres).exists()
    # The link alone: a secret to scan, but nothing without the account's password.
    page = Client().get(f"/accounts/activate/{code}/").content.decode()
    assert 'class="secret"' in page and polres.username in page
    device = TOTPDevice.objects.get(user=polres, confirmed=False)
    wrong = enrol(code, password="not the password at all", code=code_for(device))
    assert wrong.status_code == 400 and "not this account" in wrong.content.decode()
    assert enrol(code, password=PASSWORD, code="000000").status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    # Both: the authenticator is set up, the link is spent.
    done = enrol(code, password=PASSWORD, code=code_for(device))
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    device.refresh_from_db()
    assert device.confirmed
    assert enrol(code, password=PASSWORD, code=code_for(device, drift=1)).status_code == 404
    owner = Client()
    assert sign_in(owner, polres.username)["Location"] == "/accounts/login/code/"
    owner.post("/accounts/login/code/", {"code": code_for(device, drift=1)})
    assert signed_in(owner)
    issued = AuditEvent.objects.get(detail__change="enrolment_issued")
    assert (issued.user, issued.detail["account"]) == (world.users[Role.ADMIN], polres.username)
    assert AuditEvent.objects.get(detail__change="two_factor_enrolled").user == polres
    removed = AuditEvent.objects.get(detail__change="two_factor_reset")
    assert (removed.action, removed.user, removed.detail["account"]) == (
        "delete",
        world.users[Role.ADMIN],
        polres.username,
    )


def test_an_enrolment_link_expires_and_a_newer_one_replaces_it(world: World) -> None:
    out = io.StringIO()
    polsek = world.users[Role.POLSEK]
    call_command("accounts", "enrol", polsek.username, "--as", "user-polres", stdout=out)
    first = printed_code(out.getvalue())
    out = io.StringIO()
    call_command("accounts", "enrol", polsek.username, "--as", "user-polres", stdout=out)
    second = printed_code(out.getvalue())
    assert Client().get(f"/accounts/activate/{first}/").status_code == 404
    assert Client().get(f"/accounts/activate/{second}/").status_code == 200
    Activation.objects.filter(user=polsek).update(expires_at=timezone.now() - dt.timedelta(1))
    assert Client().get(f"/accounts/activate/{second}/").status_code == 404
    device = TOTPDevice.objects.get(user=polsek, confirmed=False)
    assert enrol(second, password=PASSWORD, code=code_for(device)).status_code == 404
    device.refresh_from_db()
    assert not device.confirmed


def test_only_an_administrator_or_a_supervisor_above_issues_one_and_never_for_themselves(
    world: World,
) -> None:
    for username, acting in [
        ("user-polres", "user-polres"),  # oneself
        ("user-polres", "user-polsek"),  # a supervisor below
        ("user-polda", "user-polres"),  # above
        ("user-national", "user-polda"),  # national accounts: administrators only
        ("user-officer", "user-officer"),
    ]:
        with pytest.raises(CommandError):
            call_command("accounts", "enrol", username, "--as", acting, stdout=io.StringIO())
    assert not Activation.objects.exists()
    # In the admin, an administrator does not reset his own authenticator.
    admin = admin_client(world)
    own = TOTPDevice.objects.get(user=world.users[Role.ADMIN])
    assert (
        admin.post(f"/admin/otp_totp/totpdevice/{own.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert TOTPDevice.objects.filter(pk=own.pk).exists()
    # Nor adds one with a key he chose, for anyone.
    assert admin.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_the_admin_action_issues_links_to_accounts_without_an_authenticator(world: World) -> None:
    admin = admin_client(world)
    national = world.users[Role.NATIONAL]
    response = admin.post(
        "/admin/personnel/user/",
        {
            "action": "issue_enrolment_links",
            "_selected_action": [national.pk, world.users[Role.ADMIN].pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    code = printed_code(html)  # one: the administrator's own account is refused
    assert Activation.objects.get().user == national
    device_page = Client().get(f"/accounts/activate/{code}/")
    assert device_page.status_code == 200
    device = TOTPDevice.objects.get(user=national, confirmed=False)
    assert enrol(code, password=PASSWORD, code=code_for(device)).status_code == 302
    assert TOTPDevice.objects.get(user=national).confirmed


@override_settings(DEMO_MODE=True)
def test_demo_accounts_keep_signing_in_without_an_authenticator(world: World) -> None:
    User.objects.create_user(
        username="demo-polres",
        password=PASSWORD,
        role=Role.POLRES,
        unit=world.units["polres_a1"],
        is_demo=True,
    )
    client = Client()
    assert sign_in(client, "demo-polres").status_code == 302
    assert signed_in(client)


def test_a_supervisor_issues_enrolment_links_only_below_from_the_page(world: World) -> None:
    polres_user = world.users[Role.POLRES]
    TOTPDevice.objects.create(user=world.users[Role.POLDA], name="authenticator", confirmed=True)
    other_polsek = User.objects.create_user(
        username="kapolsek-a1b", password=PASSWORD, role=Role.POLSEK, unit=world.units["polsek_a1b"]
    )
    User.objects.create_user(
        username="kapolsek-b1a", password=PASSWORD, role=Role.POLSEK, unit=world.units["polsek_b1a"]
    )
    polres = Client()
    polres.force_login(polres_user)
    page = polres.get("/accounts/logins/accounts/")
    assert page.status_code == 200
    listed = set(re.findall(r"/accounts/logins/accounts/([^/]+)/enrolment/", page.content.decode()))
    # The Polsek accounts below; not the reader's own, its parent's, or another tree's.
    assert listed == {"user-polsek", "kapolsek-a1b"}
    assert polres.get("/accounts/logins/accounts/?q=a1b").content.decode().count("/enrolment/") == 1
    for outside in ("user-polres", "user-polda", "kapolsek-b1a", "user-officer", "user-admin"):
        refused = polres.post(f"/accounts/logins/accounts/{outside}/enrolment/")
        assert refused.status_code == 404, outside
    assert not Activation.objects.exists()
    # Issued: printed once, it enrols with the holder's own password; the issue is audited.
    issued = polres.post(f"/accounts/logins/accounts/{other_polsek.username}/enrolment/")
    assert issued.status_code == 200
    code = printed_code(issued.content.decode())
    assert "a link is waiting" in polres.get("/accounts/logins/accounts/").content.decode()
    assert Client().get(f"/accounts/activate/{code}/").status_code == 200
    device = TOTPDevice.objects.get(user=other_polsek, confirmed=False)
    assert enrol(code, password=PASSWORD, code=code_for(device)).status_code == 302
    event = AuditEvent.objects.get(detail__change="enrolment_issued")
    assert (event.user, event.detail["account"]) == (polres_user, other_polsek.username)
    # Once set up, the list says so, and only the accounts without one are left on request.
    without = polres.get("/accounts/logins/accounts/?without=1").content.decode()
    assert "/accounts/logins/accounts/kapolsek-a1b/" not in without
    assert "/accounts/logins/accounts/user-polsek/" in without
    # An officer has no such page.
    officer = Client()
    officer.force_login(world.users[Role.OFFICER])
    assert officer.get("/accounts/logins/accounts/").status_code == 403


def test_the_api_issues_an_enrolment_link_only_below_the_caller(world: World) -> None:
    from rest_framework.test import APIClient

    polda = APIClient()
    polda.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLDA]}")
    for outside in ("user-polda", "user-national", "user-admin", "user-officer", "nobody-at-all"):
        answer = polda.post(f"/api/v1/accounts/{outside}/enrolment")
        assert answer.status_code == 404, outside
    answer = polda.post("/api/v1/accounts/user-polres/enrolment")
    assert answer.status_code == 201
    body = answer.json()
    assert body["username"] == "user-polres" and body["url"].endswith(f"/{body['code']}/")
    activation = Activation.objects.get()
    assert (activation.user, activation.purpose) == (world.users[Role.POLRES], "enrol")
    # A second one replaces the first.
    second = polda.post("/api/v1/accounts/user-polres/enrolment").json()
    assert Client().get(f"/accounts/activate/{body['code']}/").status_code == 404
    assert Client().get(f"/accounts/activate/{second['code']}/").status_code == 200
    officer = APIClient()
    officer.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    assert officer.post("/api/v1/accounts/user-polsek/enrolment").status_code == 403
