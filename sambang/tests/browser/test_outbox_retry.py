"""The phone's outbox sends a report again by itself when the server answers 503 (its
database restarting), not before the server's ``Retry-After``, or when a send hears
nothing back at all (a connection that hangs); either way the report arrives once."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass
class Phone:
    context: Any
    page: Any
    problems: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        """No script error (with service workers blocked, app.js finds no registration to
        offer updates from: that one is expected)."""
        return [p for p in self.problems if "reading 'waiting'" not in p] == []


@pytest.fixture
def phone(browser: Any, live_server: Any, world_live: World) -> Iterator[Phone]:
    """The officer signed in on a phone. Requests the page sends are routed through the
    test (the service worker would hide them from it; the outbox works from the page)."""
    village = world_live.villages["polsek_a1a"]
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="en-US",
        service_workers="block",
        geolocation={"latitude": village.centroid_lat, "longitude": village.centroid_lng},
        permissions=["geolocation"],
    )
    found = Phone(context, context.new_page())
    found.page.on("pageerror", lambda e: found.problems.append(str(e)))
    try:
        log_in(found.page, live_server.url, world_live.users[Role.OFFICER].username)
        yield found
    finally:
        context.close()


def send_report(page: Any, narrative: str) -> None:
    page.get_by_label("Activity").select_option("kegiatan-desa")
    page.get_by_label("What happened").fill(narrative)
    page.locator("[name=participants]").fill("25")
    page.get_by_role("button", name="Send report").click()


def test_a_report_answered_503_is_sent_again_after_retry_after_and_arrives_once(
    phone: Phone, live_server: Any
) -> None:
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

    page = phone.page
    page.goto(f"{live_server.url}/field/reports/new/")
    phone.context.route("**/field/reports/new/", restarting_database)
    send_report(page, "Menghadiri musyawarah warga di balai desa tentang jadwal ronda malam.")
    page.wait_for_url("**/field/?kept=*")
    uuid = page.url.split("kept=")[1]
    # Nobody touches anything: the outbox sends again by itself and shows it sent.
    page.locator("#outbox .badge.ok").wait_for(timeout=20_000)
    assert len(sent_at) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent_at)]
    assert all(gap >= RETRY_AFTER_S - 0.3 for gap in gaps), gaps  # not before asked
    assert [str(r.uuid) for r in ActivityReport.objects.all()] == [uuid]
    assert phone.clean()


def test_a_send_that_hangs_is_given_up_and_sent_again_by_itself(
    phone: Phone, live_server: Any
) -> None:
    posts: list[Any] = []

    def hanging_connection(route: Any) -> None:
        """The first send goes out and nothing ever comes back; the next gets through."""
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request)
        if len(posts) > 1:
            route.continue_()

    page, clock = phone.page, phone.context.clock
    # The page's clock is the test's: a minute of waiting passes in an instant.
    clock.install()
    page.goto(f"{live_server.url}/field/reports/new/")
    phone.context.route("**/field/reports/new/", hanging_connection)
    with page.expect_request(lambda request: request.method == "POST"):  # sent, unanswered
        send_report(page, "Patroli dialogis di pasar desa bersama linmas menjelang malam.")
    # Half a minute without an answer: the form lets go, the report waits on the phone.
    clock.fast_forward("00:31")
    page.wait_for_url("**/field/?kept=*")
    uuid = page.url.split("kept=")[1]
    card = page.locator(f"#outbox li[data-uuid='{uuid}']")
    card.get_by_text("The server did not answer; it will be tried again.").wait_for()
    assert card.locator(".badge.warn").count() == 1
    assert ActivityReport.objects.count() == 0
    # Nobody touches anything: half a minute later it is sent again, and arrives.
    clock.fast_forward("00:31")
    card.locator(".badge.ok").wait_for(timeout=20_000)
    assert len(posts) == 2
    assert [str(r.uuid) for r in ActivityReport.objects.all()] == [uuid]
    assert phone.clean()
