"""The menu: each role sees the sections it can use, and one of them is the current one
(issue 19, edges 4 and 12)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="nav".*?</nav>', re.S)


def menu(world: World, role: str, path: str) -> str:
    client = Client()
    client.force_login(world.users[role])
    answer = client.get(path)
    assert answer.status_code == 200, path
    found = MENU.search(answer.content.decode())
    assert found is not None
    return found.group(0)


def test_the_administrator_sees_no_section_that_is_always_empty_for_them(world: World) -> None:
    admin = world.users[Role.ADMIN]
    admin.is_staff = True
    admin.save()
    shown = menu(world, Role.ADMIN, "/")
    for path in (
        "/field/plans/",
        "/field/reports/",
        "/citizen-reports/",
        "/directives/",
        "/incidents/",
    ):
        assert f'href="{path}"' not in shown, path
    assert 'href="/units/"' in shown and 'href="/admin/"' in shown
    # The others keep them.
    assert 'href="/field/reports/"' in menu(world, Role.POLSEK, "/")


@pytest.mark.parametrize(
    ("role", "path", "current"),
    [
        (Role.OFFICER, "/field/plans/", "/field/plans/"),
        (Role.OFFICER, "/field/", "/field/"),
        (Role.OFFICER, "/", "/"),
        (Role.POLSEK, "/field/reports/", "/field/reports/"),
    ],
)
def test_exactly_one_section_is_the_current_one(
    world: World, role: str, path: str, current: str
) -> None:
    shown = menu(world, role, path)
    assert re.findall(r'href="([^"]+)" aria-current="page"', shown) == [current]


def test_the_favicon_is_the_apps_icon(client: Client) -> None:
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith("icon-192.png")
