"""A resident reports on a phone without an account and follows the report by its code."""

from __future__ import annotations

from typing import Any

import pytest

from sambang.public.models import CitizenReport
from sambang.testing.browser import keep_screenshot
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def test_a_resident_reports_from_a_phone_and_follows_it_by_code(
    browser: Any, live_server: Any, world_live: World
) -> None:
    village = world_live.villages["polsek_a1a"]
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{live_server.url}/lapor/")
        page.get_by_label("Your village or kelurahan").fill(village.name[:6])
        page.get_by_role("button", name="Find").click()
        page.get_by_role("link", name=village.name).first.click()
        assert world_live.officers["polsek_a1a"].name in page.content()
        page.get_by_label("What is it about?").select_option("disorder")
        page.get_by_label("Tell us what happened").fill(
            "Balap liar setiap malam Minggu di jalan desa."
        )
        page.locator("#pick-map").click()  # where it happened: a tap on the map
        assert page.locator("#pick-map .leaflet-marker-icon").count() == 1
        assert page.locator("#latitude").input_value() != ""
        # Not anonymous until the resident says so; then no name or phone is asked.
        assert page.get_by_label("Your name").is_visible()
        page.get_by_label("Report anonymously").check()
        assert not page.get_by_label("Your name").is_visible()
        page.get_by_role("button", name="Send the report").click()
        code = page.locator(".tracking-code strong").inner_text()
        report = CitizenReport.objects.get()
        assert report.tracking_code == code and report.latitude is not None
        assert page.url == f"{live_server.url}/lapor/status/{code}/"
        # Reloaded, or sent again from the page the back button shows: the same report.
        page.reload()
        assert code in page.locator("main").inner_text()
        page.go_back()
        page.get_by_role("button", name="Send the report").click()
        assert page.locator(".tracking-code strong").inner_text() == code
        assert CitizenReport.objects.count() == 1
        page.get_by_role("link", name="Follow this report").click()
        assert "Assigned" in page.locator("main").inner_text()
        keep_screenshot(page, "resident-follows-report")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert problems == []
    finally:
        context.close()
