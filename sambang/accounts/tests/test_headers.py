"""Secure headers on every answer: a strict CSP with no third-party host, frame denial."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from sambang.personnel.models import Role
from sambang.testing.world import World


def policy(header: str) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/lapor/", "/api/v1/me", "/offline/"])
def test_pages_and_api_answers_carry_the_security_headers(
    world: World, client: Client, path: str
) -> None:
    client.force_login(world.users[Role.POLRES])
    response = client.get(path)
    csp = policy(response["Content-Security-Policy"])
    for directive in ("default-src", "script-src", "style-src", "connect-src", "img-src"):
        sources = csp[directive]
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
        assert not [s for s in sources if s.startswith(("http", "*"))], (directive, sources)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(world: World, client: Client) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "user-officer", "password": "correct horse battery staple"},
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("environment", "hosts"),
    [
        ({}, []),
        (
            {"SAMBANG_S3_BUCKET": "photos", "SAMBANG_S3_REGION": "ap-southeast-3"},
            ["https://photos.s3.amazonaws.com", "https://photos.s3.ap-southeast-3.amazonaws.com"],
        ),
        (
            {
                "SAMBANG_S3_BUCKET": "photos",
                "SAMBANG_S3_ENDPOINT_URL": "https://minio.polri.example:9000/",
                "SAMBANG_MAP_TILES": "https://{s}.tiles.example/{z}/{x}/{y}.png",
            },
            ["https://*.tiles.example", "https://minio.polri.example:9000"],
        ),
    ],
)
def test_images_may_come_only_from_the_hosts_the_operator_configured(
    environment: dict[str, str], hosts: list[str]
) -> None:
    """The tile server and the media bucket, as configured; nothing else, ever."""
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SAMBANG_")},
            "DJANGO_SETTINGS_MODULE": "sambang.config.settings.local",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(shown.stdout) == ["'self'", "data:", "blob:", *hosts]
