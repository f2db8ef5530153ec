"""Equipment, budget, allowance and training imported by command and API: all or nothing,
within the user's units, shown in the Anev, and never twice."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.resources.models import Allowance, Budget, Equipment, Training
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

EQUIPMENT = [
    "unit,officer,kind,good,light_damage,heavy_damage",
    "POLSEK-A1A,,motorcycle,5,1,1",
    "POLSEK-A1B,,motorcycle,3,0,0",
    "POLRES-A1,,handy_talky,10,2,0",
]
BUDGET = [
    "unit;fiscal_year;category;allocation_idr;realization_idr",
    "POLRES-A1;2021;bimkamsa;120000000;90000000",
    "POLRES-A1;2021;bimtibnas;80000000;80000000",
]


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def write(directory: Path, lines: list[str]) -> str:
    path = directory / "resources.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


def post_file(client: APIClient, kind: str, lines: list[str], **data: Any) -> Any:
    upload = SimpleUploadedFile("resources.csv", "\n".join(lines).encode(), "text/csv")
    return client.post(f"/api/v1/resources/{kind}/import", {"file": upload, **data})


def test_a_supervisor_imports_equipment_and_budget_by_command_and_the_anev_shows_them(
    world: World, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command(
        "resources", "import", "equipment", write(tmp_path, EQUIPMENT), "--as", "user-polres",
        stdout=out,
    )  # fmt: skip
    assert "Imported 3 equipment records: 3 new, 0 updated." in out.getvalue()
    call_command(
        "resources", "import", "budget", write(tmp_path, BUDGET), "--as", "user-polres",
        stdout=out,
    )  # fmt: skip
    anev = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2021-06").json()
    assert {
        row["kind"]: (row["good"], row["light"], row["heavy"]) for row in anev["equipment"]
    } == {
        "motorcycle": (8, 1, 1),
        "handy_talky": (10, 2, 0),
    }
    assert {row["category"]: row["allocation"] for row in anev["budget"]} == {
        "bimkamsa": 120_000_000,
        "bimtibnas": 80_000_000,
    }
    # Again, the same file: the same records, not new ones.
    call_command(
        "resources", "import", "equipment", write(tmp_path, EQUIPMENT), "--as", "user-polres",
        stdout=out,
    )  # fmt: skip
    assert "Imported 3 equipment records: 0 new, 3 updated." in out.getvalue()
    assert Equipment.objects.count() == 3 and Budget.objects.count() == 2


def test_a_bad_row_a_unit_outside_the_scope_and_a_dry_run_write_nothing(
    world: World, tmp_path: Path
) -> None:
    bad = [*EQUIPMENT, "POLSEK-B1A,,vest,2,0,0", "POLSEK-A1A,,vest,many,0,0"]
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 errors; nothing was imported"):
        call_command(
            "resources", "import", "equipment", write(tmp_path, bad), "--as", "user-polres",
            stderr=err,
        )  # fmt: skip
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 5, unit: ") and lines[1].startswith("row 6, good: ")
    out = io.StringIO()
    call_command(
        "resources", "import", "equipment", write(tmp_path, EQUIPMENT), "--as", "user-polres",
        "--dry-run", stdout=out,
    )  # fmt: skip
    assert "Would import 3 equipment records: 3 new, 0 updated (dry run" in out.getvalue()
    assert not Equipment.objects.exists()
    with pytest.raises(CommandError, match="supervisors and administrators"):
        call_command(
            "resources", "import", "equipment", write(tmp_path, EQUIPMENT), "--as",
            "user-officer",
        )  # fmt: skip
    assert not Equipment.objects.exists()


def test_resources_import_through_the_api_per_kind(world: World) -> None:
    polres = api(world, Role.POLRES)
    officer = world.officers["polsek_a1a"].nrp
    files = {
        "equipment": EQUIPMENT,
        "budget": BUDGET,
        "allowance": ["unit,fiscal_year,monthly_idr", "POLRES-A1,2021,500000"],
        "training": [
            "officer,course,start_date,passed",
            f"{officer},dikbangspes_binmas,2021-02-01,ya",
        ],
    }
    for kind, lines in files.items():
        dry = post_file(polres, kind, lines, dry_run="true")
        assert dry.status_code == 200, dry.json()
        assert dry.json() == {"created": len(lines) - 1, "updated": 0, "dry_run": True}
    assert not (
        Equipment.objects.exists()
        or Budget.objects.exists()
        or Allowance.objects.exists()
        or Training.objects.exists()
    )
    for kind, lines in files.items():
        assert post_file(polres, kind, lines).json()["created"] == len(lines) - 1
    assert post_file(polres, "budget", BUDGET).json() == {
        "created": 0,
        "updated": 2,
        "dry_run": False,
    }
    assert (Equipment.objects.count(), Budget.objects.count(), Training.objects.count()) == (
        3,
        2,
        1,
    )
    # A bad row: 400, each row and column named, nothing written.
    refused = post_file(polres, "budget", [*BUDGET, "POLRES-B1;2021;bimkamsa;1000;0"])
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["row 4"]
    assert refused.json()["error"]["fields"]["row 4"][0].startswith("unit: ")
    assert Budget.objects.count() == 2


def test_only_supervisors_and_administrators_import_resources(world: World) -> None:
    assert post_file(api(world, Role.OFFICER), "equipment", EQUIPMENT).status_code == 403
    # Administrators keep every unit's resources.
    admin = post_file(api(world, Role.ADMIN), "equipment", [*EQUIPMENT, "POLSEK-B1A,,vest,1,0,0"])
    assert admin.status_code == 200 and admin.json()["created"] == 4
    # A Polsek supervisor: their own Polsek only.
    polsek = post_file(api(world, Role.POLSEK), "equipment", EQUIPMENT)
    assert polsek.status_code == 400
    assert sorted(polsek.json()["error"]["fields"]) == ["row 3", "row 4"]
    assert Equipment.objects.count() == 4


def test_the_indonesian_page_names_the_columns_in_indonesian_and_takes_a_file_so_written(
    world: World,
) -> None:
    from django.test import Client

    page = Client()
    page.force_login(world.users[Role.POLRES])
    page.cookies["django_language"] = "id"
    help_text = page.get("/resources/equipment/").content.decode()
    assert "<code>satuan</code>, <code>nrp</code>, <code>jenis</code>" in help_text
    assert "<code>unit</code>" not in help_text
    lines = ["Satuan,NRP,Jenis,Baik,Rusak ringan,Rusak berat", *EQUIPMENT[1:]]
    upload = SimpleUploadedFile("alat.csv", "\n".join(lines).encode(), "text/csv")
    response = page.post("/resources/equipment/", {"action": "import", "file": upload}, follow=True)
    assert "3 ditambahkan, 0 diubah" in response.content.decode()
    assert Equipment.objects.count() == 3
    lines = [lines[0], "POLSEK-A1A,,motorcycle,banyak,0,0"]
    upload = SimpleUploadedFile("alat.csv", "\n".join(lines).encode(), "text/csv")
    response = page.post("/resources/equipment/", {"action": "import", "file": upload}, follow=True)
    assert "baris 2, baik: " in response.content.decode()
