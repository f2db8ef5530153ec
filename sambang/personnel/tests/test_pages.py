from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from PIL import Image

from sambang.personnel.models import Officer, Rank, Role, User
from sambang.testing.world import World


def test_the_officer_page_shows_villages_and_history(world: World, client: Client) -> None:
    client.force_login(world.users[Role.OFFICER])
    officer = world.officers["polsek_a1a"]
    html = client.get(f"/officers/{officer.nrp}/").content.decode()
    assert officer.name in html and world.villages["polsek_a1a"].name in html
    assert "2024-01-01" in html or "1 Januari 2024" in html or "Jan. 1, 2024" in html


def test_officer_filters(world: World, client: Client) -> None:
    client.force_login(world.users[Role.NATIONAL])
    dual = world.officers["polsek_b1a"]
    dual.other_duties = ["reskrim"]
    dual.dikbangspes_done = True
    dual.save()
    assert dual.nrp in client.get("/officers/", {"dual_duties": "on"}).content.decode()
    assert (
        world.officers["polsek_a1a"].nrp
        not in client.get("/officers/", {"dual_duties": "on"}).content.decode()
    )
    without = client.get("/officers/", {"without_dikbangspes": "on"}).content.decode()
    assert dual.nrp not in without and world.officers["polsek_a1a"].nrp in without
    assert (
        world.officers["polsek_a1a"].nrp in client.get("/officers/", {"q": "a1a"}).content.decode()
    )


def test_the_officer_list_has_no_n_plus_one(world: World, client: Client) -> None:
    client.force_login(world.users[Role.NATIONAL])
    with CaptureQueriesContext(connection) as before:
        client.get("/officers/")
    for number in range(20):
        Officer.objects.create(
            nrp=f"7000{number:04d}",
            name=f"Extra {number}",
            rank=Rank.BRIPDA,
            unit=world.units["polsek_b1a"],
            education="sma",
        )
    with CaptureQueriesContext(connection) as after:
        client.get("/officers/")
    assert len(after) == len(before)


def test_officers_cannot_open_supervisor_pages(world: World, client: Client) -> None:
    client.force_login(world.users[Role.OFFICER])
    assert client.get("/officers/").status_code == 403
    assert client.get("/units/").status_code == 403


@pytest.mark.parametrize("demo_mode", [False, True])
def test_demo_accounts_log_in_only_in_demo_mode(
    world: World, client: Client, demo_mode: bool
) -> None:
    user = User.objects.create_user(
        username="demo-user",
        password="sambang-demo",
        role=Role.POLRES,
        unit=world.units["polres_a1"],
        is_demo=True,
    )
    with override_settings(DEMO_MODE=demo_mode):
        response = client.post(
            "/accounts/login/", {"username": "demo-user", "password": "sambang-demo"}
        )
        assert (response.status_code == 302) == demo_mode
        token = client.post(
            "/api/v1/auth/token", {"username": "demo-user", "password": "sambang-demo"}
        )
        assert (token.status_code == 200) == demo_mode
    assert user.pk


def test_a_demo_session_stops_working_when_the_demo_mode_is_off(
    world: World, client: Client
) -> None:
    User.objects.create_user(
        username="demo-user",
        password="sambang-demo",
        role=Role.POLRES,
        unit=world.units["polres_a1"],
        is_demo=True,
    )
    with override_settings(DEMO_MODE=True):
        client.post("/accounts/login/", {"username": "demo-user", "password": "sambang-demo"})
        assert client.get("/").status_code == 200
    with override_settings(DEMO_MODE=False):
        assert client.get("/").status_code == 302


def test_password_change_and_logout(world: World, client: Client) -> None:
    client.login(username="user-polsek", password="correct horse battery staple")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct horse battery staple",
            "new_password1": "a much longer new secret 42",
            "new_password2": "a much longer new secret 42",
        },
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert client.login(username="user-polsek", password="a much longer new secret 42")


def test_pages_speak_indonesian_by_default_and_english_on_request(
    world: World, client: Client
) -> None:
    client.force_login(world.users[Role.POLRES])
    with override_settings(LANGUAGE_CODE="id"):
        # A browser that prefers English still starts in Bahasa Indonesia…
        page = client.get("/officers/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert "Petugas" in page.content.decode()
        assert page["Content-Language"] == "id"
        # …and English is the user's own choice, kept for the next pages.
        client.post("/i18n/setlang/", {"language": "en", "next": "/officers/"})
        page = client.get("/officers/", HTTP_ACCEPT_LANGUAGE="id")
        assert "Officers" in page.content.decode()
        assert page["Content-Language"] == "en"
        client.cookies["django_language"] = "xx"  # not one of ours: the site's language
        assert "Petugas" in client.get("/officers/").content.decode()


def test_the_officer_page_shows_the_photo(
    world: World, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (30, 40), "navy").save(image, format="PNG")
    officer = world.officers["polsek_a1a"]
    officer.photo.save("face.png", ContentFile(image.getvalue()))
    client.force_login(world.users[Role.OFFICER])
    html = client.get(f"/officers/{officer.nrp}/").content.decode()
    assert f'src="{officer.photo.url}"' in html
    assert f"Photo of {officer.name}" in html
