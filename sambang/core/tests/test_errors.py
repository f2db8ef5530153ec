"""Every API error has one shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.world import World


def assert_error_shape(body: dict[str, Any], code: str) -> dict[str, Any]:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


@pytest.mark.django_db
def test_anonymous_requests_get_401_in_the_error_shape(api: APIClient) -> None:
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert_error_shape(response.json(), "not_authenticated")


@pytest.mark.django_db
def test_a_wrong_token_gets_401(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert_error_shape(response.json(), "authentication_failed")


@pytest.mark.django_db
def test_unknown_api_paths_get_404_in_the_error_shape(world: World, api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


@pytest.mark.django_db
def test_invalid_input_names_each_field(world: World, api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    response = api.get("/api/v1/regions/locate", {"lat": "north", "lng": "200"})
    assert response.status_code == 400
    error = assert_error_shape(response.json(), "invalid")
    assert set(error["fields"]) == {"lat", "lng"}


@pytest.mark.django_db
def test_wrong_methods_get_405_in_the_error_shape(world: World, api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    response = api.delete("/api/v1/me")
    assert response.status_code == 405
    assert_error_shape(response.json(), "method_not_allowed")


@pytest.mark.django_db
def test_domain_rule_errors_name_the_field(world: World, api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    taken = world.villages["polsek_a1a"]
    response = api.post(
        "/api/v1/assignments/",
        {
            "officer": world.officers["polsek_a1b"].nrp,
            "village": taken.code,
            "start_date": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    error = assert_error_shape(response.json(), "invalid")
    assert "village" in error["fields"]


@pytest.mark.django_db
def test_token_login_with_a_wrong_password_is_refused(world: World, api: APIClient) -> None:
    response = api.post("/api/v1/auth/token", {"username": "user-polres", "password": "nope"})
    assert response.status_code == 400
    assert_error_shape(response.json(), "invalid")


@pytest.mark.django_db
def test_token_login_returns_a_token_that_works(world: World, api: APIClient) -> None:
    response = api.post(
        "/api/v1/auth/token",
        {"username": "user-officer", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get("/api/v1/me").json()
    assert me["role"] == "officer" and me["username"] == "user-officer"
