"""Plans: an officer plans, supervisors comment, realization is measured, the board is public."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from sambang.fieldwork.models import PlanItem
from sambang.personnel.models import Role
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

from .conftest import ClientFor

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.now().astimezone(ZoneInfo("Asia/Jakarta")).date()


def plan(world: World, day: dt.date, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "activity_type": "dds",
        "village": world.villages["polsek_a1a"].code,
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "target_kind": "household",
        "target": "Rumah Pak RT 03",
        "notes": "Menindaklanjuti laporan pencurian",
    }
    values.update(overrides)
    return values


def test_an_officer_plans_and_resending_is_a_no_op(world: World, officer_api: APIClient) -> None:
    item = plan(world, today())
    assert officer_api.post("/api/v1/plans/", item, format="json").status_code == 201
    assert officer_api.post("/api/v1/plans/", item, format="json").status_code == 200
    listed = officer_api.get(f"/api/v1/plans/?from={today()}&to={today()}").json()["results"]
    assert [p["uuid"] for p in listed] == [item["uuid"]]
    assert listed[0]["target"] == "Rumah Pak RT 03"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"village": "34.71.01.1001"}, "village"),
        ({"activity_type": "nope"}, "activity_type"),
        ({"start_time": "12:00", "end_time": "10:00"}, "end_time"),
        ({"date": "soon"}, "date"),
        ({"target_kind": "enemy"}, "target_kind"),
    ],
)
def test_bad_plans_name_the_field(
    world: World, officer_api: APIClient, overrides: dict, field: str
) -> None:
    response = officer_api.post("/api/v1/plans/", plan(world, today(), **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert PlanItem.objects.count() == 0


def test_supervisors_comment_and_only_the_officer_changes_a_plan(
    world: World, officer_api: APIClient, client_for: ClientFor
) -> None:
    item = plan(world, today())
    officer_api.post("/api/v1/plans/", item, format="json")
    url = f"/api/v1/plans/{item['uuid']}"
    polres = client_for(Role.POLRES)
    response = polres.post(f"{url}/comments", {"text": "Libatkan Babinsa."}, format="json")
    assert response.status_code == 201
    assert response.json()["comments"][0]["text"] == "Libatkan Babinsa."
    assert polres.patch(url, {"notes": "x"}, format="json").status_code == 403
    assert (
        officer_api.patch(url, {"notes": "Bersama Babinsa"}, format="json").json()["notes"]
        == "Bersama Babinsa"
    )
    assert (
        client_for(Role.ADMIN).post(f"{url}/comments", {"text": "x"}, format="json").status_code
        == 404  # administrators do not see field work
    )
    assert officer_api.delete(url).status_code == 204
    assert PlanItem.objects.count() == 0


def test_realization_counts_reported_late_missed_and_pending(
    world: World, officer_api: APIClient
) -> None:
    day = today()
    reported = plan(world, day - dt.timedelta(days=3), activity_type="kegiatan-desa")
    late = plan(world, day - dt.timedelta(days=2), activity_type="kegiatan-desa")
    missed = plan(world, day - dt.timedelta(days=1))
    pending = plan(world, day + dt.timedelta(days=1))
    same_day = plan(world, day - dt.timedelta(days=3), activity_type="pelayanan-polisi")
    for item in (reported, late, missed, pending, same_day):
        assert officer_api.post("/api/v1/plans/", item, format="json").status_code == 201
    wib = dt.timezone(dt.timedelta(hours=7))

    def at(d: str, hour: int) -> str:
        return dt.datetime.combine(dt.date.fromisoformat(d), dt.time(hour), wib).isoformat()

    officer_api.post(
        "/api/v1/reports/",
        report_payload(world, plan_item=reported["uuid"], occurred_at=at(reported["date"], 10)),
        format="json",
    )
    officer_api.post(
        "/api/v1/reports/",
        report_payload(world, plan_item=late["uuid"], occurred_at=at(missed["date"], 9)),
        format="json",
    )
    # Not linked to the plan, but the same type, village and local day: it realizes it.
    officer_api.post(
        "/api/v1/reports/",
        report_payload(
            world,
            activity_type="pelayanan-polisi",
            outcome="Selesai.",
            occurred_at=at(same_day["date"], 14),
        ),
        format="json",
    )
    rows = officer_api.get(
        f"/api/v1/plans/realization?from={day - dt.timedelta(days=7)}&to={day + dt.timedelta(days=7)}"
    ).json()
    assert len(rows) == 1
    row = rows[0]
    assert (row["planned"], row["reported"], row["late"], row["missed"], row["pending"]) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert row["rate"] == 75
    states = {i["plan_item"]: i["status"] for i in row["items"]}
    assert states[missed["uuid"]] == "missed" and states[pending["uuid"]] == "pending"


def test_the_schedule_board_is_public_and_shows_nothing_sensitive(
    world: World, officer_api: APIClient
) -> None:
    officer = world.officers["polsek_a1a"]
    officer.phone = "0812-1111-2222"
    officer.save(update_fields=["phone"])
    officer_api.post("/api/v1/plans/", plan(world, today() + dt.timedelta(days=2)), format="json")
    officer_api.post("/api/v1/plans/", plan(world, today() + dt.timedelta(days=30)), format="json")
    code = world.units["polsek_a1a"].code
    body = APIClient().get(f"/api/v1/public/schedule/{code}").json()
    visits = [v for d in body["days"] for v in d["visits"]]
    assert len(body["days"]) == 7 and len(visits) == 1
    assert visits[0]["phone"] == "0812-1111-2222"
    assert visits[0]["village_name"] == world.villages["polsek_a1a"].name
    page = Client().get(f"/schedule/{code}/")
    html = page.content.decode()
    assert page.status_code == 200 and officer.name in html
    for secret in ("Rumah Pak RT 03", "pencurian", officer.nrp):
        assert secret not in html and secret not in str(body)
    assert Client().get(f"/schedule/{code}.json").json()["unit"] == code
    assert (
        APIClient().get(f"/api/v1/public/schedule/{world.units['polres_a1'].code}").status_code
        == 404
    )
