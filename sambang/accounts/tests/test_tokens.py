"""API tokens: one per device, listed and revoked by their owner, stored only as a hash."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.accounts.models import ApiToken
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
