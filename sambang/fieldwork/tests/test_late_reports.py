"""A supervisor records a report the officer's phone can no longer send: with a reason,
marked late, audited, scoped, and flagged on a month already approved."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from sambang.audit.models import AuditEvent
from sambang.evaluation.models import EvaluationStatus, LateChange, MonthlyEvaluation, OfficerMonth
from sambang.fieldwork.models import ActivityReport
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))


def late_payload(world: World, days: int = 60, **overrides: Any) -> dict[str, Any]:
    when = (dt.datetime.now(WIB) - dt.timedelta(days=days)).replace(microsecond=0)
    payload = report_payload(world, occurred_at=when.isoformat(), **overrides)
    return {"reason": "Ponsel rusak; laporan ditulis di buku dan dicatat oleh Kapolsek.", **payload}


def url(world: World, key: str = "polsek_a1a") -> str:
    return f"/api/v1/officers/{world.officers[key].nrp}/late-reports"


def test_a_supervisor_records_a_late_report_marked_audited_and_counted(
    world: World, client_for: Any
) -> None:
    payload = late_payload(world)
    response = client_for("polsek").post(url(world), payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recorded_late_by"] == world.users["polsek"].username
    assert body["late_reason"].startswith("Ponsel rusak")
    report = ActivityReport.objects.get(uuid=body["uuid"])
    assert report.officer == world.officers["polsek_a1a"] and report.state == "sent"
    event = AuditEvent.objects.get(action="create", detail__change="recorded_late")
    assert event.user == world.users["polsek"] and event.object_id == str(report.pk)
    month = report.occurred_at.astimezone(WIB).date().replace(day=1)
    assert OfficerMonth.objects.get(officer=report.officer, month=month).reports == 1
    # Sent again (a retry): the same report.
    again = client_for("polsek").post(url(world), payload, format="json")
    assert again.status_code == 200 and ActivityReport.objects.count() == 1


def test_a_late_report_needs_a_reason_and_a_date_within_a_year(
    world: World, client_for: Any
) -> None:
    polsek = client_for("polsek")
    blank = polsek.post(url(world), late_payload(world, reason=" "), format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["error"]["fields"]
    ancient = polsek.post(url(world), late_payload(world, days=400), format="json")
    assert ancient.status_code == 400 and "occurred_at" in ancient.json()["error"]["fields"]
    assert not ActivityReport.objects.exists()


def test_only_a_supervisor_above_the_officer_records_one(
    world: World, client_for: Any, officer_api: APIClient
) -> None:
    assert officer_api.post(url(world), late_payload(world), format="json").status_code == 403
    assert (
        client_for("admin").post(url(world), late_payload(world), format="json").status_code == 403
    )
    # Another Polda's officer does not exist for this Polsek.
    other = client_for("polsek").post(url(world, "polsek_b1a"), late_payload(world), format="json")
    assert other.status_code == 404
    assert (
        client_for("polres").post(url(world), late_payload(world), format="json").status_code == 201
    )


def test_a_late_report_in_an_approved_month_is_flagged_on_it(world: World, client_for: Any) -> None:
    payload = late_payload(world)
    month = dt.datetime.fromisoformat(payload["occurred_at"]).date().replace(day=1)
    evaluation = MonthlyEvaluation.objects.create(
        unit=world.units["polsek_a1a"],
        month=month,
        status=EvaluationStatus.APPROVED,
        figures={"reports": 0},
        submitted_by=world.users["polsek"],
        submitted_at=timezone.now(),
        decided_by=world.users["polres"],
        decided_at=timezone.now(),
    )
    assert client_for("polres").post(url(world), payload, format="json").status_code == 201
    assert LateChange.objects.filter(evaluation=evaluation, what="activity").exists()
    evaluation.refresh_from_db()
    assert evaluation.figures == {"reports": 0}  # the approved figures stand


def test_the_supervisor_records_it_from_the_officers_page(world: World) -> None:
    officer = world.officers["polsek_a1a"]
    client = Client()
    client.force_login(world.users["polsek"])
    profile = client.get(f"/officers/{officer.nrp}/").content.decode()
    assert f"/field/officers/{officer.nrp}/late-report/" in profile
    form = client.get(f"/field/officers/{officer.nrp}/late-report/")
    assert form.status_code == 200 and "Why it is recorded late" in form.content.decode()
    when = (dt.datetime.now(WIB) - dt.timedelta(days=50)).strftime("%Y-%m-%dT%H:%M")
    fields = {
        "uuid": str(uuid.uuid4()),
        "activity_type": "kegiatan-desa",
        "village": world.villages["polsek_a1a"].code,
        "occurred_at": when,
        "narrative": "Musyawarah warga tentang jadwal ronda malam di balai desa.",
        "participants": "20",
        "partners": ["babinsa"],
    }
    refused = client.post(f"/field/officers/{officer.nrp}/late-report/", fields)
    # The reason's field says what is wrong; what was typed stays in the form.
    assert refused.status_code == 400
    assert 'id="reason-errors"' in refused.content.decode()
    assert "Musyawarah warga tentang jadwal ronda" in refused.content.decode()
    saved = client.post(
        f"/field/officers/{officer.nrp}/late-report/",
        {**fields, "reason": "Ponsel petugas hilang."},
        follow=True,
    )
    page = saved.content.decode()
    assert "Recorded late" in page and "Ponsel petugas hilang." in page
