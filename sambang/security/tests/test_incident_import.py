"""Importing incidents kept on paper: by command, API and page, all or nothing, in scope,
counted in the Anev as incidents recorded one by one are, and never twice."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from sambang.evaluation.models import IncidentDay
from sambang.evaluation.rollups import rollups_rebuild
from sambang.personnel.models import Role
from sambang.security.models import Incident
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

HEADER = "village,occurred_at,category,description,injured,status"


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def page(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def study_rows(world: World) -> list[str]:
    """Two years of a Polsek's paper register: categories by code and by name (either
    language), times local to the Polsek, a status by its Indonesian or English label."""
    village = world.villages["polsek_a1a"].code
    other = world.free_villages["polsek_a1a"].code
    return [
        f"{village},2025-03-04 16:30,tawuran-pelajar,Tawuran SMK di jembatan,3,settled",
        f"{other},05/03/2025 21:00,Tawuran pelajar,Tawuran susulan di lapangan,1,Reported",
        f"{village},2025-03-10,Motorcycle theft,Motor hilang di parkiran pasar,,",
        f"{village},2024-03-20 10:00,Sengketa lahan,Sengketa batas sawah,0,handled",
    ]


def upload(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="text/csv")


def post_file(client: APIClient, lines: list[str], **data: Any) -> Any:
    return client.post("/api/v1/incidents/import", {"file": upload("register.csv", lines), **data})


def write(directory: Path, lines: list[str]) -> str:
    path = directory / "register.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


def rollup_rows() -> list[tuple[Any, ...]]:
    return sorted(
        IncidentDay.objects.values_list(
            "village_id", "day", "unit_id", "category_id", "social_conflict", "incidents",
            "dead", "injured", "losses_idr",
        )
    )  # fmt: skip


def test_a_supervisor_imports_a_register_by_command_and_the_anev_counts_it(
    world: World, tmp_path: Path
) -> None:
    # The register starts on 1 January 2024: the months and years since are known.
    first_day = f"{world.villages['polsek_a1a'].code},2024-01-01 08:00,pencurian,Kotak amal,,"
    path = write(tmp_path, [HEADER, first_day, *study_rows(world)])
    out = io.StringIO()
    call_command("incidents", "import", path, "--as", world.users[Role.POLRES].username, stdout=out)
    assert "Imported 5 incidents: 5 new, 0 updated." in out.getvalue()
    assert Incident.objects.filter(unit=world.units["polsek_a1a"]).count() == 5
    first = Incident.objects.get(description="Tawuran SMK di jembatan")
    # 16:30 on the Polsek's clock (WIB, UTC+7).
    assert first.occurred_at == dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)
    assert (first.status, first.injured, first.category.code) == ("settled", 3, "tawuran-pelajar")
    assert first.recorded_by == world.users[Role.POLRES]
    anev = api(world, Role.POLRES).get("/api/v1/evaluations/POLSEK-A1A/2025-03").json()
    by_category = {
        row["category"]: (row["current"], row["previous"], row["injured"])
        for row in anev["incidents"]
    }
    assert by_category == {"konflik-sosial": (2, 1, 4), "kriminalitas": (1, 0, 0)}
    conflicts = {row["year"]: (row["count"], row["previous"]) for row in anev["conflicts"]}
    assert (conflicts[2024], conflicts[2025]) == ((1, None), (2, 1))
    # The rollups are those a rebuild from the records gives: as if recorded one by one.
    imported = rollup_rows()
    rollups_rebuild()
    assert imported == rollup_rows() and len(imported) == 5


def test_an_xlsx_register_with_spreadsheet_dates_and_numbers_imports(world: World) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Village", "Occurred_at", "Category", "Description", "Dead", "Losses_idr"])
    sheet.append(
        [world.villages["polsek_a1a"].code, dt.datetime(2025, 1, 2, 8, 15), "banjir",
         "Banjir setinggi lutut", 1, 2500000]
    )  # fmt: skip
    data = io.BytesIO()
    workbook.save(data)
    response = api(world, Role.POLSEK).post(
        "/api/v1/incidents/import",
        {"file": SimpleUploadedFile("register.xlsx", data.getvalue())},
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "dry_run": False}
    incident = Incident.objects.get()
    assert (incident.dead, incident.losses_idr) == (1, 2_500_000)
    assert incident.occurred_at == dt.datetime(2025, 1, 2, 1, 15, tzinfo=dt.UTC)


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row_and_column(
    world: World, tmp_path: Path
) -> None:
    rows = study_rows(world)
    rows[1] = rows[1].replace("Tawuran pelajar", "Tawuran antar-geng")
    rows[2] = rows[2].replace("2025-03-10", "10 Maret 2025")
    rows.append(f"{world.villages['polsek_a1a'].code},2099-01-01 10:00,banjir,Banjir,,")
    response = post_file(api(world, Role.POLRES), [HEADER, *rows])
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["row 3"] == ["category: Unknown category."]
    assert list(fields) == ["row 3", "row 4", "row 6"]
    assert fields["row 4"][0].startswith("occurred_at: ")
    assert fields["row 6"][0].startswith("occurred_at: ")
    assert not Incident.objects.exists() and not IncidentDay.objects.exists()
    # The command reports the same, line by line, and fails.
    missing = [HEADER, rows[0], rows[1]]
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command(
            "incidents", "import", write(tmp_path, missing), "--as", "user-polres", stderr=err
        )
    assert "row 3, category: Unknown category." in err.getvalue()
    assert not Incident.objects.exists()


def test_a_dry_run_checks_and_counts_but_writes_nothing(world: World, tmp_path: Path) -> None:
    response = page(world, Role.POLSEK).post(
        "/incidents/import/",
        {"file": upload("register.csv", [HEADER, *study_rows(world)]), "dry_run": "on"},
    )
    assert response.status_code == 200
    assert response.context["result"].created == 4
    assert "would be added" in response.content.decode()
    assert not Incident.objects.exists()
    body = post_file(api(world, Role.POLSEK), [HEADER, *study_rows(world)], dry_run="true").json()
    assert body == {"created": 4, "updated": 0, "unchanged": 0, "dry_run": True}
    out = io.StringIO()
    call_command(
        "incidents", "import", write(tmp_path, [HEADER, *study_rows(world)]), "--as", "user-polsek",
        "--dry-run", stdout=out,
    )  # fmt: skip
    assert "Would import 4 incidents" in out.getvalue()
    assert not Incident.objects.exists() and not IncidentDay.objects.exists()


def test_a_village_outside_the_users_units_is_an_error_for_its_row(world: World) -> None:
    outside = world.villages["polsek_b1a"].code
    rows = [*study_rows(world), f"{outside},2025-03-04 10:00,curanmor,Motor hilang,,"]
    response = post_file(api(world, Role.POLSEK), [HEADER, *rows])
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "row 6": ["village: Not a village of your units."]
    }
    # A sibling Polsek's village is outside a Polsek supervisor's units too.
    sibling = world.villages["polsek_a1b"].code
    response = post_file(
        api(world, Role.POLSEK), [HEADER, f"{sibling},2025-03-04 10:00,curanmor,Motor hilang,,"]
    )
    assert response.json()["error"]["fields"] == {
        "row 2": ["village: Not a village of your units."]
    }
    assert not Incident.objects.exists()


def test_importing_the_same_register_again_adds_nothing_and_updates_what_moved_on(
    world: World,
) -> None:
    polres = api(world, Role.POLRES)
    rows = study_rows(world)
    assert post_file(polres, [HEADER, *rows]).json()["created"] == 4
    ids = set(Incident.objects.values_list("id", flat=True))
    rollups = rollup_rows()
    again = post_file(polres, [HEADER, *rows]).json()
    assert again == {"created": 0, "updated": 0, "unchanged": 4, "dry_run": False}
    assert set(Incident.objects.values_list("id", flat=True)) == ids
    assert rollup_rows() == rollups
    # The case moved on: settled now, one more injured. The same incident changes.
    rows[1] = rows[1].replace(",1,Reported", ",2,settled")
    changed = post_file(polres, [HEADER, *rows]).json()
    assert changed == {"created": 0, "updated": 1, "unchanged": 3, "dry_run": False}
    incident = Incident.objects.get(description="Tawuran susulan di lapangan")
    assert (incident.status, incident.injured) == ("settled", 2)
    assert Incident.objects.count() == 4
    imported = rollup_rows()
    rollups_rebuild()
    assert imported == rollup_rows()
    # Two identical rows in one file are one incident written twice: an error.
    twice = post_file(polres, [HEADER, rows[0], rows[0]])
    assert twice.json()["error"]["fields"] == {"row 3": ["row: The same incident as row 2."]}


def test_only_supervisors_import_incidents(world: World, tmp_path: Path) -> None:
    lines = [HEADER, *study_rows(world)]
    for role in (Role.OFFICER, Role.ADMIN):
        assert post_file(api(world, role), lines).status_code == 403
        assert page(world, role).get("/incidents/import/").status_code == 403
        assert (
            page(world, role)
            .post("/incidents/import/", {"file": upload("register.csv", lines)})
            .status_code
            == 403
        )
        with pytest.raises(CommandError, match="imported by supervisors"):
            call_command(
                "incidents", "import", write(tmp_path, lines), "--as", world.users[role].username
            )
    with pytest.raises(CommandError, match="No active user"):
        call_command("incidents", "import", write(tmp_path, lines), "--as", "nobody")
    assert not Incident.objects.exists()
    for role in (Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL):
        assert page(world, role).get("/incidents/import/").status_code == 200


def test_the_import_page_is_linked_from_the_list_and_shows_each_rows_result(
    world: World,
) -> None:
    polsek = page(world, Role.POLSEK)
    assert "/incidents/import/" in polsek.get("/incidents/").content.decode()
    assert "/incidents/import/" not in page(world, Role.OFFICER).get("/incidents/").content.decode()
    response = polsek.post(
        "/incidents/import/", {"file": upload("register.csv", [HEADER, *study_rows(world)])}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "4 incidents added, 0 changed, 0 already recorded." in text
    first = Incident.objects.get(description="Tawuran SMK di jembatan")
    assert f"/incidents/{first.pk}/" in text
    bad = polsek.post(
        "/incidents/import/",
        {"file": upload("register.csv", [HEADER, study_rows(world)[0].replace("2025", "20x5")])},
    )
    assert bad.status_code == 400
    assert [(e.row, e.field) for e in bad.context["result"].errors.errors] == [(2, "occurred_at")]
    missing = polsek.post("/incidents/import/", {"file": upload("register.csv", ["a,b", "1,2"])})
    assert missing.status_code == 400 and "lacks the columns" in missing.content.decode()
    assert Incident.objects.count() == 4


def test_the_indonesian_page_names_the_columns_in_indonesian_and_takes_a_file_so_written(
    world: World,
) -> None:
    polsek = page(world, Role.POLSEK)
    polsek.cookies["django_language"] = "id"
    help_text = polsek.get("/incidents/import/").content.decode()
    assert "<code>desa</code>, <code>waktu_kejadian</code>" in help_text
    assert "<code>village</code>" not in help_text
    header = "Desa;Waktu Kejadian;Kategori;Uraian;Luka;Status"  # as a spreadsheet saves it
    rows = [line.replace(",", ";") for line in study_rows(world)]
    response = polsek.post("/incidents/import/", {"file": upload("register.csv", [header, *rows])})
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert Incident.objects.count() == 4
    wrong = polsek.post(
        "/incidents/import/",
        {"file": upload("register.csv", [header, rows[0].replace("2025", "20x5")])},
    )
    table = wrong.content.decode()
    assert wrong.status_code == 400 and "<td>2</td><td>waktu_kejadian</td>" in table
    missing = polsek.post("/incidents/import/", {"file": upload("r.csv", ["desa;uraian", "1;2"])})
    assert "tidak memiliki kolom: waktu_kejadian, kategori." in missing.content.decode()
