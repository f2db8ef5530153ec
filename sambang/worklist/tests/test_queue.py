"""The work queue: what waits for each role, counted through the access module, linked to
the page where it is done, and gone once it is done (issue 19)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.organization.models import Directive
from sambang.personnel.models import Role
from sambang.testing.fieldwork import INFORMATION, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def queue(world: World, role: str) -> dict[str, dict[str, Any]]:
    answer = api(world, role).get("/api/v1/me/queue")
    assert answer.status_code == 200
    return {item["kind"]: item for item in answer.json()}


def counts(world: World, role: str) -> dict[str, int]:
    return {kind: item["count"] for kind, item in queue(world, role).items()}


def page(world: World, role: str, url: str) -> str:
    client = Client()
    client.force_login(world.users[role])
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def test_each_role_gets_its_own_queue(world: World) -> None:
    officer, polsek = api(world, Role.OFFICER), api(world, Role.POLSEK)
    assert counts(world, Role.OFFICER) == {
        "returned": 0,
        "quick": 0,
        "plans": 0,
        "directives": 0,
        "citizen": 0,
        "partner_notes": 0,
        "alerts": 0,
    }
    supervisor_kinds = {
        "review", "citizen", "acknowledge", "directives", "alerts", "anev_submit", "anev_decide"
    }  # fmt: skip
    for role in (Role.POLSEK, Role.POLRES, Role.POLDA):
        assert set(counts(world, role)) == supervisor_kinds
    assert set(counts(world, Role.NATIONAL)) == supervisor_kinds - {"anev_submit"}
    assert queue(world, Role.ADMIN) == {}

    # A report sent by the officer waits for review in every unit above it, and nowhere else.
    payload = report_payload(world, activity_type="deteksi-dini", information=INFORMATION)
    assert officer.post("/api/v1/reports/", payload, format="json").status_code == 201
    for role in (Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL):
        assert counts(world, role)["review"] == 1, role
    url = f"/api/v1/reports/{payload['uuid']}"
    # Escalated to the Polsek: the Polsek and the units above may acknowledge it.
    officer.post(f"{url}/escalate", {"unit": world.units["polsek_a1a"].code}, format="json")
    assert counts(world, Role.POLSEK)["acknowledge"] == 1
    assert counts(world, Role.POLRES)["acknowledge"] == 1
    polsek.post(f"{url}/acknowledge")
    assert counts(world, Role.POLRES)["acknowledge"] == 0
    # Returned: it leaves the review queues and waits for the officer.
    polsek.post(f"{url}/review", {"decision": "return", "comment": "Foto?"}, format="json")
    assert counts(world, Role.POLRES)["review"] == 0
    returned = queue(world, Role.OFFICER)["returned"]
    assert returned["count"] == 1 and returned["since"]
    assert payload["uuid"] in page(world, Role.OFFICER, returned["url"])


def test_residents_reports_wait_until_answered_and_say_how_many_are_late(world: World) -> None:
    village = world.villages["polsek_a1a"].code
    sent = APIClient().post(
        "/api/v1/public/citizen-reports",
        {"category": "disorder", "description": "Balap liar tiap malam.", "village": village},
        format="json",
    )
    code = sent.json()["tracking_code"]
    for role in (Role.OFFICER, Role.POLSEK, Role.POLRES):
        item = queue(world, role)["citizen"]
        assert (item["count"], item["late"]) == (1, 0), role
        assert code in page(world, role, item["url"])
    assert queue(world, Role.POLRES)["citizen"]["url"].endswith("?unanswered=1")
    # Late: past the first-response time.
    from sambang.public.models import CitizenReport

    CitizenReport.objects.filter(tracking_code=code).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    )
    assert queue(world, Role.POLSEK)["citizen"]["late"] == 1
    api(world, Role.OFFICER).post(
        f"/api/v1/citizen-reports/{code}/status",
        {"status": "in_progress", "note": "Cek ke lokasi"},
        format="json",
    )
    for role in (Role.OFFICER, Role.POLSEK, Role.POLRES):
        assert counts(world, role)["citizen"] == 0, role


def test_a_directive_waits_for_the_officer_and_once_overdue_for_its_issuer(world: World) -> None:
    polres = api(world, Role.POLRES)
    issued = polres.post(
        "/api/v1/directives/",
        {
            "unit": world.units["polsek_a1a"].code,
            "title": "Petakan titik rawan",
            "body": "Setiap Bhabinkamtibmas memetakan titik rawan di desanya.",
            "due_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
        },
        format="json",
    ).json()
    item = queue(world, Role.OFFICER)["directives"]
    assert (item["count"], item["late"]) == (1, 0)
    assert "Petakan titik rawan" in page(world, Role.OFFICER, item["url"])
    assert counts(world, Role.POLRES)["directives"] == 0  # not yet due
    Directive.objects.filter(pk=issued["id"]).update(
        due_date=dt.date.today() - dt.timedelta(days=1)
    )
    assert queue(world, Role.OFFICER)["directives"]["late"] == 1
    overdue = queue(world, Role.POLRES)["directives"]
    assert overdue["count"] == 1 and "Petakan titik rawan" in page(
        world, Role.POLRES, overdue["url"]
    )
    assert counts(world, Role.POLSEK)["directives"] == 0  # another issuer's
    url = f"/api/v1/directives/{issued['id']}"
    api(world, Role.OFFICER).post(f"{url}/complete", {"note": "Dipetakan."}, format="json")
    assert counts(world, Role.OFFICER)["directives"] == 0
    # Others of the subtree have not completed it: it still waits for the issuer.
    assert counts(world, Role.POLRES)["directives"] == 1


def test_last_months_anev_waits_to_be_submitted_then_to_be_decided(world: World) -> None:
    today = dt.date.today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    submit = queue(world, Role.POLSEK)["anev_submit"]
    assert submit["count"] == 1 and submit["url"] == f"/anev/POLSEK-A1A/{month}/"
    polsek = api(world, Role.POLSEK)
    sent = polsek.post(f"/api/v1/evaluations/POLSEK-A1A/{month}/submit", {}, format="json")
    assert sent.status_code == 201, sent.json()
    assert counts(world, Role.POLSEK)["anev_submit"] == 0
    decide = queue(world, Role.POLRES)["anev_decide"]
    assert decide["count"] == 1 and decide["url"] == f"/anev/POLSEK-A1A/{month}/"
    assert counts(world, Role.POLDA)["anev_decide"] == 0  # not the unit directly above
    api(world, Role.POLRES).post(
        f"/api/v1/evaluations/POLSEK-A1A/{month}/decision",
        {"approve": False, "note": "Lengkapi analisis."},
        format="json",
    )
    assert counts(world, Role.POLRES)["anev_decide"] == 0
    assert counts(world, Role.POLSEK)["anev_submit"] == 1  # returned: to submit again

    # Two months of two Polseks wait: the queue leads to the Polres's own page, which lists
    # each of them with a link to its month.
    from sambang.evaluation import services
    from sambang.personnel.models import User

    polsek.post(f"/api/v1/evaluations/POLSEK-A1A/{month}/submit", {}, format="json")
    setu = User.objects.create_user(
        username="kapolsek-setu", role=Role.POLSEK, unit=world.units["polsek_a1b"]
    )
    earlier = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    services.evaluation_submit(user=setu, unit=world.units["polsek_a1b"], month=earlier, summary="")
    decide = queue(world, Role.POLRES)["anev_decide"]
    assert decide["count"] == 2 and decide["url"] == f"/anev/POLRES-A1/{month}/#to-decide"
    listed = page(world, Role.POLRES, decide["url"])
    assert 'id="to-decide"' in listed
    assert f'href="/anev/POLSEK-A1B/{earlier:%Y-%m}/#approval"' in listed
    assert f'href="/anev/POLSEK-A1A/{month}/#approval"' in listed
    assert 'id="to-decide"' not in page(world, Role.POLRES, f"/anev/POLSEK-A1A/{month}/")
    assert 'id="to-decide"' not in page(world, Role.POLDA, f"/anev/POLDA-A/{month}/")


def test_the_home_page_starts_with_the_queue_and_links_each_item(world: World) -> None:
    payload = report_payload(world)
    assert (
        api(world, Role.OFFICER).post("/api/v1/reports/", payload, format="json").status_code == 201
    )
    home = page(world, Role.POLSEK, "/")
    assert home.index('id="queue-title"') < home.index("</h1>") + 200
    assert 'href="/field/reports/?state=sent&amp;order=oldest"' in home
    assert "Reports to review" in home
    officer_home = page(world, Role.OFFICER, "/")
    assert "Nothing waits for you" in officer_home
    assert "queue-title" not in page(world, Role.ADMIN, "/")


def test_reports_to_review_are_counted_up_to_a_bound_and_say_more_wait(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole country's unreviewed reports are not counted one by one on every home page:
    past the bound, the queue says "at least" (here a bound of 2, three reports)."""
    from sambang.worklist import selectors

    monkeypatch.setattr(selectors, "COUNTED_UP_TO", 2)
    officer = api(world, Role.OFFICER)
    for n in range(3):
        payload = report_payload(world, narrative=f"Sambang warga RW {n}: ronda malam dibahas.")
        assert officer.post("/api/v1/reports/", payload, format="json").status_code == 201
    review = queue(world, Role.POLSEK)["review"]
    assert (review["count"], review["at_least"]) == (2, True)
    assert '<strong class="count">2+</strong>' in page(world, Role.POLSEK, "/")
    items = selectors.work_queue(world.users[Role.POLSEK])
    total = sum(item.count for item in items)  # the Anev month to submit, too
    assert selectors.summary(items) == f"{total}+ things wait for you"
    monkeypatch.setattr(selectors, "COUNTED_UP_TO", 3)
    review = queue(world, Role.POLSEK)["review"]
    assert (review["count"], review["at_least"]) == (3, False)
