"""``sambang generate``: a synthetic country on the real region codes, deterministic from
its seed, that the evaluation reads like real data (here at the smallest scale)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from sambang.demo import national
from sambang.demo.national import GENERATED_PASSWORD, default_period
from sambang.fieldwork.models import ActivityReport, HouseholdVisit, PlanItem
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.organization.services import unit_create
from sambang.personnel.models import Assignment, Officer, User
from sambang.public.models import CitizenReport
from sambang.security.models import Incident
from sambang.territory.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


def fingerprint() -> tuple[object, ...]:
    reports = ActivityReport.objects.order_by("id")
    return (
        Unit.objects.count(),
        Officer.objects.count(),
        PlanItem.objects.count(),
        reports.count(),
        Incident.objects.count(),
        CitizenReport.objects.count(),
        [str(r.uuid) for r in reports[:5]],
        list(reports.values_list("occurred_at", "village_id", "narrative")[:5]),
    )


def test_a_regency_is_generated_on_real_codes_with_an_officer_for_most_villages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("generate", "--scale", "regency", "--months", "1")
    out = capsys.readouterr().out
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="32.16")
    assert villages.count() == 187  # Kabupaten Bekasi, Kepmendagri 2025
    levels = dict(Unit.objects.values_list("level").annotate(n=Count("id")))
    assert levels[UnitLevel.MABES] == levels[UnitLevel.POLDA] == levels[UnitLevel.POLRES] == 1
    assert 12 <= levels[UnitLevel.POLSEK] <= 23  # 23 districts, some Polsek cover two
    assert Jurisdiction.objects.count() == 187
    covered = Assignment.objects.values("village").distinct().count()
    assert 0.45 < covered / 187 < 0.9
    # Both patterns of the field: kelurahan with several officers (one of them the
    # residents' contact), officers with several villages.
    per_village = Assignment.objects.values("village").annotate(n=Count("id"))
    shared = [row["village"] for row in per_village if row["n"] > 1]
    assert shared and all(code[-4] == "1" for code in shared)
    assert Assignment.objects.filter(is_contact=True).count() == covered
    per_officer = Assignment.objects.values("officer").annotate(n=Count("id"))
    assert any(row["n"] > 1 for row in per_officer)
    assert Officer.objects.filter(user__isnull=True).count() == 0
    assert set(ActivityReport.objects.values_list("village_id", flat=True)) <= set(
        Assignment.objects.values_list("village_id", flat=True)
    )
    first, last = default_period(1)
    days = ActivityReport.objects.values_list("occurred_at__date", flat=True)
    assert first <= min(days) and max(days) <= last  # dates in Bekasi, the settings' zone
    assert HouseholdVisit.objects.exists() and Incident.objects.exists()
    assert f"{ActivityReport.objects.count():,} reports" in out

    # Weekly rhythm: fewer reports on Sundays than on Mondays.
    by_weekday = dict(
        ActivityReport.objects.values_list("occurred_at__week_day").annotate(n=Count("id"))
    )
    assert by_weekday[1] < by_weekday[2] / 2  # 1 = Sunday, 2 = Monday

    # The key counters continue after the generated rows.
    unit_create(
        code="POLSEK-BARU",
        name="Polsek Baru",
        level="polsek",
        parent=Unit.objects.get(level=UnitLevel.POLRES),
    )


def test_the_evaluation_reads_the_generated_month(client: Client) -> None:
    call_command("generate", "--scale", "regency", "--months", "1")
    polres = Unit.objects.get(level=UnitLevel.POLRES)
    assert client.login(username=polres.code.lower(), password=GENERATED_PASSWORD)
    first, _ = default_period(1)
    response = client.get(f"/api/v1/evaluations/{polres.code}/{first:%Y-%m}")
    assert response.status_code == 200, response.content
    body = response.json()
    # Every generated report falls in the month, and the Anev counts each once.
    assert body["series"][-1]["reports"] == ActivityReport.objects.count()


def test_a_busy_last_evening_stays_in_the_month() -> None:
    # November 2026 ends on a Monday, a busy day: its evening reports once ran past midnight
    # into December, out of the month's Anev.
    national.generate(scale="regency", months=1, today=dt.date(2026, 12, 1))
    local = ActivityReport.objects.values_list("occurred_at", flat=True)
    days = {when.astimezone(ZoneInfo("Asia/Jakarta")).date() for when in local}
    assert min(days) == dt.date(2026, 11, 1) and max(days) == dt.date(2026, 11, 30)
    last_evening = ActivityReport.objects.filter(
        occurred_at__gte=dt.datetime(2026, 11, 30, 19, tzinfo=ZoneInfo("Asia/Jakarta"))
    )
    assert last_evening.count() >= 5  # the day's late reports are there, kept before midnight


def test_the_same_seed_builds_the_same_country() -> None:
    call_command("generate", "--scale", "regency", "--seed", "7")
    first = fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    call_command("generate", "--scale", "regency", "--seed", "7")
    assert fingerprint() == first
    call_command("flush", interactive=False, verbosity=0)
    call_command("generate", "--scale", "regency", "--seed", "8")
    assert fingerprint() != first


def test_generation_refuses_a_database_that_holds_units() -> None:
    call_command("generate", "--scale", "regency")
    with pytest.raises(CommandError, match="empty database"):
        call_command("generate", "--scale", "regency")


@pytest.mark.parametrize("debug", [False, True])
def test_generation_stays_out_of_production(settings: Any, debug: bool) -> None:
    # Its accounts share a published password: not even DEBUG lets it run outside the demo.
    settings.DEMO_MODE, settings.DEBUG = False, debug
    with pytest.raises(CommandError, match="only with SAMBANG_DEMO=1"):
        call_command("generate", "--scale", "regency")
    assert not Unit.objects.exists()
    assert not User.objects.exists()


def test_generated_accounts_are_demo_accounts_refused_outside_the_demo(settings: Any) -> None:
    national.generate(scale="regency", months=1)
    assert User.objects.exists()
    assert not User.objects.filter(is_demo=False).exists()
    polres = Unit.objects.get(level=UnitLevel.POLRES).code.lower()
    settings.DEMO_MODE = False
    client = Client()
    assert not client.login(username=polres, password=GENERATED_PASSWORD)
    response = client.post("/accounts/login/", {"username": polres, "password": GENERATED_PASSWORD})
    assert response.status_code == 200  # the form again, not signed in
    assert Client().post(
        "/api/v1/auth/token", {"username": polres, "password": GENERATED_PASSWORD}
    ).status_code in (400, 401, 403)
