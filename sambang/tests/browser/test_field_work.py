"""The field-work journeys in a real browser: an officer reports from a phone, a resident
confirms the visit through the sticker's link, a supervisor reviews the report."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from sambang.fieldwork import selectors
from sambang.fieldwork.models import ActivityReport, HouseholdVisit, ReportState
from sambang.personnel.models import Role
from sambang.testing.browser import keep_screenshot, log_in, wait_until
from sambang.testing.fieldwork import photo_bytes
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def no_overflow(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def test_an_officer_reports_a_visit_a_resident_confirms_and_a_supervisor_approves(
    browser: Any, live_server: Any, world_live: World, tmp_path: Path, settings: Any
) -> None:
    # Behind a proxy, as in production: the resident's phone comes from its own network
    # (a confirmation from the officer's network would not count).
    settings.SAMBANG_TRUSTED_PROXIES = 1
    village = world_live.villages["polsek_a1a"]
    assert village.centroid_lat is not None and village.centroid_lng is not None
    officer_context = browser.new_context(
        viewport=PHONE,
        locale="en-US",
        geolocation={
            "latitude": village.centroid_lat,
            "longitude": village.centroid_lng,
            "accuracy": 9,
        },
        permissions=["geolocation"],
    )
    page = officer_context.new_page()
    problems = watch(page)
    log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
    page.get_by_role("link", name="Today").click()
    page.get_by_role("link", name="New report").first.click()
    page.get_by_label("Activity").select_option("dds")
    assert page.locator("[data-section=household]").is_visible()
    assert not page.locator("[data-section=information]").is_visible()
    wait_until(page, "document.getElementById('latitude').value !== ''")
    page.get_by_label("What happened").fill(
        "Sambang ke rumah warga membahas pencurian sepeda motor dan jadwal ronda malam."
    )
    page.get_by_label("RT", exact=True).fill("4")
    page.get_by_label("RW", exact=True).fill("2")
    page.get_by_label("What concerns the residents").first.fill("Pencurian sepeda motor")
    page.locator("[name=concern-0-aspect]").select_option("security")
    page.locator("[name=concern-0-urgency]").select_option("high")
    page.locator("[name=concern-0-frequency]").select_option("often")
    taken = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))
    photo = tmp_path / "kunjungan.jpg"
    photo.write_bytes(
        photo_bytes(77, taken_at=taken, position=(village.centroid_lat, village.centroid_lng))
    )
    page.get_by_label("Photos").set_input_files(str(photo))
    no_overflow(page)
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(r".*/field/reports/[0-9a-f-]{36}/$"))
    assert "Report saved." in page.content()
    text = page.locator("main").inner_text()
    assert "The GPS fix is" in text and "Pencurian sepeda motor" in text
    no_overflow(page)
    report = ActivityReport.objects.get()
    assert report.photos.count() == 1 and report.accuracy_m == 9
    sticker = page.request.get(f"{live_server.url}/field/reports/{report.uuid}/sticker.pdf")
    assert sticker.ok and sticker.body().startswith(b"%PDF")
    keep_screenshot(page, "officer-report-with-integrity")
    assert problems == []
    officer_context.close()

    # A resident scans the sticker on their own phone.
    resident_context = browser.new_context(
        viewport=PHONE, locale="en-US", extra_http_headers={"X-Forwarded-For": "10.20.30.40"}
    )
    resident = resident_context.new_page()
    problems = watch(resident)
    token = selectors.visit_token(HouseholdVisit.objects.get(report=report))
    resident.goto(f"{live_server.url}/v/{token}/")
    resident.get_by_label("5").check()
    resident.get_by_label("Message (optional)").fill("Terima kasih, Pak.")
    resident.get_by_role("button", name="Confirm the visit").click()
    assert "This visit is confirmed" in resident.content()
    no_overflow(resident)
    keep_screenshot(resident, "resident-confirms-visit")
    assert problems == []
    resident_context.close()

    # The Polsek supervisor sees it verified, with its reasons, and approves it.
    supervisor_context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-US"
    )
    desk = supervisor_context.new_page()
    problems = watch(desk)
    log_in(desk, live_server.url, world_live.users[Role.POLSEK].username)
    desk.goto(f"{live_server.url}/field/reports/?integrity=verified")
    desk.get_by_role(
        "link",
        name=report.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime(
            "%d %b %Y %H:%M"
        ),
    ).click()
    text = desk.locator("main").inner_text()
    assert "Verified" in text and "The resident confirmed the visit and rated it 5 of 5." in text
    desk.get_by_role("button", name="Approve").click()
    assert "Report approved." in desk.content()
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    keep_screenshot(desk, "supervisor-approves-report")
    assert problems == []
    supervisor_context.close()
