"""The demo's monthly evaluation: what the Polres supervisor opens, checked against raw data."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
from django.test import Client

from sambang.demo.services import DEMO_PASSWORD
from sambang.evaluation.models import EvaluationStatus, MonthlyEvaluation
from sambang.evaluation.periods import add_months
from sambang.fieldwork.models import ActivityReport
from sambang.organization.models import Unit
from sambang.personnel.models import Assignment

WIB = ZoneInfo("Asia/Jakarta")

DEMO_DAYS = 40  # reaches well into last month


def test_the_polres_supervisor_opens_last_months_anev_and_it_agrees_with_the_reports(
    demo: str,
) -> None:
    client = Client()
    assert client.login(username="kapolres", password=DEMO_PASSWORD)
    last = add_months(dt.datetime.now(WIB).date().replace(day=1), -1)
    home = client.get("/anev/")
    assert home["Location"] == f"/anev/POLRES-METRO-BEKASI/{last:%Y-%m}/"
    page = client.get(home["Location"]).content.decode()
    assert f"/anev/POLSEK-SETU/{last:%Y-%m}/" in page
    polsek = client.get(f"/anev/POLSEK-SETU/{last:%Y-%m}/").content.decode()
    assert "/anev/officer/" in polsek
    body = client.get(f"/api/v1/evaluations/POLRES-METRO-BEKASI/{last:%Y-%m}").json()
    # The same month counted from the raw reports, in the Polres's local time.
    reports = [
        (r.officer_id, r.village_id, r.occurred_at.astimezone(WIB).date())
        for r in ActivityReport.objects.exclude(state="draft").filter(
            unit__path__startswith=Unit.objects.get(code="POLRES-METRO-BEKASI").path
        )
    ]
    in_month = [r for r in reports if r[2].replace(day=1) == last]
    assignments = list(
        Assignment.objects.values_list("officer_id", "village_id", "start_date", "end_date")
    )
    covered = {
        r
        for r in in_month
        if any(
            o == r[0] and v == r[1] and s <= r[2] and (e is None or r[2] <= e)
            for o, v, s, e in assignments
        )
    }
    now = body["series"][-1]
    assert now["reports"] == len(in_month) > 0
    assert now["reported"] == len(covered)
    assert sum(c["figures"]["reports"] for c in body["children"]) == len(in_month)
    # Exports for the meeting.
    pdf = client.get(f"/anev/POLRES-METRO-BEKASI/{last:%Y-%m}/?export=pdf")
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/anev/POLRES-METRO-BEKASI/{last:%Y-%m}/?export=xlsx").getvalue())
    )
    assert {"Units below, ranked", "Equipment", "Budget"} <= set(book.sheetnames)
    # The month before last went up the tree: every Polsek approved, the Polres submitted.
    before_last = MonthlyEvaluation.objects.filter(month=add_months(last, -1))
    assert {e.status for e in before_last if e.unit.level == "polsek"} == {
        EvaluationStatus.APPROVED
    }
    assert before_last.get(unit__code="POLRES-METRO-BEKASI").status == EvaluationStatus.SUBMITTED
    assert {e.status for e in MonthlyEvaluation.objects.filter(month=last)} == {
        EvaluationStatus.SUBMITTED,
        EvaluationStatus.RETURNED,
    }
