"""The menu on a phone and on a desktop, for an officer and a supervisor (issue 19, edge 4):
it fits the screen, its groups open, one item is the current one, and an officer's phone
has the quick bar at the bottom."""

from __future__ import annotations

from typing import Any

import pytest

from sambang.personnel.models import Role
from sambang.testing.browser import log_in
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", [Role.OFFICER, Role.POLRES])
def test_the_menu_fits_opens_by_group_and_marks_one_current_item(
    browser: Any, live_server: Any, world_live: World, role: str, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], locale="en-US")
    page = context.new_page()
    try:
        log_in(page, live_server.url, world_live.users[role].username)
        page.goto(f"{live_server.url}/field/reports/")
        header = page.locator("header.topbar")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        # Nothing of the header is cut: it is no wider than its box.
        assert header.evaluate("h => h.scrollWidth - h.clientWidth") <= 0
        menu = page.locator(".nav-menu")
        if size == "phone":
            assert menu.evaluate("m => m.open") is False  # behind its button
            menu.locator("> summary").click()
        work = page.locator(".nav-group", has_text="Work")
        work.locator("summary").click()
        reports = work.get_by_role("link", name="Reports", exact=True)
        assert reports.is_visible()
        assert page.locator('.nav a[aria-current="page"]').count() == 1
        assert reports.get_attribute("aria-current") == "page"
        page.locator(".nav-group", has_text="Analysis").locator("summary").click()
        # One group at a time: the other closes on the "toggle" event, which follows the click.
        page.wait_for_function("d => !d.open", arg=work.locator("details").element_handle())
        bar = page.locator(".bottom-bar")
        if role == Role.OFFICER and size == "phone":
            assert bar.is_visible()
            assert bar.locator("a").all_inner_texts() == ["Inbox", "Today", "Report", "Villages"]
            bar.get_by_role("link", name="Today", exact=True).click()
            page.wait_for_url(f"{live_server.url}/field/")
            assert page.locator('.bottom-bar a[aria-current="page"]').inner_text() == "Today"
        else:
            assert not bar.is_visible()
    finally:
        context.close()
