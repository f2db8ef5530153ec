"""The weekly counts kept as records are written, and the weekly run over them."""

from __future__ import annotations

import datetime as dt
import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from rest_framework.test import APIClient

from sambang.alerts.counts import week_of
from sambang.alerts.detection import last_complete_week
from sambang.alerts.models import Alert, DetectionRun, Family, SeriesWeek, Severity, SignalWeek
from sambang.personnel.models import Role
from sambang.public.models import CitizenCategory, CitizenReport, CitizenStatus
from sambang.security.models import Incident, IncidentCategory
from sambang.territory.models import Region
from sambang.testing.fieldwork import INFORMATION, household, report_payload
from sambang.testing.world import World

WIB = dt.timezone(dt.timedelta(hours=7))


def weight(village: Region, family: str, week: dt.date | None = None) -> float:
    rows = SignalWeek.objects.filter(village=village, family=family)
    if week is not None:
        rows = rows.filter(week=week)
    return rows.aggregate(total=Sum("weight"))["total"] or 0.0


def incident(world: World, village: Region, when: dt.datetime, code: str = "pencurian") -> Incident:
    return Incident.objects.create(
        category=IncidentCategory.objects.get(code=code),
        occurred_at=when,
        village=village,
        unit=world.units["polsek_a1a"],
        description="Pencurian sepeda motor di depan warung.",
    )


def test_incidents_are_counted_in_their_local_week_and_move_with_their_village(
    world: World,
) -> None:
    village, other = world.villages["polsek_a1a"], world.free_villages["polsek_a1a"]
    # Sunday 23:30 in Bekasi is Sunday 16:30 UTC: the week of the Monday before.
    sunday = dt.datetime(2026, 11, 29, 23, 30, tzinfo=WIB)
    record = incident(world, village, sunday)
    assert weight(village, Family.INCIDENTS, dt.date(2026, 11, 23)) == 1
    record.village = other
    record.save()
    assert weight(village, Family.INCIDENTS) == 0
    assert weight(other, Family.INCIDENTS, dt.date(2026, 11, 23)) == 1
    record.delete()
    assert not SignalWeek.objects.exists()


def test_residents_reports_count_unless_rejected(world: World) -> None:
    village = world.villages["polsek_a1a"]
    report = CitizenReport.objects.create(
        tracking_code="AB12CD34",
        category=CitizenCategory.CONFLICT,
        description="Warga dua RT bertengkar soal batas tanah.",
        village=village,
        unit=world.units["polsek_a1a"],
        due_at=dt.datetime.now(dt.UTC),
    )
    assert SignalWeek.objects.get(village=village, family=Family.RESIDENTS).key == "conflict"
    report.status, report.rejection_reason = CitizenStatus.REJECTED, "Laporan iseng."
    report.save()
    assert weight(village, Family.RESIDENTS) == 0


@pytest.fixture
def officer_api(world: World) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    return client


def test_early_detection_counts_by_its_grade_and_concerns_by_their_urgency(
    world: World, officer_api: APIClient
) -> None:
    village = world.villages["polsek_a1a"]
    for payload in (
        report_payload(world, activity_type="deteksi-dini", information=INFORMATION),  # C3
        report_payload(
            world,
            activity_type="deteksi-dini",
            information={**INFORMATION, "reliability": "A", "credibility": 1},
            # (its own words: a copied text would make it doubtful, and uncounted)
            narrative="Kepala dusun menyampaikan rencana unjuk rasa pedagang pasar hari Senin "
            "karena kenaikan retribusi; sudah dikoordinasikan dengan Babinsa.",
        ),
        report_payload(
            world,
            activity_type="dds",
            household=household(),
            participants=None,
            narrative="Sambang ke rumah warga RT 3: keluhan pencurian motor malam hari, "
            "disarankan memasang kunci ganda dan mengaktifkan ronda.",
        ),
    ):
        assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    # C3 is 0.6 × 0.6; A1 is 1; one high concern is 1 (a medium one would be 0.5).
    assert weight(village, Family.EARLY_DETECTION) == pytest.approx(0.36 + 1.0)
    row = SignalWeek.objects.get(village=village, family=Family.CONCERNS)
    assert (row.key, row.records, row.weight) == ("security:high", 1, 1.0)


def test_the_weekly_run_raises_an_alert_on_a_rise_and_goes_on_from_where_it_stopped(
    world: World,
) -> None:
    village, quiet = world.villages["polsek_a1a"], world.colleague_village
    assert quiet is not None
    last = last_complete_week()
    # Twenty weeks of one theft a week, then five a week for the last two weeks.
    for n in range(22, 0, -1):
        week = last - dt.timedelta(weeks=n - 1)
        for i in range(5 if n <= 2 else 1):
            incident(world, village, dt.datetime.combine(week, dt.time(10 + i), WIB))
    incident(world, quiet, dt.datetime.combine(last, dt.time(9), WIB))
    out = StringIO()
    call_command("alerts", "detect", stdout=out)
    assert "8 weeks" in out.getvalue()  # a new installation looks back eight weeks
    alert = Alert.objects.get(village=village)
    # 1 a week expected (Poisson, the twelve weeks before the last two); each week of 5 adds
    # 5·ln 2 − 1 = 2.47: 4.93 after two weeks, over 3.0. (5 in one week against 1 is not a
    # spike on its own: P = 0.0037.)
    assert alert.week == last
    assert alert.family == Family.INCIDENTS and alert.severity == Severity.NORMAL
    assert (alert.observed, alert.expected, alert.score) == (10, 2, pytest.approx(4.93, abs=0.01))
    assert not Alert.objects.filter(village=quiet).exists()
    # Only weeks where something happened are kept; the run goes on from where it stopped.
    assert SeriesWeek.objects.filter(village=village).count() == 8
    out = StringIO()
    call_command("alerts", "detect", stdout=out)
    assert "Nothing to do" in out.getvalue()
    assert DetectionRun.objects.count() == 8
    assert DetectionRun.objects.get(week=last).alarms >= 1
    assert week_of(last) == last


def test_weighted_counts_are_watched_as_the_records_they_hold(world: World) -> None:
    # Early detection of low grade: each record weighs 0.25. Twenty weeks of 2 records
    # (0.5 weighted), then 6 records (1.5) two weeks running. On record-equivalents (÷ 0.25)
    # each week adds 6·ln 2 − 2 = 2.16: the alarm sounds in the second week (4.32 ≥ 3); on
    # the weighted units themselves (1.5·ln 2 − 0.5 = 0.54 a week) it never would.
    village, unit = world.villages["polsek_a1a"], world.units["polsek_a1a"]
    last = last_complete_week()
    SignalWeek.objects.bulk_create(
        SignalWeek(
            village=village,
            unit=unit,
            week=last - dt.timedelta(weeks=n),
            family=Family.EARLY_DETECTION,
            key="politics",
            records=6 if n < 2 else 2,
            weight=1.5 if n < 2 else 0.5,
        )
        for n in range(22)
    )
    call_command("alerts", "detect", stdout=StringIO())
    alert = Alert.objects.get(village=village)
    assert alert.week == last and alert.first_week == last - dt.timedelta(weeks=1)
    # Shown in the weighted units the page labels: 3.0 seen against 1.0 expected.
    assert (alert.observed, alert.expected) == (3.0, 1.0)
    assert alert.score == pytest.approx(2 * (6 * math.log(2) - 2), abs=0.01)
