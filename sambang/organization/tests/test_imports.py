from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sambang.organization.models import Jurisdiction, Unit
from sambang.testing.world import World


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


UNITS_CSV = """code,name,level,parent_code,timezone
POLSEK-NEW,Polsek Baru,polsek,POLRES-NEW,WIB
POLRES-NEW,Polres Baru,polres,POLDA-A,WIB
"""


def test_units_import_in_any_order_under_stored_parents(world: World, tmp_path: Path) -> None:
    call_command("units", "import", str(write(tmp_path, "units.csv", UNITS_CSV)))
    polsek = Unit.objects.get(code="POLSEK-NEW")
    assert polsek.parent.code == "POLRES-NEW"  # type: ignore[union-attr]
    assert polsek.path == "MABES/POLDA-A/POLRES-NEW/POLSEK-NEW/"
    assert polsek.timezone == "Asia/Jakarta"
    assert Unit.objects.subtree(world.units["polda_a"]).filter(code="POLSEK-NEW").exists()


def test_units_import_is_idempotent_and_updates_names(world: World, tmp_path: Path) -> None:
    call_command("units", "import", str(write(tmp_path, "units.csv", UNITS_CSV)))
    count = Unit.objects.count()
    call_command(
        "units",
        "import",
        str(write(tmp_path, "units.csv", UNITS_CSV.replace("Polsek Baru", "Polsek Lama"))),
    )
    assert Unit.objects.count() == count
    assert Unit.objects.get(code="POLSEK-NEW").name == "Polsek Lama"


def test_a_units_dry_run_writes_nothing(world: World, tmp_path: Path) -> None:
    count = Unit.objects.count()
    call_command("units", "import", str(write(tmp_path, "units.csv", UNITS_CSV)), "--dry-run")
    assert Unit.objects.count() == count


def test_bad_unit_rows_are_reported_by_row_and_nothing_is_written(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """code,name,level,parent_code,timezone
POLRES-OK,Polres Ok,polres,POLDA-A,WITA
POLSEK-ORPHAN,Polsek Yatim,polsek,POLRES-NOWHERE,WIB
polsek bad,Bad Code,polsek,POLRES-OK,WIB
POLSEK-WRONG,Wrong Level,polsek,POLDA-A,WIB
POLSEK-TZ,Wrong Zone,polsek,POLRES-OK,GMT
"""
    count = Unit.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("units", "import", str(write(tmp_path, "units.csv", text)))
    err = capsys.readouterr().err
    assert "row 3, parent_code: No unit POLRES-NOWHERE" in err
    assert "row 4, code:" in err
    assert "row 5, parent: A polsek unit must sit under a polres unit." in err
    assert "row 6, timezone" in err
    assert Unit.objects.count() == count


def test_a_file_without_the_required_columns_is_refused(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="lacks the columns: level, parent_code"):
        call_command("units", "import", str(write(tmp_path, "units.csv", "code,name\nX,Y\n")))


def test_jurisdiction_by_district_and_by_village(world: World, tmp_path: Path) -> None:
    call_command("units", "import", str(write(tmp_path, "units.csv", UNITS_CSV)))
    text = "unit_code,region_code\nPOLSEK-NEW,32.16.02\nPOLSEK-NEW,32.16.08.2001\n"
    call_command("units", "import-jurisdiction", str(write(tmp_path, "cover.csv", text)))
    covered = set(
        Jurisdiction.objects.filter(unit__code="POLSEK-NEW").values_list("village_id", flat=True)
    )
    assert len(covered) == 9 + 1  # Babelan's nine villages, and one moved from POLSEK-A1A
    assert "32.16.08.2001" in covered
    assert not Jurisdiction.objects.filter(
        unit__code="POLSEK-A1A", village_id="32.16.08.2001"
    ).exists()


def test_bad_jurisdiction_rows_change_nothing(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """unit_code,region_code
POLSEK-A1B,32.16.02
POLSEK-A2A,32.16.02.2001
POLSEK-NOPE,32.16.03
MABES,32.16.04
POLSEK-A1B,32.16
POLSEK-A1B,99.99.99
"""
    before = set(Jurisdiction.objects.values_list("village_id", "unit_id"))
    with pytest.raises(CommandError):
        call_command("units", "import-jurisdiction", str(write(tmp_path, "cover.csv", text)))
    err = capsys.readouterr().err
    assert (
        "row 3, region_code: Village 32.16.02.2001 is already given to POLSEK-A1B on row 2." in err
    )
    assert "row 4, unit_code: No unit 'POLSEK-NOPE'." in err
    assert "row 5, unit_code: The national unit covers no villages directly." in err
    assert "row 6, region_code: Give a district or a village code." in err
    assert "row 7, region_code: No region '99.99.99' is loaded." in err
    assert set(Jurisdiction.objects.values_list("village_id", "unit_id")) == before
