"""Each role's home starts with what waits for them; one item is followed from the queue
to done in a real browser, and it leaves the queue (issue 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from sambang.organization.services import directive_issue
from sambang.personnel.models import Role
from sambang.testing.browser import log_in
from sambang.testing.fieldwork import INFORMATION, report_payload
from sambang.testing.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def world_live(live_server: Any) -> World:
    return build_world()


def _officer_api(world: World) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    return client


def _sent_report(world: World, **extra: Any) -> dict[str, Any]:
    payload = report_payload(world, **extra)
    assert _officer_api(world).post("/api/v1/reports/", payload, format="json").status_code == 201
    return payload


def _a_directive(world: World) -> str:
    directive_issue(
        issuer=world.users[Role.POLRES],
        unit=world.units["polsek_a1a"],
        title="Petakan titik rawan banjir",
        body="Setiap Bhabinkamtibmas memetakan titik rawan banjir di desanya.",
        due_date=dt.date.today() + dt.timedelta(days=7),
    )
    return "directives"


def _complete_directive(page: Any) -> None:
    page.get_by_role("link", name="Petakan titik rawan banjir").click()
    page.locator("#note").fill("Tiga titik rawan dipetakan bersama perangkat desa.")
    page.locator("button[name=complete]").click()


def _a_report_to_review(world: World) -> str:
    _sent_report(world)
    return "review"


def _approve(page: Any) -> None:
    page.locator("table a[href*='/field/reports/']").first.click()
    page.locator("button[name=decision][value=approve]").click()


def _a_residents_report(world: World) -> str:
    answer = APIClient().post(
        "/api/v1/public/citizen-reports",
        {
            "category": "disorder",
            "description": "Balap liar setiap malam di jalan desa.",
            "village": world.villages["polsek_a1a"].code,
        },
        format="json",
    )
    assert answer.status_code == 201
    return "citizen"


def _first_response(page: Any) -> None:
    page.locator("table a[href*='/citizen-reports/']").first.click()
    page.locator("select#status").select_option("in_progress")
    page.locator("form:has(select#status) textarea[name=note]").fill("Dicek ke lokasi.")
    page.locator("form:has(select#status) button[type=submit]").click()


def _information_escalated(world: World) -> str:
    payload = _sent_report(world, activity_type="deteksi-dini", information=INFORMATION)
    escalated = _officer_api(world).post(
        f"/api/v1/reports/{payload['uuid']}/escalate",
        {"unit": world.units["polda_a"].code},
        format="json",
    )
    assert escalated.status_code == 200, escalated.content
    return "acknowledge"


def _acknowledge(page: Any) -> None:
    page.locator("table a[href*='/field/reports/']").first.click()
    page.get_by_role("button", name="Acknowledge").click()


# role → (what makes an item wait for them, what the user does on the item's page)
JOURNEYS: dict[str, tuple[Callable[[World], str], Callable[[Any], None]]] = {
    Role.OFFICER: (_a_directive, _complete_directive),
    Role.POLSEK: (_a_report_to_review, _approve),
    Role.POLRES: (_a_residents_report, _first_response),
    Role.POLDA: (_information_escalated, _acknowledge),
    Role.NATIONAL: (_a_report_to_review, _approve),
}


@pytest.mark.parametrize("role", list(JOURNEYS))
def test_each_role_follows_an_item_from_its_queue_to_done(
    browser: Any, live_server: Any, world_live: World, role: str
) -> None:
    make, do = JOURNEYS[role]
    kind = make(world_live)
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    try:
        log_in(page, live_server.url, world_live.users[role].username)
        item = page.locator(f".queue-item[data-kind={kind}]")
        assert item.locator(".count").inner_text() == "1"
        item.locator("a").click()
        page.wait_for_load_state()
        do(page)
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/")
        assert page.locator(f".queue-item[data-kind={kind}]").count() == 0
    finally:
        context.close()
