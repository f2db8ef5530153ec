"""Resources: kept on pages and imported from files, within scope, and counted in the Anev."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.resources.models import Allowance, Budget, Equipment, Training
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def page(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_supervisor_records_equipment_and_the_form_names_bad_fields(world: World) -> None:
    polsek = page(world, Role.POLSEK)
    officer = world.officers["polsek_a1a"]
    saved = polsek.post(
        "/resources/equipment/",
        {"unit": "POLSEK-A1A", "officer": officer.nrp, "kind": "motorcycle", "good": 1},
    )
    assert saved.status_code == 302
    record = Equipment.objects.get()
    assert (record.officer, record.good, record.light_damage) == (officer, 1, 0)
    # A unit outside the scope, or an officer of another unit: named, nothing saved.
    outside = polsek.post(
        "/resources/equipment/", {"unit": "POLSEK-B1A", "kind": "vest", "good": 2}
    )
    assert outside.status_code == 400 and "unit" in outside.context["form"].errors
    stranger = polsek.post(
        "/resources/equipment/",
        {
            "unit": "POLSEK-A1A",
            "officer": world.officers["polres_a1"].nrp,
            "kind": "vest",
            "good": 2,
        },
    )
    assert stranger.status_code == 400 and "officer" in stranger.context["form"].errors
    assert Equipment.objects.count() == 1
    changed = polsek.post(
        f"/resources/equipment/{record.pk}/",
        {"unit": "POLSEK-A1A", "officer": officer.nrp, "kind": "motorcycle", "good": 0,
         "light_damage": 1},
    )  # fmt: skip
    assert changed.status_code == 302 and Equipment.objects.get().light_damage == 1


def test_resources_follow_the_scope(world: World) -> None:
    mine = Equipment.objects.create(unit=world.units["polsek_a1a"], kind="vest", good=3)
    theirs = Equipment.objects.create(unit=world.units["polsek_b1a"], kind="vest", good=5)
    polsek = page(world, Role.POLSEK)
    assert polsek.get(f"/resources/equipment/{mine.pk}/").status_code == 200
    assert polsek.get(f"/resources/equipment/{theirs.pk}/").status_code == 404
    assert (
        polsek.post(f"/resources/equipment/{theirs.pk}/", {"action": "delete"}).status_code == 404
    )
    listing = polsek.get("/resources/equipment/?export=csv")
    rows = list(csv.DictReader(io.StringIO(listing.getvalue().decode("utf-8-sig"))))
    assert [(r["unit"], r["good"]) for r in rows] == [("POLSEK-A1A", "3")]
    assert page(world, Role.OFFICER).get("/resources/equipment/").status_code == 403
    assert page(world, Role.ADMIN).get(f"/resources/equipment/{theirs.pk}/").status_code == 200
    assert Equipment.objects.count() == 2


def test_a_budget_file_is_checked_row_by_row_and_saved_only_when_all_are_right(
    world: World,
) -> None:
    polres = page(world, Role.POLRES)
    bad = (
        "unit,fiscal_year,category,allocation_idr,realization_idr\n"
        "POLRES-A1,2026,bimkamsa,100000000,25000000\n"
        "POLSEK-B1A,2026,bimtibnas,5000000,0\n"  # another Polda's unit
        "POLSEK-A1A,2026,bimtibnas,5000000,9000000\n"  # realized more than allocated
        "POLRES-A1,2026,bimkamsa,1,0\n"  # the first row again
    )
    response = polres.post(
        "/resources/budget/", {"action": "import", "file": upload("b.csv", bad)}, follow=True
    )
    text = response.content.decode()
    assert (
        "row 3, unit" in text
        and "row 4, realization_idr" in text
        and "row 5: The same record as row 2." in text
    )
    assert not Budget.objects.exists()
    good = [*bad.splitlines()[:2], "POLSEK-A1A,2026,redawan,5000000,1000000"]
    polres.post(
        "/resources/budget/", {"action": "import", "file": upload("b.csv", "\n".join(good))}
    )
    assert Budget.objects.count() == 2
    # The same key again updates the line, from an XLSX file this time.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["unit", "fiscal_year", "category", "allocation_idr", "realization_idr"])
    sheet.append(["POLRES-A1", 2026, "bimkamsa", 100000000, 60000000])
    data = io.BytesIO()
    book.save(data)
    polres.post(
        "/resources/budget/",
        {"action": "import", "file": SimpleUploadedFile("b.xlsx", data.getvalue())},
    )
    assert Budget.objects.get(category="bimkamsa").realization_idr == 60000000


def test_the_anev_counts_equipment_budget_allowance_and_training(world: World) -> None:
    assert world.colleague is not None
    polres = page(world, Role.POLRES)
    polres.post(
        "/resources/equipment/",
        {"action": "import", "file": upload(
            "e.csv",
            "unit,officer,kind,good,light_damage,heavy_damage\n"
            f"POLSEK-A1A,{world.officers['polsek_a1a'].nrp},motorcycle,1,0,0\n"
            "POLSEK-A1B,,motorcycle,2,1,1\n"
            "POLSEK-A1B,,handy_talky,4,0,0\n",
        )},
    )  # fmt: skip
    Budget.objects.create(
        unit=world.units["polres_a1"],
        fiscal_year=2026,
        category="bimkamsa",
        allocation_idr=200_000_000,
        realization_idr=50_000_000,
    )
    Allowance.objects.create(unit=world.units["polda_a"], fiscal_year=2026, monthly_idr=1_500_000)
    polres.post(
        "/resources/training/",
        {"action": "import", "file": upload(
            "t.csv",
            f"officer,course,start_date,end_date\n{world.colleague.nrp},dikbangspes_polmas,2026-03-02,2026-03-20\n",
        )},
    )  # fmt: skip
    assert Training.objects.count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    body = client.get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    assert {e["kind"]: (e["good"], e["light"], e["heavy"]) for e in body["equipment"]} == {
        "handy_talky": (4, 0, 0),
        "motorcycle": (3, 1, 1),
    }
    assert body["budget"] == [
        {"category": "bimkamsa", "allocation": 200_000_000, "realization": 50_000_000,
         "realized_pct": 25.0}
    ]  # fmt: skip
    # The rate of the Polda applies below it; the Polres has its officer and three below.
    assert body["allowance"] == {"per_officer": 1_500_000, "officers": 4, "month_total": 6_000_000}
    trained = {p["unit"]: p["trained"] for p in body["personnel"]}
    assert trained["POLSEK-A1A"] == 1  # the colleague, by their course
