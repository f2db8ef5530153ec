"""Counts kept on paper for the years before Sambang: entered by command, API and page, in
scope, all or nothing, only for periods before the unit keeps its incidents itemised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from sambang.evaluation.models import HistoricalCount
from sambang.organization.models import Unit
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

HEADER = "unit,year,month,category,count,source"


@pytest.fixture(autouse=True)
def kept_since_2025(world: World) -> None:
    Unit.objects.filter(code="MABES").update(incidents_since=dt.date(2025, 1, 1))


def write(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "counts.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return str(path)


def upload(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("counts.csv", "\n".join([HEADER, *lines]).encode())


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def test_counts_on_paper_are_entered_and_shown_year_on_year(world: World, tmp_path: Path) -> None:
    lines = [
        "POLRES-A1,2023,,konflik-sosial,12,Buku register",
        "POLRES-A1,2024,,Social conflict,3,Buku register",
        "POLRES-A1,2024,9,Kriminalitas,5,",
    ]
    call_command("history", "import", write(tmp_path, lines), "--as", "user-polres")
    assert HistoricalCount.objects.count() == 3
    body = api(world, Role.POLRES).get("/api/v1/evaluations/POLRES-A1/2025-09").json()
    years = {row["year"]: row for row in body["conflicts"]}
    assert (years[2023]["count"], years[2023]["aggregate"]) == (12, True)
    assert years[2022]["count"] is None and years[2023]["change"] is None
    assert years[2024]["change"]["current"] == 3 and years[2024]["change"]["previous"] == 12
    crime = next(row for row in body["incidents"] if row["category"] == "kriminalitas")
    assert (crime["current"], crime["previous"]) == (0, 5)
    # Importing again replaces, never adds.
    call_command("history", "import", write(tmp_path, [lines[0].replace(",12,", ",13,")]),
                 "--as", "user-polres")  # fmt: skip
    assert HistoricalCount.objects.get(year=2023).count == 13
    assert HistoricalCount.objects.count() == 3


def test_every_wrong_row_is_named_and_nothing_is_written(world: World) -> None:
    lines = [
        "POLRES-A1,2023,,konflik-sosial,12,",
        "POLRES-B1,2023,,konflik-sosial,4,",  # another Polda's Polres
        "POLRES-A1,2025,3,konflik-sosial,1,",  # kept itemised from 2025
        "POLRES-A1,2023,13,perang,-1,",
        "POLRES-A1,2023,,konflik-sosial,2,",  # the same period again
    ]
    response = api(world, Role.POLRES).post(
        "/api/v1/historical-counts/import", {"file": upload(lines)}
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "unit: No unit 'POLRES-B1' in your scope." in fields["row 3"]
    assert any("from 2025-01-01" in m for m in fields["row 4"])
    assert {m.split(":")[0] for m in fields["row 5"]} == {"month", "category", "count"}
    assert any("as row 2" in m for m in fields["row 6"])
    assert not HistoricalCount.objects.exists()
    dry = api(world, Role.POLRES).post(
        "/api/v1/historical-counts/import", {"file": upload(lines[:1]), "dry_run": True}
    )
    assert dry.status_code == 200 and dry.json()["created"] == 1
    assert not HistoricalCount.objects.exists()


def test_only_supervisors_enter_counts_on_paper(world: World, tmp_path: Path) -> None:
    lines = ["POLSEK-A1A,2023,,konflik-sosial,2,"]
    for role in (Role.OFFICER, Role.ADMIN):
        assert (
            api(world, role)
            .post("/api/v1/historical-counts/import", {"file": upload(lines)})
            .status_code
            == 403
        )
        client = Client()
        client.force_login(world.users[role])
        assert client.get("/anev/history/").status_code == 403
        with pytest.raises(CommandError, match="entered by supervisors"):
            call_command("history", "import", write(tmp_path, lines), "--as", f"user-{role}")
    assert not HistoricalCount.objects.exists()
    client = Client()
    client.force_login(world.users[Role.POLSEK])
    page = client.post("/anev/history/", {"file": upload(lines)})
    assert page.status_code == 200
    assert "1 counts added" in page.content.decode()
    assert "Buku" not in page.content.decode() and "2023" in page.content.decode()
