"""A Polres supervisor opens last month's Anev, drills down, reads the map and downloads."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sambang.evaluation.periods import add_months
from sambang.evaluation.rollups import count_reports
from sambang.fieldwork.models import ActivityReport, ActivityType
from sambang.personnel.models import Role
from sambang.security.models import Incident, IncidentCategory
from sambang.testing.browser import keep_screenshot, log_in
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def world_live(live_server: Any) -> World:
    world = build_world()
    last = add_months(dt.datetime.now(WIB).date().replace(day=1), -1)
    officer, village = world.officers["polsek_a1a"], world.villages["polsek_a1a"]
    for day in range(1, 11):
        when = dt.datetime.combine(last.replace(day=day), dt.time(9), WIB)
        checked = ActivityReport.objects.create(
            uuid=uuid.uuid4(),
            officer=officer,
            unit=officer.unit,
            activity_type=ActivityType.objects.get(code="kegiatan-desa"),
            village=village,
            occurred_at=when,
            narrative="Musyawarah warga tentang ronda malam.",
            state="sent",
            submitted_at=when + dt.timedelta(hours=2),
            integrity_level="verified",
            content_hash=uuid.uuid4().hex,
        )
        count_reports([checked.pk])  # as the worker counts a report it found verified
        Incident.objects.create(
            category=IncidentCategory.objects.get(code="curanmor"),
            occurred_at=when,
            village=village,
            unit=officer.unit,
            latitude=village.centroid_lat,
            longitude=village.centroid_lng,
            description="Motor hilang.",
        )
    return world


def test_the_supervisor_reads_the_anev_the_map_and_downloads_the_pdf(
    browser: Any, live_server: Any, world_live: World
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        log_in(page, live_server.url, world_live.users[Role.POLRES].username)
        page.locator(".nav-group", has_text="Analysis").locator("summary").click()
        page.get_by_role("link", name="Anev", exact=True).first.click()
        assert "Anev Polres A1" in page.locator("h1").inner_text()
        page.get_by_role("link", name="Polsek A1A").first.click()
        assert "Anev Polsek A1A" in page.locator("h1").inner_text()
        page.get_by_role("link", name=world_live.officers["polsek_a1a"].name).first.click()
        assert "10" in page.locator(".stats").inner_text()  # ten reports last month
        page.go_back()
        keep_screenshot(page, "anev-polsek")
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
        page.locator(".nav-group", has_text="Analysis").locator("summary").click()
        page.get_by_role("link", name="Map").first.click()
        page.wait_for_selector("#unit-map path.leaflet-interactive, #unit-map canvas")
        page.wait_for_selector("#map-note:not(:empty)", timeout=10_000)
        assert "Hot spots" in page.locator("#map-note").inner_text()
        keep_screenshot(page, "map-polres")
        assert problems == []
    finally:
        context.close()
