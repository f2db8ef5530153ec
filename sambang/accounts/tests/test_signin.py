"""Signing in: Argon2 hashes, password strength, lock-out, two-factor, session expiry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sambang.config.settings import base
from sambang.personnel.models import Role
from sambang.testing.world import World

PASSWORD = "correct horse battery staple"
# django-otp delays the next try after a wrong code (1 s, 2 s, 4 s…); tests that are not
# about that delay do without it.
no_code_delay = override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
# The account's delay after failures (test_lockout.py) left out of tests of the locks.
no_account_delay = override_settings(SAMBANG_LOGIN_FREE_FAILURES=1000)
LIMIT = base.AXES_FAILURE_LIMIT


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, drift=drift):06d}"


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2id(world: World, client: Client) -> None:
    client.force_login(world.users[Role.OFFICER])
    # The test settings hash with MD5 for speed; production's list, plus that, to verify.
    hashers = [*base.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=hashers):
        response = client.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "kopi tubruk di pos ronda",
                "new_password2": "kopi tubruk di pos ronda",
            },
        )
    assert response.status_code == 302
    world.users[Role.OFFICER].refresh_from_db()
    assert world.users[Role.OFFICER].password.startswith("argon2$argon2id$")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("weak", "why"),
    [
        ("bhabin123", "too short"),
        ("1234567890123", "entirely numeric"),
        ("password1234", "too common"),
        ("user-officer", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    world: World, client: Client, weak: str, why: str
) -> None:
    client.force_login(world.users[Role.OFFICER])
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert why in response.content.decode()
    world.users[Role.OFFICER].refresh_from_db()
    assert world.users[Role.OFFICER].check_password(PASSWORD)


@no_account_delay
@pytest.mark.django_db
def test_an_account_is_locked_after_repeated_failures_and_says_so(
    world: World, client: Client
) -> None:
    for _attempt in range(LIMIT - 1):
        assert sign_in(client, "user-officer", "wrong password").status_code == 200
    assert sign_in(client, "user-officer", "wrong password").status_code == 429
    # Even the right password is refused while locked, with when to come back.
    response = sign_in(client, "user-officer")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == base.AXES_COOLOFF_TIME.total_seconds()
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)
    # Locked for this account from this address only: strangers cannot lock an owner out
    # (test_lockout.py), and the owner elsewhere signs in.
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert sign_in(elsewhere, "user-officer").status_code == 302
    # The API's token endpoint is the same door.
    api = APIClient()  # from the locked address
    answer = api.post("/api/v1/auth/token", {"username": "user-officer", "password": PASSWORD})
    assert answer.status_code == 429
    assert answer.json()["error"]["code"] == "locked_out"
    assert "Retry-After" in answer


@pytest.mark.django_db
def test_an_address_is_locked_after_failures_on_many_accounts(world: World, client: Client) -> None:
    for attempt in range(LIMIT):
        sign_in(client, f"guess-{attempt}", "wrong password", REMOTE_ADDR="10.1.1.1")
    response = sign_in(client, "user-officer", REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    # The account itself is not locked: from another address it signs in.
    assert sign_in(Client(), "user-officer", REMOTE_ADDR="10.2.2.2").status_code == 302


@no_account_delay
@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(world: World, client: Client) -> None:
    from axes.models import AccessAttempt

    for _attempt in range(LIMIT):
        sign_in(client, "user-officer", "wrong password")
    assert sign_in(client, "user-officer").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - base.AXES_COOLOFF_TIME)
    assert sign_in(client, "user-officer").status_code == 302
    assert signed_in(client)


@no_account_delay
@pytest.mark.django_db
def test_failures_below_the_limit_are_forgotten_after_a_success(
    world: World, client: Client
) -> None:
    for _round in range(2):
        for _attempt in range(LIMIT - 1):
            sign_in(client, "user-officer", "wrong password")
        assert sign_in(client, "user-officer").status_code == 302
        client.post("/accounts/logout/")


# The roles production requires a second factor of (base settings' default).
PRODUCTION_TWO_FACTOR = override_settings(
    SAMBANG_TWO_FACTOR_ROLES=["polsek", "polres", "polda", "national", "admin"], DEMO_MODE=False
)


@PRODUCTION_TWO_FACTOR
@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL, Role.ADMIN])
def test_the_password_alone_neither_signs_in_nor_enrols_an_authenticator(
    world: World, client: Client, role: str
) -> None:
    """Issue 18.1: an account whose role requires a second factor and has none (new, or
    reset) was shown a fresh secret after the password step: the thief enrolled it."""
    response = sign_in(client, f"user-{role}")
    assert response.status_code == 403
    page = response.content.decode()
    assert "enrolment link" in page
    assert 'class="secret"' not in page and "<svg" not in page
    assert not signed_in(client)
    assert not TOTPDevice.objects.filter(user=world.users[role]).exists()
    # Nor by going on to the code step, nor on the security page, nor through the API.
    later = client.get("/accounts/login/code/")
    assert later.status_code == 302 and not signed_in(client)
    assert client.post("/accounts/login/code/", {"code": "123456"}).status_code == 302
    api = APIClient().post("/api/v1/auth/token", {"username": f"user-{role}", "password": PASSWORD})
    assert api.status_code == 403 and "enrolment link" in api.json()["error"]["message"]
    assert not TOTPDevice.objects.filter(user=world.users[role]).exists()


@PRODUCTION_TWO_FACTOR
@pytest.mark.django_db
def test_a_session_without_an_authenticator_gets_no_secret_where_the_role_requires_one(
    world: World, client: Client
) -> None:
    """A session of such an account (its authenticator removed meanwhile) cannot enrol one
    on the security page either; an officer, whose role leaves it optional, can."""
    client.force_login(world.users[Role.POLRES])
    page = client.get("/accounts/security/").content.decode()
    assert 'class="secret"' not in page and "enrolment link" in page
    client.post("/accounts/security/two-factor/on/", {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=world.users[Role.POLRES]).exists()


@no_code_delay
@pytest.mark.django_db
def test_a_second_sign_in_asks_for_the_code_and_refuses_a_replayed_one(
    world: World, client: Client
) -> None:
    user = world.users[Role.POLRES]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, "user-polres")
    used = code_for(device)
    assert client.post("/accounts/login/code/", {"code": used}).status_code == 302
    other = Client()
    sign_in(other, "user-polres")
    page = other.post("/accounts/login/code/", {"code": used})
    assert page.status_code == 200 and "not right" in page.content.decode()
    assert not signed_in(other)
    assert (
        other.post("/accounts/login/code/", {"code": code_for(device, drift=1)}).status_code == 302
    )
    assert signed_in(other)


@pytest.mark.django_db
def test_guessing_codes_is_slowed_down(world: World, client: Client) -> None:
    device = TOTPDevice.objects.create(user=world.users[Role.POLRES], name="phone", confirmed=True)
    sign_in(client, "user-polres")
    for wrong in ("111111", "222222", "333333"):
        client.post("/accounts/login/code/", {"code": wrong})
    # Now even the right code waits for the back-off to pass.
    page = client.post("/accounts/login/code/", {"code": code_for(device)})
    assert "Too many wrong codes" in page.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_code_step_expires(world: World, client: Client) -> None:
    TOTPDevice.objects.create(user=world.users[Role.POLRES], name="phone", confirmed=True)
    sign_in(client, "user-polres")
    session = client.session
    session["accounts.pending_login"]["at"] -= 301
    session.save()
    response = client.get("/accounts/login/code/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


@no_code_delay
@pytest.mark.django_db
def test_officers_sign_in_with_the_password_and_may_turn_two_factor_on(
    world: World, client: Client
) -> None:
    assert sign_in(client, "user-officer").status_code == 302
    assert signed_in(client)
    page = client.get("/accounts/security/").content.decode()
    assert "Turn on" in page
    device = TOTPDevice.objects.get(user=world.users[Role.OFFICER], confirmed=False)
    client.post("/accounts/security/two-factor/on/", {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.post("/accounts/logout/")
    assert sign_in(client, "user-officer")["Location"] == "/accounts/login/code/"
    # Turning it off takes a current code.
    client.post("/accounts/login/code/", {"code": code_for(device, drift=1)})
    client.post("/accounts/security/two-factor/off/", {"code": "000000"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.django_db
def test_supervisors_cannot_turn_two_factor_off(world: World, client: Client) -> None:
    device = TOTPDevice.objects.create(user=world.users[Role.POLSEK], name="phone", confirmed=True)
    client.force_login(world.users[Role.POLSEK])
    client.post("/accounts/security/two-factor/off/", {"code": code_for(device)})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.django_db
def test_the_admin_site_signs_in_through_the_same_door(world: World, client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    sign_in(client, "user-admin")
    assert client.get("/admin/").status_code == 302  # no session before the code


@no_code_delay
@pytest.mark.django_db
def test_api_tokens_need_the_code_where_two_factor_is_on(world: World) -> None:
    api = APIClient()
    credentials = {"username": "user-polres", "password": PASSWORD}
    refused = api.post("/api/v1/auth/token", credentials)
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["error"]["message"]
    device = TOTPDevice.objects.create(user=world.users[Role.POLRES], name="phone", confirmed=True)
    missing = api.post("/api/v1/auth/token", credentials)
    assert missing.status_code == 400 and "otp" in missing.json()["error"]["fields"]
    wrong = api.post("/api/v1/auth/token", {**credentials, "otp": "000000"})
    assert wrong.status_code == 400 and "otp" in wrong.json()["error"]["fields"]
    issued = api.post("/api/v1/auth/token", {**credentials, "otp": code_for(device)})
    assert issued.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert api.get("/api/v1/me").json()["role"] == "polres"


@pytest.mark.django_db
def test_sessions_expire(world: World, client: Client) -> None:
    response = sign_in(client, "user-officer")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == base.SESSION_COOKIE_AGE <= 12 * 3600
    assert cookie["httponly"]
    assert signed_in(client)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_administrators_remove_an_authenticator_but_never_read_its_secret(
    world: World, client: Client
) -> None:
    device = TOTPDevice.objects.create(user=world.users[Role.POLRES], name="phone", confirmed=True)
    admin = world.users[Role.ADMIN]
    admin.is_superuser = True  # every model permission, the most an administrator can hold
    admin.save()
    client.force_login(admin)
    for view in ("config", "qrcode"):
        for pk in (device.pk, device.pk + 1000):
            assert client.get(f"/admin/otp_totp/totpdevice/{pk}/{view}/").status_code == 403
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200 and "enrolment" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
