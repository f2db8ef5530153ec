from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from sambang.personnel.models import Assignment, Officer
from sambang.testing.world import World

HEADER = "nrp,name,rank,unit_code,education,phone,dikbangspes,dikbangspes_year,trainings,other_duties,villages,assigned_from"


def write_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "officers.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def test_officers_import_from_csv_with_their_villages(world: World, tmp_path: Path) -> None:
    free = world.free_villages["polsek_a1b"].code
    path = write_csv(
        tmp_path,
        f"90000001,Andi Contoh,Bripka,POLSEK-A1B,S1,0812-1,ya,2019,Polmas;Mediasi,Reskrim,{free},2025-01-15",
        "90000002,Budi Contoh,aipda,POLSEK-A2A,SMA,,tidak,,,,,",
    )
    call_command("officers", "import", str(path))
    andi = Officer.objects.get(nrp="90000001")
    assert (andi.rank, andi.education, andi.dikbangspes_done, andi.dikbangspes_year) == (
        "bripka",
        "s1",
        True,
        2019,
    )
    assert andi.trainings == ["Polmas", "Mediasi"] and andi.other_duties == ["reskrim"]
    assignment = Assignment.objects.get(village_id=free)
    assert assignment.officer == andi and str(assignment.start_date) == "2025-01-15"
    assert Officer.objects.get(nrp="90000002").dikbangspes_done is False


def test_officers_import_from_xlsx(world: World, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            90000003,
            "Citra Contoh",
            "Brigpol",
            "POLSEK-B1A",
            "D3",
            None,
            "Ya",
            2021,
            None,
            None,
            None,
            None,
        ]
    )
    path = tmp_path / "officers.xlsx"
    book.save(path)
    call_command("officers", "import", str(path))
    citra = Officer.objects.get(nrp="90000003")
    assert citra.unit.code == "POLSEK-B1A" and citra.dikbangspes_year == 2021


def test_reimporting_updates_and_does_not_duplicate(world: World, tmp_path: Path) -> None:
    free = world.free_villages["polsek_a1b"].code
    row = f"90000001,Andi Contoh,Bripka,POLSEK-A1B,S1,,ya,2019,,,{free},2025-01-15"
    call_command("officers", "import", str(write_csv(tmp_path, row)))
    call_command("officers", "import", str(write_csv(tmp_path, row.replace("Bripka", "Aipda"))))
    assert Officer.objects.filter(nrp="90000001").count() == 1
    assert Officer.objects.get(nrp="90000001").rank == "aipda"
    assert Assignment.objects.filter(village_id=free).count() == 1


def test_a_dry_run_writes_nothing(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "officers",
        "import",
        str(write_csv(tmp_path, "90000001,Andi,Bripka,POLSEK-A1B,S1,,,,,,,")),
        "--dry-run",
    )
    assert "Would import 1 officers: 1 new, 0 updated (dry run" in capsys.readouterr().out
    assert not Officer.objects.filter(nrp="90000001").exists()


def test_every_bad_row_is_reported_and_nothing_is_imported(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = world.villages["polsek_a1a"].code
    other_unit = world.free_villages["polsek_b1a"].code
    path = write_csv(
        tmp_path,
        "90000001,Good Row,Bripka,POLSEK-A1B,S1,,,,,,,",
        "1234,Short Nrp,Bripka,POLSEK-A1B,S1,,,,,,,",
        "90000003,,Jenderal,POLSEK-NONE,SD,,maybe,19x,,Astronaut,,",
        f"90000004,Same Village Twice,Bripka,POLSEK-A1A,S1,,,,,,{taken};{taken}=RW 02,",
        f"90000005,Wrong Unit,Bripka,POLSEK-A1A,S1,,,,,,{other_unit},2025-13-01",
        "90000006,Year Without Course,Bripka,POLSEK-A1A,S1,,tidak,2019,,,,",
        "90000001,Duplicate,Bripka,POLSEK-A1B,S1,,,,,,,",
    )
    before = Officer.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("officers", "import", str(path))
    err = capsys.readouterr().err
    for expected in [
        "row 3, nrp: An NRP has 8 digits.",
        "row 4, name: This field is required.",
        "row 4, rank: Unknown rank 'Jenderal'.",
        "row 4, unit_code: No unit 'POLSEK-NONE'.",
        "row 4, education: Unknown education level 'SD'",
        "row 4, dikbangspes: Use ya or tidak.",
        "row 4, dikbangspes_year: Give a year such as 2019.",
        "row 4, other_duties: Unknown duty 'astronaut'",
        f"row 5, villages: {taken} is given twice.",
        f"row 6, villages: {other_unit} is not in the jurisdiction of POLSEK-A1A.",
        "row 6, assigned_from: Give a date as YYYY-MM-DD.",
        "row 7, dikbangspes_year: A year is given but dikbangspes is not done.",
        "row 8, nrp: 90000001 appears again (first on row 2).",
    ]:
        assert expected in err, expected
    assert Officer.objects.count() == before


def test_an_unreadable_file_is_refused(world: World, tmp_path: Path) -> None:
    path = tmp_path / "officers.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(CommandError, match=r"Cannot read officers\.xlsx"):
        call_command("officers", "import", str(path))


def test_a_village_takes_several_officers_each_for_a_part_the_first_its_contact(
    world: World, tmp_path: Path
) -> None:
    """Urban kelurahan have several Bhabinkamtibmas, one per group of RW; the officer who
    was there first stays the residents' contact."""
    village = world.villages["polsek_a1a"]
    path = write_csv(
        tmp_path,
        f"90000011,Citra Contoh,Bripka,POLSEK-A1A,S1,,,,,,{village.code}=RW 06-10,2025-02-01",
        f"90000012,Dedi Contoh,Brigpol,POLSEK-A1A,SMA,,,,,,{village.code}=RW 11-15,2025-02-01",
    )
    call_command("officers", "import", str(path))
    active = Assignment.objects.filter(village=village, end_date__isnull=True)
    assert sorted(active.values_list("officer__nrp", "area", "is_contact")) == [
        (world.officers["polsek_a1a"].nrp, "", True),
        ("90000011", "RW 06-10", False),
        ("90000012", "RW 11-15", False),
    ]
    call_command("officers", "import", str(path))  # importing again changes nothing
    assert active.count() == 3
