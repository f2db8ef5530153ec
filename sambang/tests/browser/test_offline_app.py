"""The officer's app installs and opens the pages already visited without a connection."""

from __future__ import annotations

from typing import Any

import pytest

from sambang.personnel.models import Role
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def test_the_officers_pages_open_offline_once_visited(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(world_live.users[Role.OFFICER].username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
        manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
        assert manifest["display"] == "standalone" and manifest["short_name"] == "Sambang"
        for icon in manifest["icons"]:
            assert page.request.get(f"{live_server.url}{icon['src']}").ok
        village = world_live.villages["polsek_a1a"]
        for path in ("/field/", f"/villages/{village.code}/"):
            page.goto(f"{live_server.url}{path}")
        context.set_offline(True)
        page.goto(f"{live_server.url}/field/")
        assert "No connection" not in page.locator("h1").inner_text()
        assert "Today" in page.locator("main").inner_text()
        page.goto(f"{live_server.url}/villages/{village.code}/")
        assert village.name in page.locator("main").inner_text()
        page.goto(f"{live_server.url}/field/plans/")  # never opened: the offline page
        assert "No connection" in page.locator("h1").inner_text()
        assert problems == []
    finally:
        context.close()
