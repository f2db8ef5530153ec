"""Deny by default: every URL needs a login, except the few that are public on purpose."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: probes, login and password reset, language switch, the API description, and what
# residents use: the visit confirmation behind a sticker, a Polsek's schedule board, and
# the report form (lapor) with its status page.
PUBLIC = {
    "healthz",
    "readyz",
    "accounts/login/",
    "accounts/password/reset/",
    "accounts/password/reset/sent/",
    "accounts/password/reset/X/X/",
    "accounts/password/reset/done/",
    # A new account's one-time activation: the code in the link is the credential.
    "accounts/activate/",
    "accounts/activate/X/",
    # The digest's one-click unsubscribe: the signed token in the link is the credential.
    "accounts/notifications/unsubscribe/X/",
    "i18n/setlang/",
    "api/openapi.json",
    "api/v1/auth/token",
    "api/v1/public/schedule/X",
    "api/v1/public/visits/X",
    "v/X/",
    "schedule/X/",
    "schedule/X.json",
    "lapor/",
    "lapor/status/",
    "lapor/status/X/",
    "lapor/X/",
    "lapor/X/qr.png",
    "api/v1/public/citizen-reports",
    "api/v1/public/citizen-reports/X",
    # The installable app's files: a browser fetches them before anyone logs in.
    "manifest.webmanifest",
    "sw.js",
    "offline/",
    "favicon.ico",
    # Uploaded files: an officer's portrait is public; every other file is checked against
    # the record that holds it (a 404 to anyone else).
    "media/X",
    # The chat providers' webhooks: each delivery proves itself by the provider's signature.
    "chat/X/webhook",
    # The demo's simulated chat (a 404 unless the demo is on).
    "chat/demo/",
}


def all_paths() -> list[str]:
    """Every URL pattern as a concrete path (parameters filled with a placeholder)."""
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                paths.append(route)

    walk(get_resolver().url_patterns, "")
    concrete = []
    for route in paths:
        if route.startswith("admin/"):
            continue  # Django's admin guards itself (tested below)
        route = re.sub(r"<int:\w+>", "1", route)
        route = re.sub(r"<uuid:\w+>", "00000000-0000-4000-8000-000000000000", route)
        route = re.sub(r"<(str:|slug:|path:)?\w+>", "X", route)
        route = route.replace("^", "").replace("$", "").replace("(?P<path>.*)", "anything")
        concrete.append(route)
    return sorted(set(concrete))


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_paths())
def test_anonymous_users_are_turned_away(client: Client, route: str) -> None:
    for method in (client.get, client.post):
        response = method(f"/{route}")
        if route in PUBLIC:
            assert response.status_code < 500
            assert "/accounts/login/" not in response.get("Location", ""), route
        elif route.startswith("api/"):
            assert response.status_code in (401, 404), (route, response.status_code)
            assert "error" in response.json()
        else:
            assert response.status_code == 302, (route, response.status_code)
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
