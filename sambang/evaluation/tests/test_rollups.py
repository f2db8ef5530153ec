"""Rollups follow every write, and a rebuild from scratch finds exactly the same rows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from sambang.evaluation.models import (
    ActivityDay,
    CitizenDay,
    CountedReport,
    IncidentDay,
    OfficerMonth,
    PlanDay,
    UnitMonth,
    UnitTypeMonth,
)
from sambang.fieldwork import processing
from sambang.fieldwork.models import ActivityReport, ActivityType, PlanItem
from sambang.personnel.models import Role
from sambang.public.models import CitizenReport
from sambang.security.models import Incident
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
TABLES: list[type[models.Model]] = [
    ActivityDay,
    PlanDay,
    OfficerMonth,
    UnitMonth,
    UnitTypeMonth,
    IncidentDay,
    CitizenDay,
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup row by value (ids aside), zero rows left out, sorted."""
    result = {}
    for model in TABLES:
        names = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        rows = [
            row
            for row in model._default_manager.values_list(*names)
            if not (model is UnitTypeMonth and row[-1] == 0)
        ]
        result[model.__name__] = sorted(rows, key=repr)
    return result


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def at(day: dt.date, hour: int) -> str:
    return dt.datetime.combine(day, dt.time(hour), WIB).isoformat()


def test_incremental_rollups_equal_a_rebuild_after_creates_edits_and_deletes(
    world: World,
) -> None:
    officer = api(world, Role.OFFICER)
    village = world.villages["polsek_a1a"].code
    day = dt.datetime.now(WIB).date() - dt.timedelta(days=3)
    plan = {
        "uuid": str(uuid.uuid4()),
        "activity_type": "pelayanan-polisi",
        "village": village,
        "date": day.isoformat(),
    }
    assert officer.post("/api/v1/plans/", plan, format="json").status_code == 201
    unplanned = {**plan, "uuid": str(uuid.uuid4()), "activity_type": "kegiatan-desa"}
    assert officer.post("/api/v1/plans/", unplanned, format="json").status_code == 201
    # Reports: one realizing the plan the next day (late), one just after local midnight
    # (still the next local day in WIB, the previous day in UTC), one left a draft.
    late = report_payload(
        world,
        activity_type="pelayanan-polisi",
        plan_item=plan["uuid"],
        outcome="Laporan kehilangan dibantu.",
        occurred_at=at(day, 23),
    )
    late["occurred_at"] = at(day + dt.timedelta(days=1), 9)
    midnight = report_payload(world, occurred_at=at(day + dt.timedelta(days=1), 0))
    draft = report_payload(world, occurred_at=at(day, 10), state="draft")
    for payload in (late, midnight, draft):
        response = officer.post("/api/v1/reports/", payload, format="json")
        assert response.status_code == 201, response.json()
    # An edit that moves a report to another day, and a deletion.
    moved = report_payload(world, occurred_at=at(day, 8))
    assert officer.post("/api/v1/reports/", moved, format="json").status_code == 201
    earlier = at(day - dt.timedelta(days=1), 15)
    edited = officer.patch(f"/api/v1/reports/{moved['uuid']}", {"occurred_at": earlier})
    assert edited.status_code == 200, edited.json()
    assert ActivityReport.objects.get(uuid=moved["uuid"]).occurred_at.astimezone(WIB).hour == 15
    PlanItem.objects.get(uuid=unplanned["uuid"]).delete()
    # Incidents and residents' reports.
    incident = {
        "category": "curanmor",
        "occurred_at": at(day, 22),
        "village": village,
        "description": "Motor hilang di parkiran masjid.",
        "dead": 0,
        "injured": 1,
    }
    assert officer.post("/api/v1/incidents/", incident, format="json").status_code == 201
    moved_incident = officer.post(
        "/api/v1/incidents/", {**incident, "category": "tawuran-pelajar"}, format="json"
    ).json()["id"]
    Incident.objects.filter(pk=moved_incident).update()  # no signal: changes nothing
    record = Incident.objects.get(pk=moved_incident)
    record.occurred_at = record.occurred_at - dt.timedelta(days=40)
    record.save()
    for text in ("Motor dicuri di depan warung.", "Balap liar tiap malam Minggu."):
        Client().post(
            f"/lapor/{village}/", {"category": "crime", "description": text, "anonymous": "on"}
        )
    answered = CitizenReport.objects.order_by("id").first()
    assert answered is not None
    staff = Client()
    staff.force_login(world.users[Role.POLSEK])
    staff.post(
        f"/citizen-reports/{answered.tracking_code}/",
        {"action": "answer", "note": "Sedang kami tindak lanjuti."},
    )

    incremental = snapshot()
    assert incremental["ActivityDay"] and incremental["PlanDay"] and incremental["CitizenDay"]
    assert incremental["UnitMonth"]
    plan_days = {row.day: row for row in PlanDay.objects.all()}
    assert (plan_days[day].planned, plan_days[day].realized_late) == (1, 1)
    month = OfficerMonth.objects.get(month=(day + dt.timedelta(days=1)).replace(day=1))
    assert month.reports >= 2  # the draft is not counted
    assert CitizenDay.objects.filter(response_hours__isnull=False).count() == 1
    call_command("rollups", "rebuild")
    assert snapshot() == incremental


@pytest.mark.django_db(transaction=True)
def test_reports_written_at_once_by_one_officer_all_count(world: World) -> None:
    """An offline phone catching up sends several reports at the same moment, and several
    report workers take them (``FOR UPDATE SKIP LOCKED``): each is counted once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs one writer at a time)")
    import threading

    from django.db import transaction

    officer = world.officers["polsek_a1a"]
    village = world.villages["polsek_a1a"]
    kind = ActivityType.objects.get(code="kegiatan-desa")
    start = dt.datetime(2026, 9, 14, 8, tzinfo=WIB)
    rounds, writers = 4, 4
    barrier = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for number in range(rounds):
                barrier.wait(timeout=30)
                with transaction.atomic():
                    when = start + dt.timedelta(minutes=10 * (index + writers * number))
                    ActivityReport.objects.create(
                        uuid=uuid.uuid4(),
                        officer=officer,
                        unit=officer.unit,
                        activity_type=kind,
                        village=village,
                        occurred_at=when,
                        narrative="Sambang warga.",
                        state="sent",
                        submitted_at=when,
                        content_hash=uuid.uuid4().hex,
                        pending=True,  # accepted, as the report service leaves it
                    )
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    processed: list[int] = []

    def work() -> None:
        """A report worker (``sambang process``): small batches, beside two others."""
        try:
            barrier.wait(timeout=30)
            while done := processing.process_batch(limit=3):
                processed.append(done)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    for target, count in ((write, writers), (work, writers)):
        threads = [
            threading.Thread(target=target, args=(i,) if target is write else ())
            for i in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
    assert sum(processed) == rounds * writers  # each report by one worker, once
    assert len(processed) > 1
    assert CountedReport.objects.count() == rounds * writers
    day = ActivityDay.objects.get(officer=officer, day=dt.date(2026, 9, 14))
    assert day.reports == rounds * writers
    assert OfficerMonth.objects.get(officer=officer, month=dt.date(2026, 9, 1)).reports == 16
    incremental = snapshot()
    call_command("rollups", "rebuild")
    assert snapshot() == incremental
