"""The demo's monthly evaluation: what the Polres supervisor opens, checked against raw data."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
from django.db.models import Count
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
        (r.officer_id, r.village_id, r.occurred_at.astimezone(WIB).date(), r.integrity_level)
        for r in ActivityReport.objects.exclude(state="draft").filter(
            unit__path__startswith=Unit.objects.get(code="POLRES-METRO-BEKASI").path
        )
    ]
    in_month = [r for r in reports if r[2].replace(day=1) == last]
    trusted = [r for r in in_month if r[3] != "doubtful"]
    assignments = list(
        Assignment.objects.values_list("officer_id", "village_id", "start_date", "end_date")
    )
    covered = {
        r[:3]
        for r in trusted
        if any(
            o == r[0] and v == r[1] and s <= r[2] and (e is None or r[2] <= e)
            for o, v, s, e in assignments
        )
    }
    now = body["series"][-1]
    assert now["reports"] == len(in_month) > 0
    assert now["trusted"] == len(trusted) and now["doubtful"] == len(in_month) - len(trusted)
    assert now["reported"] == len(covered)  # village-days with a trusted report
    assert sum(c["figures"]["reports"] for c in body["children"]) == len(in_month)
    # Exports for the meeting.
    pdf = client.get(f"/anev/POLRES-METRO-BEKASI/{last:%Y-%m}/?export=pdf")
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/anev/POLRES-METRO-BEKASI/{last:%Y-%m}/?export=xlsx").getvalue())
    )
    assert {"Units", "Equipment", "Budget"} <= set(book.sheetnames)
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


def test_the_officer_who_games_the_demo_is_last_of_his_polsek_and_his_page_says_why(
    demo: str,
) -> None:
    last = add_months(dt.datetime.now(WIB).date().replace(day=1), -1)
    setu = Unit.objects.get(code="POLSEK-SETU")
    gamer = (
        ActivityReport.objects.filter(unit=setu, integrity_level="doubtful")
        .values_list("officer__nrp", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n")[0]
    )
    client = Client()
    assert client.login(username="kapolres", password=DEMO_PASSWORD)
    body = client.get(f"/api/v1/evaluations/POLSEK-SETU/{last:%Y-%m}").json()
    ranking = [row["nrp"] for row in body["officers"]]
    assert ranking[-1] == gamer
    row = body["officers"][-1]
    # He files three reports a day, and none of them counts.
    assert row["figures"]["reports"] > 60 and row["figures"]["trusted"] == 0
    assert (row["figures"]["completeness"], row["level"]) == (0.0, "low")
    page = client.get(f"/anev/officer/{gamer}/{last:%Y-%m}/").content.decode()
    assert "Why reports were doubtful" in page
    assert all(name in page for name in ("Copied text", "Travel between reports"))
    # His Polsek's place among the Polres's units is what its honest officers earned: it
    # counts the same with him and without him.
    polres = client.get(f"/api/v1/evaluations/POLRES-METRO-BEKASI/{last:%Y-%m}").json()
    figures = next(c for c in polres["children"] if c["unit"] == "POLSEK-SETU")["figures"]
    others = [r["figures"] for r in body["officers"][:-1]]
    assert figures["reported"] == sum(f["reported"] for f in others)
