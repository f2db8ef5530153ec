"""The demo's field work: patterns a supervisor can see, through the pages they use."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from sambang.fieldwork.models import ActivityReport, IntegrityLevel, PlanItem, VisitConfirmation
from sambang.personnel.models import Officer, User


@pytest.fixture(autouse=True)
def demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = True


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", "--days", "14")


def test_the_demo_has_plans_reports_and_confirmations(demo: None) -> None:
    assert ActivityReport.objects.count() > 500
    assert PlanItem.objects.count() > 500
    assert VisitConfirmation.objects.exists()
    levels = dict(ActivityReport.objects.values_list("integrity_level").annotate(n=Count("id")))
    assert levels[IntegrityLevel.VERIFIED] > levels[IntegrityLevel.DOUBTFUL] > 0
    assert ActivityReport.objects.filter(state="approved").exists()
    assert ActivityReport.objects.filter(state="returned").exists()


def test_the_officer_who_games_the_system_stands_out(demo: None) -> None:
    doubtful = (
        ActivityReport.objects.filter(integrity_level=IntegrityLevel.DOUBTFUL)
        .values("officer")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    gamer = Officer.objects.get(pk=doubtful[0]["officer"])
    assert gamer.unit.code == "POLSEK-SETU"
    codes = {
        s["code"]
        for signals in ActivityReport.objects.filter(officer=gamer).values_list(
            "integrity_signals", flat=True
        )
        for s in signals
        if s["status"] == "fail"
    }
    assert {"text_copy", "photo_reuse", "travel"} <= codes
    # Most officers write their own reports: few doubtful reports outside the gamer's.
    others = ActivityReport.objects.exclude(officer=gamer)
    assert others.filter(integrity_level=IntegrityLevel.DOUBTFUL).count() < others.count() * 0.05


def test_the_demo_officer_sees_their_reports_and_the_supervisor_filters_doubtful_ones(
    demo: None,
) -> None:
    officer = Client()
    officer.force_login(User.objects.get(username="bhabin"))
    assert officer.get("/field/").status_code == 200
    mine = officer.get("/field/reports/").content.decode()
    assert "Approved" in mine or "Sent" in mine
    kapolres = Client()
    kapolres.force_login(User.objects.get(username="kapolres"))
    page = kapolres.get("/field/reports/?integrity=doubtful").content.decode()
    assert "Doubtful" in page and "Verified" not in page.split("<tbody>")[1]
