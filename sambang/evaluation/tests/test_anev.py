"""The monthly Anev on hand-built data: every indicator, mid-month assignments, zone edges."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.evaluation.models import LateChange
from sambang.evaluation.rollups import count_reports
from sambang.evaluation.stats import poisson_change
from sambang.fieldwork.models import ActivityReport, ActivityType, PlanItem
from sambang.organization.models import Unit
from sambang.personnel.models import Assignment, Officer, Role
from sambang.public.models import CitizenReport
from sambang.security.models import Incident, IncidentCategory
from sambang.territory.models import Region
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

SEPTEMBER = dt.date(2026, 9, 1)
WIB = ZoneInfo("Asia/Jakarta")


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def report(
    officer: Officer,
    village: Region,
    when: dt.datetime,
    *,
    level: str = "verified",
    late_hours: float = 1,
    activity: str = "kegiatan-desa",
    failing: str = "gps",
) -> ActivityReport:
    """A sent report as the worker leaves it, checked ``level`` and counted in the rollups;
    a doubtful one failed the ``failing`` signal."""
    signals = [{"code": failing, "status": "fail", "params": {}}] if level == "doubtful" else []
    filed = ActivityReport.objects.create(
        integrity_signals=signals,
        uuid=uuid.uuid4(),
        officer=officer,
        unit=officer.unit,
        activity_type=ActivityType.objects.get(code=activity),
        village=village,
        occurred_at=when,
        narrative="Musyawarah warga di balai desa tentang ronda malam.",
        state="sent",
        submitted_at=when + dt.timedelta(hours=late_hours),
        integrity_level=level,
        content_hash=uuid.uuid4().hex,
    )
    count_reports([filed.pk])
    return filed


def wib(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def september_of_polsek_a1a(world: World) -> tuple[Officer, Region, Region]:
    """One officer: a village all month, a second one from 21 September."""
    officer = world.officers["polsek_a1a"]
    v1, v2 = world.villages["polsek_a1a"], world.free_villages["polsek_a1a"]
    Assignment.objects.create(officer=officer, village=v2, start_date=dt.date(2026, 9, 21))
    report(officer, v1, wib(9, 3, 9))
    report(officer, v1, wib(9, 3, 14), level="doubtful")
    report(officer, v1, wib(9, 10, 10), level="plausible", late_hours=50)
    report(officer, v1, wib(9, 30, 23, 30))  # the last hour of September in WIB
    report(officer, v1, wib(10, 1, 0, 30))  # already October
    report(officer, v2, wib(9, 15, 10))  # before the assignment began: not a village-day
    report(officer, v2, wib(9, 25, 10))
    for day in (10, 11):
        PlanItem.objects.create(
            uuid=uuid.uuid4(),
            officer=officer,
            unit=officer.unit,
            activity_type=ActivityType.objects.get(code="kegiatan-desa"),
            village=v1,
            date=dt.date(2026, 9, day),
        )
    return officer, v1, v2


@pytest.fixture(autouse=True)
def kept_since_2020(world: World) -> None:
    """The country keeps every kind of data in Sambang since 2020 (the default, Sambang's
    first record, is tested apart)."""
    Unit.objects.filter(code="MABES").update(
        reports_since=dt.date(2020, 1, 1),
        incidents_since=dt.date(2020, 1, 1),
        citizen_reports_since=dt.date(2020, 1, 1),
    )


def test_reporting_counts_assigned_village_days_pro_rated_and_in_local_time(
    world: World,
) -> None:
    september_of_polsek_a1a(world)
    body = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2026-09").json()
    now = body["series"][-1]
    # 30 days of the first village + 10 (21–30 September) of the second, and the 30 days
    # of the colleague's village (who did not report at all).
    assert (now["expected"], now["reported"], now["on_time"]) == (70, 4, 3)
    assert (now["completeness"], now["timeliness"]) == (5.7, 4.3)
    assert (now["reports"], now["verified"], now["plausible"], now["doubtful"]) == (6, 4, 1, 1)
    # Planned on 10 and 11 September; the report of the 10th realizes the first.
    assert (now["planned"], now["realized"], now["realization"]) == (2, 1, 50.0)
    assert [m["month"] for m in body["series"]] == [
        "2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01"
    ]  # fmt: skip
    assert body["last_year"]["month"] == "2025-09-01" and body["last_year"]["reports"] == 0
    assert body["series"][4]["expected"] == 62  # August: one village each
    officers = {row["nrp"]: row for row in body["officers"]}
    row = officers[world.officers["polsek_a1a"].nrp]
    assert row["figures"]["expected"] == 40 and row["figures"]["completeness"] == 10.0
    assert row["level"] == "low"
    assert {a["activity_type"]: a["reports"] for a in body["activities"]} == {"kegiatan-desa": 6}


def test_a_polsek_in_central_indonesia_closes_its_month_an_hour_earlier(world: World) -> None:
    unit = world.units["polsek_a1a"]
    unit.timezone = "Asia/Makassar"  # WITA, UTC+8
    unit.save()
    september_of_polsek_a1a(world)
    now = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2026-09").json()
    now = now["series"][-1]
    # 23:30 WIB on 30 September is 00:30 WITA on 1 October.
    assert (now["reports"], now["reported"]) == (5, 3)
    october = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2026-10").json()
    assert october["series"][-1]["reports"] == 2


def test_the_officers_month_day_by_day(world: World) -> None:
    officer, v1, v2 = september_of_polsek_a1a(world)
    body = api(world, Role.OFFICER).get(f"/api/v1/officers/{officer.nrp}/months/2026-09").json()
    assert [(d["day"], d["reports"]) for d in body["days"]] == [
        ("2026-09-03", 2), ("2026-09-10", 1), ("2026-09-15", 1), ("2026-09-25", 1),
        ("2026-09-30", 1),
    ]  # fmt: skip
    villages = {v["village"]: (v["assigned_days"], v["reported_days"]) for v in body["villages"]}
    assert villages == {v1.code: (30, 3), v2.code: (10, 1)}
    colleague = world.officers["polsek_a1b"].nrp
    assert (
        api(world, Role.OFFICER).get(f"/api/v1/officers/{colleague}/months/2026-09").status_code
        == 404
    )


def test_a_units_month_adds_up_its_polseks_and_ranks_them(world: World) -> None:
    september_of_polsek_a1a(world)
    other = world.officers["polsek_a1b"]
    for day in range(1, 31):  # the other Polsek's officer reports every day
        report(other, world.villages["polsek_a1b"], wib(9, day, 9))
    body = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    assert [(c["unit"], c["rank"]) for c in body["children"]] == [
        ("POLSEK-A1B", 1),
        ("POLSEK-A1A", 2),
    ]
    now = body["series"][-1]
    assert (now["expected"], now["reported"], now["reports"]) == (100, 34, 36)
    assert body["officers"] == []  # a Polres lists its units; officers are a click further


def test_residents_reports_first_response_median_and_overdue(world: World) -> None:
    unit, village = world.units["polsek_a1a"], world.villages["polsek_a1a"]
    received = wib(9, 5, 8)

    def citizen(code: str, status: str, hours: float | None) -> None:
        CitizenReport.objects.create(
            tracking_code=code,
            category="crime",
            description="Motor dicuri.",
            village=village,
            unit=unit,
            status=status,
            received_at=received,
            due_at=received + dt.timedelta(hours=72),
            first_response_at=received + dt.timedelta(hours=hours) if hours else None,
            rejection_reason="Bukan wewenang kepolisian." if status == "rejected" else "",
        )

    citizen("AAAA0001", "resolved", 5)
    citizen("AAAA0002", "in_progress", 80)  # answered after its due time
    citizen("AAAA0003", "assigned", None)  # never answered, long overdue
    citizen("AAAA0004", "rejected", 2)
    figures = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    assert figures["citizen"] == {
        "received": 4,
        "answered": 3,
        "median_response_hours": 5.0,
        "overdue": 2,
        "resolved": 1,
        "rejected": 1,
    }


def test_incidents_against_last_year_and_social_conflicts_over_five_years(world: World) -> None:
    village, unit = world.villages["polsek_a1a"], world.units["polsek_a1a"]

    def incident(code: str, when: dt.datetime) -> None:
        Incident.objects.create(
            category=IncidentCategory.objects.get(code=code),
            occurred_at=when,
            village=village,
            unit=unit,
            description="Kejadian.",
            injured=1,
        )

    for day in (2, 9, 16, 23, 24, 25, 26, 27, 28, 29):
        incident("curanmor", wib(9, day, 21))
    incident("curanmor", wib(9, 12, 21, year=2025))
    for year, count in ((2022, 4), (2023, 2), (2024, 9), (2025, 1), (2026, 3)):
        for index in range(count):
            incident("tawuran-pelajar", wib(3, 1 + index, 16, year=year))
    body = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2026-09").json()
    crime = next(row for row in body["incidents"] if row["category"] == "kriminalitas")
    assert (crime["current"], crime["previous"], crime["injured"]) == (10, 1, 10)
    # 10 against 1 over months of equal length: p = 2 · 12/2048, more than chance.
    assert crime["change"]["p_value"] == pytest.approx(24 / 2048)
    assert crime["change"]["significant"] is True
    years = {row["year"]: row["change"] for row in body["conflicts"]}
    assert list(years) == [2022, 2023, 2024, 2025, 2026]
    assert [years[y]["current"] for y in years] == [4, 2, 9, 1, 3]
    assert years[2022]["previous"] == 0 and years[2024]["change_pct"] == 350.0
    assert years[2025]["significant"] is True and years[2026]["significant"] is False
    # 2026 runs to September: 3 in 273 days against 1 in 365, at the same rate.
    assert years[2026]["p_value"] == pytest.approx(
        poisson_change(3, 1, 273, 365).p_value
    ) and years[2026]["p_value"] != pytest.approx(poisson_change(3, 1).p_value)


def test_years_and_months_before_a_unit_keeps_its_incidents_have_no_data_not_zero(
    world: World,
) -> None:
    """Kept since July 2023: 2022 and the first half of 2023 are not zero but unknown, so
    2023 is no year to compare, nor is September 2022 a month to compare with."""
    village, unit = world.villages["polsek_a1a"], world.units["polsek_a1a"]
    Unit.objects.filter(code="MABES").update(incidents_since=None)
    Unit.objects.filter(pk=unit.pk).update(incidents_since=dt.date(2023, 7, 1))
    for when in (wib(9, 5, 10, year=2023), wib(9, 6, 10, year=2023), wib(9, 7, 10)):
        Incident.objects.create(
            category=IncidentCategory.objects.get(code="tawuran-pelajar"),
            occurred_at=when,
            village=village,
            unit=unit,
            description="Kejadian.",
        )
    body = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2023-09").json()
    years = {row["year"]: row for row in body["conflicts"]}
    assert years[2022]["count"] is None and years[2022]["change"] is None
    assert years[2023]["count"] is None and years[2023]["change"] is None
    conflicts = next(r for r in body["incidents"] if r["category"] == "konflik-sosial")
    assert (conflicts["current"], conflicts["previous"], conflicts["change"]) == (2, None, None)
    trend = {row["month"]: row["incidents"] for row in body["trends"]}
    assert trend["2023-06-01"] is None and trend["2023-09-01"] == 2
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    html = page.get("/anev/POLSEK-A1A/2023-09/").content.decode()
    assert "no data" in html
    # A year later, 2024 so far compares with nothing either, September with September.
    later = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2024-09").json()
    assert {r["year"]: r["change"] for r in later["conflicts"]}[2024] is None
    assert next(r for r in later["incidents"] if r["category"] == "konflik-sosial")["previous"] == 2


def test_personnel_per_unit(world: World) -> None:
    officer = world.officers["polsek_a1a"]
    officer.dikbangspes_done = True
    officer.other_duties = ["reskrim"]
    officer.save()
    body = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    rows = {row["unit"]: row for row in body["personnel"]}
    a1a = rows["POLSEK-A1A"]
    # The officer and their colleague, each with a village.
    assert (a1a["officers"], a1a["covered"], a1a["dikbangspes"], a1a["dual_duties"]) == (2, 2, 1, 1)
    assert a1a["villages"] > 2 and a1a["coverage"] == round(200 / a1a["villages"], 1)
    # Each covers one village: one village per officer with a village, one officer per
    # covered village.
    assert (a1a["assigned"], a1a["villages_per_officer"], a1a["officers_per_village"]) == (
        2,
        1.0,
        1.0,
    )


def test_population_per_officer_shares_the_regency_among_villages_without_a_figure(
    world: World,
) -> None:
    from sambang.organization.models import Jurisdiction
    from sambang.territory.models import RegionLevel

    codes = list(
        Jurisdiction.objects.filter(unit__code="POLSEK-A1A").values_list("village_id", flat=True)
    )
    regency = codes[0][:5]
    in_regency = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=regency)
    Region.objects.filter(code=regency).update(
        population=1000 * in_regency.count(), area_km2=10.0 * in_regency.count()
    )
    Region.objects.filter(code=codes[0]).update(population=7, area_km2=0.5)
    body = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    a1a = {row["unit"]: row for row in body["personnel"]}["POLSEK-A1A"]
    assert all(code.startswith(regency) for code in codes)
    others = len(codes) - 1  # without a figure of their own: an equal share each
    assert a1a["population_per_officer"] == round((7 + 1000 * others) / 2, 1)
    assert a1a["area_per_officer"] == round((0.5 + 10.0 * others) / 2, 1)


def test_the_month_is_approved_bottom_up_and_locked(world: World) -> None:
    officer, v1, _v2 = september_of_polsek_a1a(world)
    polsek, polres, polda = (api(world, r) for r in (Role.POLSEK, Role.POLRES, Role.POLDA))
    url = "/api/v1/evaluations/POLSEK-A1A/2026-09"
    assert polres.post(f"{url}/submit", {}, format="json").status_code == 403  # not its unit
    submitted = polsek.post(f"{url}/submit", {"summary": "Dua desa, satu baru."}, format="json")
    assert submitted.status_code == 201 and submitted.json()["figures"]["reported"] == 4
    assert polsek.post(f"{url}/submit", {}, format="json").json()["error"]["code"] == "locked"
    no_note = polres.post(f"{url}/decision", {"approve": False}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()["error"]["fields"]
    returned = polres.post(
        f"{url}/decision", {"approve": False, "note": "Lengkapi analisis."}, format="json"
    )
    assert returned.json()["status"] == "returned"
    assert polsek.post(f"{url}/submit", {"summary": "Lengkap."}, format="json").status_code == 201
    assert polda.post(f"{url}/decision", {"approve": True}, format="json").status_code == 403
    assert polres.post(f"{url}/decision", {"approve": True}, format="json").json()["status"] == (
        "approved"
    )
    # An approved month is locked: a later change to its data is flagged, never hidden.
    report(officer, v1, wib(9, 20, 9))
    assert LateChange.objects.filter(day=dt.date(2026, 9, 20)).count() == 1
    assert polsek.get(url).json()["evaluation"]["late_changes"] == 1
    # The Polres submits its own month only when all its Polseks have been approved.
    pending = polres.post("/api/v1/evaluations/POLRES-A1/2026-09/submit", {}, format="json")
    assert pending.json()["error"]["code"] == "children_pending"
    current = dt.date.today().strftime("%Y-%m")
    not_over = polsek.post(f"/api/v1/evaluations/POLSEK-A1A/{current}/submit", {}, format="json")
    assert not_over.json()["error"]["code"] == "not_over"


def test_the_pages_drill_down_and_export_pdf_xlsx_and_csv(world: World) -> None:
    officer, _v1, _v2 = september_of_polsek_a1a(world)
    page = Client()
    page.force_login(world.users[Role.POLRES])
    home = page.get("/anev/")
    assert home.status_code == 302 and "/anev/POLRES-A1/" in home["Location"]
    polres = page.get("/anev/POLRES-A1/2026-09/").content.decode()
    assert "/anev/POLSEK-A1A/2026-09/" in polres  # drill down to the Polsek
    polsek = page.get("/anev/POLSEK-A1A/2026-09/").content.decode()
    assert f"/anev/officer/{officer.nrp}/2026-09/" in polsek  # and to its officer
    assert "<svg" in polsek and "10.0%" in polsek
    officer_page = page.get(f"/anev/officer/{officer.nrp}/2026-09/")
    assert officer_page.status_code == 200 and officer.name in officer_page.content.decode()
    pdf = page.get("/anev/POLSEK-A1A/2026-09/?export=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    book = openpyxl.load_workbook(
        io.BytesIO(page.get("/anev/POLSEK-A1A/2026-09/?export=xlsx").getvalue())
    )
    assert "Officers" in book.sheetnames and "Months" in book.sheetnames
    header, *rows = book["Officers"].iter_rows(values_only=True)
    mine = dict(zip(header, next(r for r in rows if r[0] == officer.nrp), strict=True))
    assert (mine["Expected"], mine["Completeness (%)"]) == (40, 10.0)
    csv_text = page.get("/anev/POLSEK-A1A/2026-09/?export=csv&table=months").getvalue().decode()
    assert "2026-09" in csv_text and "2025-09" in csv_text
    assert page.get("/anev/POLSEK-A1A/2026-13/").status_code == 404
    assert page.get("/anev/POLSEK-A1A/2026-09/?export=csv&table=nope").status_code == 404


def test_an_assignment_ending_mid_month_counts_only_its_days(world: World) -> None:
    colleague = world.colleague
    assert colleague is not None
    Assignment.objects.filter(officer=colleague).update(end_date=dt.date(2026, 9, 10))
    september_of_polsek_a1a(world)
    now = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2026-09").json()
    # 30 + 10 days for the officer, 1–10 September for the colleague.
    assert now["series"][-1]["expected"] == 50
    assert now["series"][-1]["completeness"] == 8.0


def test_doubtful_reports_are_counted_beside_trusted_work_never_in_it(world: World) -> None:
    """A doubtful report completes no village-day, is not on time, realizes no plan item and
    does not make its officer active; it is counted, with its share, beside the figures."""
    officer, village = world.officers["polsek_a1a"], world.villages["polsek_a1a"]
    report(officer, village, wib(9, 5, 9), level="doubtful")
    report(officer, village, wib(9, 6, 9))
    report(officer, village, wib(9, 7, 9), level="doubtful", failing="text_copy")
    report(officer, village, wib(9, 7, 15), level="doubtful")
    PlanItem.objects.create(
        uuid=uuid.uuid4(),
        officer=officer,
        unit=officer.unit,
        activity_type=ActivityType.objects.get(code="kegiatan-desa"),
        village=village,
        date=dt.date(2026, 9, 7),
    )
    body = api(world, Role.POLSEK).get("/api/v1/evaluations/POLSEK-A1A/2026-09").json()
    row = next(r for r in body["officers"] if r["nrp"] == officer.nrp)["figures"]
    assert (row["expected"], row["reported"], row["on_time"]) == (30, 1, 1)
    assert (row["reports"], row["trusted"], row["doubtful"], row["doubtful_share"]) == (
        4,
        1,
        3,
        75.0,
    )
    assert (row["planned"], row["realized"], row["realized_late"]) == (1, 0, 0)

    month = api(world, Role.OFFICER).get(f"/api/v1/officers/{officer.nrp}/months/2026-09").json()
    assert [(d["day"], d["trusted"], d["doubtful"]) for d in month["days"]] == [
        ("2026-09-05", 0, 1), ("2026-09-06", 1, 0), ("2026-09-07", 0, 2)
    ]  # fmt: skip
    assert [(r["code"], r["reports"]) for r in month["reasons"]] == [("gps", 2), ("text_copy", 1)]
    assert month["level"] == "low"

    client = Client()
    client.force_login(world.users[Role.OFFICER])
    page = client.get(f"/anev/officer/{officer.nrp}/2026-09/").content.decode()
    assert "Why reports were doubtful" in page and "Copied text: 1" in page
    assert "What each figure counts" in page
    assert "assigned village-days with at least one trusted report" in page


def test_units_are_ranked_by_trusted_work(world: World) -> None:
    """A Polsek whose officer files a doubtful report every day ranks below one whose officer
    reported honestly on five days; the doubtful ones are a click away."""
    gamer, honest = world.officers["polsek_a1b"], world.officers["polsek_a1a"]
    for day in range(1, 31):
        report(gamer, world.villages["polsek_a1b"], wib(9, day, 9), level="doubtful")
    for day in range(1, 6):
        report(honest, world.villages["polsek_a1a"], wib(9, day, 9))
    body = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    assert [(c["unit"], c["rank"]) for c in body["children"]] == [
        ("POLSEK-A1A", 1),
        ("POLSEK-A1B", 2),
    ]
    gamed = next(c for c in body["children"] if c["unit"] == "POLSEK-A1B")["figures"]
    assert (gamed["completeness"], gamed["doubtful"], gamed["doubtful_share"]) == (0.0, 30, 100.0)

    client = Client()
    client.force_login(world.users[Role.POLRES])
    page = client.get("/anev/POLRES-A1/2026-09/").content.decode()
    link = "/field/reports/?integrity=doubtful&amp;from=2026-09-01&amp;to=2026-09-30&amp;unit=POLSEK-A1B"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert listed.count(f"{gamer.name}") >= 30


def test_the_workbook_and_the_pdf_speak_the_readers_language(world: World) -> None:
    import re

    """Issue 19, edge 6: headings and sheet names in words of the reader's language (a
    sheet's name within Excel's 31 characters), numbers as numbers (the spreadsheet writes
    them in its own locale) and, in the PDF, with the language's decimal comma; the CSV
    keeps its stable column names."""
    september_of_polsek_a1a(world)
    page = Client()
    page.force_login(world.users[Role.POLRES])
    page.cookies["django_language"] = "id"
    book = openpyxl.load_workbook(
        io.BytesIO(page.get("/anev/POLRES-A1/2026-09/?export=xlsx").getvalue())
    )
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert {"Bulan", "Satuan", "Personel"} <= set(book.sheetnames), book.sheetnames
    header, *rows = book["Bulan"].iter_rows(values_only=True)
    assert "Kelengkapan (%)" in header and not any("_" in str(h) for h in header)
    assert all(isinstance(v, int | float) for v in rows[0][1:] if v is not None)
    pdf = page.get("/anev/POLRES-A1/2026-09/?export=pdf").content
    text = _pdf_text(pdf)
    assert "Kelengkapan" in text, text
    assert "completeness" not in text, text
    assert re.search(r"\d,\d", text) and not re.search(r"\d\.\d", text), text
    csv_text = page.get("/anev/POLRES-A1/2026-09/?export=csv&table=months").getvalue().decode()
    assert csv_text.lstrip("\ufeff").startswith("month,expected,reported,completeness")


def _pdf_text(pdf: bytes) -> str:
    """The text drawn in a PDF written by fpdf2 (uncompressed streams of Tj strings)."""
    import re
    import zlib

    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            chunks.append(stream)
    return " ".join(
        m.decode("latin-1") for chunk in chunks for m in re.findall(rb"\((.*?)\) ?Tj", chunk)
    )


def test_a_subtree_keeps_reports_from_the_latest_date_of_its_units_or_the_nearest_above(
    world: World,
) -> None:
    """Each unit counts with its own date or its nearest ancestor's; a subtree's reports are
    whole from the latest of them. The national supervisor reads every unit's."""
    dates = {
        "MABES": dt.date(2024, 1, 1),
        "POLRES-A1": dt.date(2025, 3, 1),
        "POLSEK-A2A": dt.date(2024, 6, 1),
    }
    Unit.objects.update(reports_since=None)
    for code, date in dates.items():
        Unit.objects.filter(code=code).update(reports_since=date)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.NATIONAL]}")

    def since(code: str) -> str:
        response = client.get(f"/api/v1/evaluations/{code}/2026-09")
        assert response.status_code == 200, response.json()
        return str(response.json()["reports_since"])

    assert since("MABES") == "2025-03-01"  # Polres A1's, the latest below
    assert since("POLDA-A") == "2025-03-01"
    assert since("POLSEK-A1B") == "2025-03-01"  # none of its own: its Polres's
    assert since("POLRES-A2") == "2024-06-01"  # its Polsek's, later than the country's
    assert since("POLDA-B") == "2024-01-01"  # nothing below it: the country's
    Unit.objects.filter(code="MABES").update(reports_since=None)
    assert since("POLDA-B") not in ("2024-01-01", "2025-03-01")  # the first month kept
    assert since("POLDA-A") == "2025-03-01"
