"""The demo's field work: patterns a supervisor can see, through the pages they use."""

from __future__ import annotations

from django.db.models import Count
from django.test import Client

from sambang.fieldwork.models import ActivityReport, IntegrityLevel, PlanItem, VisitConfirmation
from sambang.personnel.models import Officer, User

DEMO_DAYS = 14


def test_the_demo_has_plans_reports_and_confirmations(demo: str) -> None:
    assert ActivityReport.objects.count() > 500
    assert PlanItem.objects.count() > 500
    assert VisitConfirmation.objects.exists()
    levels = dict(ActivityReport.objects.values_list("integrity_level").annotate(n=Count("id")))
    assert levels[IntegrityLevel.VERIFIED] > levels[IntegrityLevel.DOUBTFUL] > 0
    assert ActivityReport.objects.filter(state="approved").exists()
    assert ActivityReport.objects.filter(state="returned").exists()


def test_the_officer_who_games_the_system_stands_out(demo: str) -> None:
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
    demo: str,
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


def test_every_demo_report_passes_the_checks_of_an_officers_own_report(demo: str) -> None:
    """The demo writes its reports in bulk, past the checks of ``report_create``; each must
    still be one that an officer's phone could have sent when the server received it."""
    from sambang.fieldwork.services import report_payload, report_problems

    reports = ActivityReport.objects.select_related("officer__unit").order_by("id")
    assert reports.count() > 500
    for report in reports:
        payload = {**report_payload(report), "uuid": report.uuid, "state": "sent"}
        assert report.submitted_at is not None
        problems = report_problems(
            officer=report.officer, data=payload, received_at=report.submitted_at
        )
        assert problems == {}, (report.pk, report.activity_type.code, problems)
