"""API tokens: one per device, listed and revoked by their owner, stored only as a hash."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from rest_framework.test import APIClient

from sambang.accounts.models import ApiToken
from sambang.audit.models import AuditEvent
from sambang.personnel.models import Role
from sambang.testing.world import World

CREDENTIALS = {"username": "user-officer", "password": "correct horse battery staple"}


def issue(name: str) -> str:
    response = APIClient().post("/api/v1/auth/token", {**CREDENTIALS, "name": name})
    assert response.status_code == 200
    return response.json()["token"]


def client_with(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.django_db
def test_each_device_gets_its_own_token_and_only_a_hash_is_kept(world: World) -> None:
    phone, tablet = issue("Redmi 9A"), issue("Tablet Polsek")
    assert phone != tablet
    stored = ApiToken.objects.filter(user=world.users[Role.OFFICER])
    assert {t.name for t in stored} >= {"Redmi 9A", "Tablet Polsek"}
    for token in stored:
        assert token.digest not in (phone, tablet) and len(token.digest) == 64
    assert client_with(phone).get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_a_user_lists_their_own_tokens_and_revokes_one(world: World) -> None:
    phone, tablet = issue("Redmi 9A"), issue("Tablet Polsek")
    api = client_with(phone)
    listed = api.get("/api/v1/auth/tokens/").json()
    mine = {row["name"]: row for row in listed}
    assert mine["Redmi 9A"]["current"] and not mine["Tablet Polsek"]["current"]
    assert "token" not in mine["Redmi 9A"] and mine["Redmi 9A"]["prefix"] == phone[:8]
    assert all(row["id"] != ApiToken.objects.get(name="test client", user__role="polres").pk
               for row in listed)  # fmt: skip
    assert api.delete(f"/api/v1/auth/tokens/{mine['Tablet Polsek']['id']}").status_code == 204
    assert client_with(tablet).get("/api/v1/me").status_code == 401
    assert api.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_nobody_revokes_another_users_token(world: World) -> None:
    supervisor_token = ApiToken.objects.get(user=world.users[Role.POLRES])
    api = client_with(world.tokens[Role.OFFICER])
    assert api.delete(f"/api/v1/auth/tokens/{supervisor_token.pk}").status_code == 404
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    assert page.post(f"/accounts/security/tokens/{supervisor_token.pk}/revoke/").status_code == 404
    assert client_with(world.tokens[Role.POLRES]).get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_the_security_page_lists_tokens_and_revokes_them(world: World) -> None:
    key = issue("Redmi 9A")
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    html = page.get("/accounts/security/").content.decode()
    assert "Redmi 9A" in html and key[:8] in html and key not in html
    token = ApiToken.objects.get(name="Redmi 9A")
    response = page.post(f"/accounts/security/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert client_with(key).get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_a_deactivated_users_tokens_stop_working(world: World) -> None:
    key = issue("Redmi 9A")
    user = world.users[Role.OFFICER]
    user.is_active = False
    user.save()
    assert client_with(key).get("/api/v1/me").status_code == 401


# --- a new password ends every token (issue 18.10) --------------------------------------------

NEW = "kopi tubruk di pos ronda"


def by_password_page(world: World) -> None:
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    answer = page.post(
        "/accounts/password/",
        {"old_password": CREDENTIALS["password"], "new_password1": NEW, "new_password2": NEW},
    )
    assert answer.status_code == 302


def by_reset_mail(world: World) -> None:
    user = world.users[Role.OFFICER]
    user.email = "bhabin@polri.example"
    user.save()
    Client().post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"http://testserver(\S+)", str(mail.outbox[-1].body))
    assert link is not None
    client = Client()
    form = client.get(link.group(1), follow=True)
    answer = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert answer.status_code == 302


def by_activation(world: World) -> None:
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLRES])
    nrp = world.officers["polsek_a1a"].nrp
    html = supervisor.post(f"/accounts/logins/officers/{nrp}/").content.decode()
    [code] = set(re.findall(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", html))
    answer = Client().post(f"/accounts/activate/{code}/", {"password1": NEW, "password2": NEW})
    assert answer.status_code == 302


def by_the_admin(world: World) -> None:
    admin = world.users[Role.ADMIN]
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    answer = client.post(
        f"/admin/personnel/user/{world.users[Role.OFFICER].pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert answer.status_code == 302


def by_the_shell(world: World) -> None:
    user = world.users[Role.OFFICER]
    user.set_password(NEW)
    user.save()


PASSWORD_PATHS = {
    "password page": by_password_page,
    "reset by e-mail": by_reset_mail,
    "activation": by_activation,
    "Django admin": by_the_admin,
    "shell": by_the_shell,
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PASSWORD_PATHS)
def test_every_way_of_setting_a_password_revokes_the_api_tokens_and_says_so(
    world: World, path: str
) -> None:
    """Issue 18.10: a token issued before a password change (a lost phone, a colleague who
    knew the old password) kept working after it."""
    phone = issue("Redmi 9A")
    assert client_with(phone).get("/api/v1/me").status_code == 200
    PASSWORD_PATHS[path](world)
    user = world.users[Role.OFFICER]
    user.refresh_from_db()
    assert user.check_password(NEW)
    for key in (phone, world.tokens[Role.OFFICER]):
        answer = client_with(key).get("/api/v1/me")
        assert answer.status_code == 401  # the offline app asks to sign in again
    assert not ApiToken.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(detail__change="password_changed")
    assert (event.object_id, event.detail["tokens_revoked"]) == (str(user.pk), 2)
    # The owner's security page says why, until a new token is issued.
    page = Client()
    page.force_login(user)
    assert "revoked when your password changed" in page.get("/accounts/security/").content.decode()
    APIClient().post("/api/v1/auth/token", {"username": user.username, "password": NEW})
    assert "revoked when" not in page.get("/accounts/security/").content.decode()


@pytest.mark.django_db
def test_a_password_rehashed_at_sign_in_keeps_the_tokens(world: World) -> None:
    """Signing in with a stronger hasher configured re-hashes the same password: not a
    change, the tokens stay."""
    stored = world.users[Role.OFFICER].password
    hashers = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        assert Client().post("/accounts/login/", CREDENTIALS).status_code == 302
    world.users[Role.OFFICER].refresh_from_db()
    assert world.users[Role.OFFICER].password != stored  # re-hashed
    assert client_with(world.tokens[Role.OFFICER]).get("/api/v1/me").status_code == 200
    assert not AuditEvent.objects.filter(detail__change="password_changed").exists()
