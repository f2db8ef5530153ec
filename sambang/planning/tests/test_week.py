"""An officer's suggested week: the routing on hand-checked cases, and the page to plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from sambang.community.models import KeyFigure, VulnerableSpot
from sambang.evaluation.periods import local_today
from sambang.fieldwork import services as field_services
from sambang.fieldwork.api.reports import ReportWriteSerializer
from sambang.fieldwork.models import PlanItem
from sambang.organization.services import directive_issue
from sambang.personnel.models import Role
from sambang.planning.routing import Stop, Week, plan_week, road_km, travel_minutes
from sambang.planning.week import next_monday
from sambang.testing.fieldwork import household, report_payload
from sambang.testing.world import World

BASE = (-6.3, 107.0)


def east(km: float) -> tuple[float, float]:
    """A point ``km`` straight east of the base."""
    return (BASE[0], BASE[1] + km / 110.6)


def stop(key: str, km: float, minutes: int = 30, penalty: int = 1000, **kw: Any) -> Stop:
    lat, lng = east(km)
    return Stop(key, lat, lng, minutes, penalty, **kw)


def test_travel_is_the_straight_line_times_the_road_factor_at_30_km_an_hour() -> None:
    assert road_km(BASE, east(10)) == pytest.approx(14, rel=0.01)
    assert travel_minutes(BASE, east(10)) == 28  # 14 km at 30 km/h


def test_a_day_visits_stops_on_one_road_in_order_and_comes_back() -> None:
    route = plan_week(Week(BASE, [stop("far", 6), stop("near", 2), stop("mid", 4)], 1, 480, 0.1))
    assert [key for key, _ in route.days[0]] == ["near", "mid", "far"]
    # arrival: 2 km × 1.4 at 30 km/h = 6 min; then 30 min there and 6 more minutes, …
    assert [minute for _, minute in route.days[0]] == [6, 42, 78]
    assert route.km[0] == pytest.approx(2 * 6 * 1.4, rel=0.01)
    assert route.dropped == []


def test_a_full_day_spills_into_the_next_and_a_tied_stop_keeps_its_day() -> None:
    stops = [
        stop("a", 1, minutes=300),
        stop("b", 1.1, minutes=300),
        stop("follow-up", 1.2, minutes=45, days=(2,)),
    ]
    route = plan_week(Week(BASE, stops, 3, 480, 0.1))
    days = [[key for key, _ in day] for day in route.days]
    assert sorted(len(d) for d in days[:2]) == [1, 1]  # 300 + 300 minutes fit no one day
    assert "follow-up" in days[2]


def test_what_does_not_fit_is_left_out_least_important_first() -> None:
    stops = [
        stop("important", 1, minutes=400, penalty=5000),
        stop("minor", 1, minutes=400, penalty=10),
        stop("also", 1, minutes=400, penalty=3000),
    ]
    route = plan_week(Week(BASE, stops, 2, 480, 0.1))
    assert route.dropped == ["minor"]


def _file(world: World, officer: Any, **payload: Any) -> None:
    data = ReportWriteSerializer(data=report_payload(world, **payload))
    data.is_valid(raise_exception=True)
    field_services.report_create(officer=officer, data=data.validated_data)


@pytest.fixture
def busy_officer(world: World) -> dict[str, Any]:
    """The officer user with something of every kind due next week."""
    officer = world.officers["polsek_a1a"]
    village = world.villages["polsek_a1a"]
    monday = next_monday(local_today(officer.unit))
    ten_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=10)).isoformat()
    _file(
        world,
        officer,
        activity_type="dds",
        participants=None,
        occurred_at=ten_days_ago,
        household=household(),
        narrative="Sambang rumah warga RT 003: keluhan pencurian motor malam hari.",
    )
    wednesday = monday + dt.timedelta(days=2)
    _file(
        world,
        officer,
        activity_type="problem-solving",
        participants=None,
        occurred_at=ten_days_ago,
        narrative="Mediasi sengketa batas tanah antara dua tetangga di RT 002.",
        problem={
            "kind": "dispute",
            "parties": "Pak Ahmad dan Pak Budi",
            "follow_up_date": str(wednesday),
        },
    )
    KeyFigure.objects.create(
        village=village, kind="religious", name="Ustadz Hasan", influence="high"
    )
    VulnerableSpot.objects.create(
        village=village,
        category="crime",
        level="high",
        latitude=(village.centroid_lat or 0) + 0.005,
        longitude=village.centroid_lng or 0,
        cell=0,
        last_reviewed=dt.date(2026, 1, 5),
    )
    directive_issue(
        issuer=world.users[Role.NATIONAL],
        unit=world.units["polsek_a1a"],
        title="Petakan titik rawan banjir",
        body="Laporkan sebelum akhir pekan.",
        due_date=monday + dt.timedelta(days=4),
    )
    return {"officer": officer, "monday": monday, "wednesday": wednesday}


def _form(page: Any) -> dict[str, Any]:
    """The week form as the browser sends it: every ticked item with its day and times."""
    suggestion = page.context["suggestion"]
    data: dict[str, Any] = {"start": suggestion.start.isoformat(), "item": []}
    for items in suggestion.days:
        for item in items:
            data["item"].append(item.key)
            data[f"day-{item.key}"] = str(item.day)
            if item.start:
                data[f"shown-{item.key}"] = f"{item.start:%H:%M}-{item.end:%H:%M}"
                data[f"shown-day-{item.key}"] = str(item.day)
    return data


def test_an_officer_accepts_a_suggested_week_into_plans(
    world: World, busy_officer: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    monday = busy_officer["monday"]
    page = client.get(reverse("planning:week"), {"start": monday.isoformat()})
    assert page.status_code == 200
    suggestion = page.context["suggestion"]
    assert suggestion.dates == [monday + dt.timedelta(days=i) for i in range(5)]
    kinds = {item.kind: item for day in suggestion.days for item in day}
    assert {"village", "household", "figure", "spot", "mediation", "directive"} <= set(kinds)
    assert suggestion.dates[kinds["mediation"].day] == busy_officer["wednesday"]
    assert suggestion.dates[kinds["directive"].day] <= monday + dt.timedelta(days=4)
    # Every day holds every mandatory activity of the catalogue.
    for items in suggestion.days:
        assert {
            "dds",
            "deteksi-dini",
            "problem-solving",
            "pelayanan-polisi",
            "kegiatan-desa",
            "pembinaan-ormas",
            "pembinaan-siskamling",
        } <= {i.activity_type for i in items}
    text = page.content.decode()
    assert "Ustadz Hasan" in text and "Pak Ahmad dan Pak Budi" in text

    form = _form(page)
    moved = kinds["figure"].key
    form[f"day-{moved}"] = "4"  # the officer moves the meeting to Friday
    answer = client.post(reverse("planning:week"), form)
    assert answer.status_code == 302 and answer["Location"] == reverse("fieldwork:plan_list")
    officer = busy_officer["officer"]
    planned = PlanItem.objects.filter(officer=officer, date__gte=monday)
    assert planned.count() == len(form["item"])
    meeting = planned.get(target="Ustadz Hasan")
    assert meeting.date == monday + dt.timedelta(days=4) and meeting.start_time is None
    mediation = planned.get(activity_type__code="problem-solving", target__startswith="Pak Ahmad")
    assert mediation.date == busy_officer["wednesday"] and mediation.start_time is not None
    # Sent again (a lost answer, a reload): the same plan items, none twice.
    client.post(reverse("planning:week"), form)
    assert PlanItem.objects.filter(officer=officer, date__gte=monday).count() == len(form["item"])
    # The plans are the existing ones: plan against realization counts them.
    assert client.get(reverse("fieldwork:plan_list")).status_code == 200


def test_a_week_cannot_be_planned_by_others_nor_with_bad_input(
    world: World, busy_officer: dict[str, Any]
) -> None:
    for role in (Role.POLSEK, Role.ADMIN):
        other = Client()
        other.force_login(world.users[role])
        assert other.get(reverse("planning:week")).status_code == 403
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    page = client.get(reverse("planning:week"), {"start": "not-a-date"}, follow=True)
    assert page.status_code == 200 and page.context["suggestion"].start == busy_officer["monday"]
    assert "four weeks" in page.content.decode() or "empat minggu" in page.content.decode()
    form = _form(page)
    form[f"day-{form['item'][0]}"] = "9"
    answer = client.post(reverse("planning:week"), form, follow=True)
    assert (
        PlanItem.objects.filter(
            officer=busy_officer["officer"], date__gte=busy_officer["monday"]
        ).count()
        == 0
    )
    assert "day" in answer.content.decode().lower() or "hari" in answer.content.decode().lower()


def test_an_officer_without_a_village_is_told_why(world: World) -> None:
    officer = world.officers["polsek_a1a"]
    officer.assignments.filter(end_date__isnull=True).update(end_date=F("start_date"))
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    page = client.get(reverse("planning:week"))
    assert page.status_code == 200 and page.context["suggestion"] is None
    assert "no village" in page.content.decode() or "tidak membina" in page.content.decode()
