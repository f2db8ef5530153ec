"""The phone's outbox sends a report again by itself when the server answers 503 (its
database restarting), not before the server's ``Retry-After``, or when a send hears
nothing back at all (a connection that hangs); either way the report arrives once."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from sambang.fieldwork.models import ActivityReport
from sambang.personnel.models import Role
from sambang.testing.browser import log_in
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETRY_AFTER_S = 2


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def test_a_report_answered_503_is_sent_again_after_retry_after_and_arrives_once(
    browser: Any, live_server: Any, world_live: World
) -> None:
    village = world_live.villages["polsek_a1a"]
    # Requests the page sends are routed through the test (the service worker would hide
    # them from it; the outbox works from the page alone).
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="en-US",
        service_workers="block",
        geolocation={"latitude": village.centroid_lat, "longitude": village.centroid_lng},
        permissions=["geolocation"],
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    sent_at: list[float] = []

    def restarting_database(route: Any) -> None:
        """The first two sends meet a database restart; the third gets through."""
        if route.request.method != "POST":
            route.continue_()
            return
        sent_at.append(time.monotonic())
        if len(sent_at) <= 2:
            route.fulfill(
                status=503,
                headers={"Retry-After": str(RETRY_AFTER_S), "Content-Type": "text/html"},
                body="<p>Briefly unavailable</p>",
            )
        else:
            route.continue_()

    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        page.goto(f"{live_server.url}/field/reports/new/")
        context.route("**/field/reports/new/", restarting_database)
        page.get_by_label("Activity").select_option("kegiatan-desa")
        page.get_by_label("What happened").fill(
            "Menghadiri musyawarah warga di balai desa tentang jadwal ronda malam."
        )
        page.locator("[name=participants]").fill("25")
        page.get_by_role("button", name="Send report").click()
        page.wait_for_url("**/field/?kept=*")
        uuid = page.url.split("kept=")[1]
        # Nobody touches anything: the outbox sends again by itself and shows it sent.
        page.locator("#outbox .badge.ok").wait_for(timeout=20_000)
        assert len(sent_at) == 3
        gaps = [later - earlier for earlier, later in itertools.pairwise(sent_at)]
        assert all(gap >= RETRY_AFTER_S - 0.3 for gap in gaps), gaps  # not before asked
        report = ActivityReport.objects.get()
        assert str(report.uuid) == uuid
        # With service workers blocked, app.js finds no registration to offer updates from.
        assert [p for p in problems if "reading 'waiting'" not in p] == []
    finally:
        context.close()


def test_a_send_that_hangs_is_given_up_and_sent_again_by_itself(
    browser: Any, live_server: Any, world_live: World
) -> None:
    village = world_live.villages["polsek_a1a"]
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="en-US",
        service_workers="block",
        geolocation={"latitude": village.centroid_lat, "longitude": village.centroid_lng},
        permissions=["geolocation"],
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    posts: list[Any] = []

    def hanging_connection(route: Any) -> None:
        """The first send goes out and nothing ever comes back; the next gets through."""
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request)
        if len(posts) > 1:
            route.continue_()

    try:
        log_in(page, live_server.url, world_live.users[Role.OFFICER].username)
        # The page's clock is the test's: a minute of waiting passes in an instant.
        context.clock.install()
        page.goto(f"{live_server.url}/field/reports/new/")
        context.route("**/field/reports/new/", hanging_connection)
        page.get_by_label("Activity").select_option("kegiatan-desa")
        page.get_by_label("What happened").fill(
            "Patroli dialogis di pasar desa bersama linmas menjelang malam."
        )
        page.locator("[name=participants]").fill("6")
        page.get_by_role("button", name="Send report").click()
        for _ in range(100):
            if posts:
                break
            page.wait_for_timeout(100)
        assert len(posts) == 1
        # Half a minute without an answer: the form lets go, the report waits on the phone.
        context.clock.fast_forward("00:31")
        page.wait_for_url("**/field/?kept=*")
        uuid = page.url.split("kept=")[1]
        card = page.locator(f"#outbox li[data-uuid='{uuid}']")
        card.get_by_text("The server did not answer; it will be tried again.").wait_for()
        assert card.locator(".badge.warn").count() == 1
        assert ActivityReport.objects.count() == 0
        # Nobody touches anything: half a minute later it is sent again, and arrives.
        context.clock.fast_forward("00:31")
        card.locator(".badge.ok").wait_for(timeout=20_000)
        assert len(posts) == 2
        assert [str(r.uuid) for r in ActivityReport.objects.all()] == [uuid]
        assert [p for p in problems if "reading 'waiting'" not in p] == []
    finally:
        context.close()
