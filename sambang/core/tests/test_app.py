"""The installable app: its manifest, service worker and offline page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_and_its_icons() -> None:
    response = Client().get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    body = response.json()
    assert (body["short_name"], body["display"], body["start_url"]) == (
        "Sambang",
        "standalone",
        "/",
    )
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in body["icons"])
    for icon in body["icons"]:
        assert Client().get(icon["src"]).status_code == 200


def test_the_service_worker_is_never_stale_and_caches_the_shell() -> None:
    response = Client().get("/sw.js")
    text = response.content.decode()
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache" and response["Service-Worker-Allowed"] == "/"
    assert "/static/sambang/sambang.css" in text and '"/offline/"' in text
    assert Client().get("/sw.js").content == response.content  # the same release, one version
    page = Client().get("/offline/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "No connection" in page.content.decode()
