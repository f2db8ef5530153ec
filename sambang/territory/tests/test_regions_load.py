from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from sambang.territory.models import Region, RegionKind, RegionLevel


@pytest.mark.django_db
def test_loading_a_regency_brings_its_districts_and_villages_with_real_codes() -> None:
    call_command("regions", "load", "--regency", "32.16")
    assert Region.objects.get(code="32").name == "Jawa Barat"
    bekasi = Region.objects.get(code="32.16")
    assert bekasi.name == "Kabupaten Bekasi" and bekasi.kind == RegionKind.KABUPATEN
    assert bekasi.utc_offset == 7 and bekasi.population and bekasi.area_km2
    assert Region.objects.filter(level=RegionLevel.DISTRICT, parent=bekasi).count() == 23
    assert Region.objects.within("32.16").filter(level=RegionLevel.VILLAGE).count() == 187
    # Only the chosen regency: no other regency of Jawa Barat.
    assert Region.objects.filter(level=RegionLevel.REGENCY).count() == 1


@pytest.mark.django_db
def test_villages_carry_kind_parent_centroid_and_lookup_cell() -> None:
    call_command("regions", "load", "--regency", "32.16")
    kelurahan = Region.objects.get(code="32.16.01.1007")  # Setia Asih
    assert kelurahan.kind == RegionKind.KELURAHAN and kelurahan.parent_id == "32.16.01"
    desa = Region.objects.filter(code__startswith="32.16.01.2").first()
    assert desa is not None and desa.kind == RegionKind.DESA
    assert -6.3 < kelurahan.centroid_lat < -6.0 and 106.9 < kelurahan.centroid_lng < 107.1  # type: ignore[operator]
    assert kelurahan.centroid_cell is not None


@pytest.mark.django_db
def test_cities_are_kota() -> None:
    call_command("regions", "load", "--regency", "34.71")
    assert Region.objects.get(code="34.71").kind == RegionKind.KOTA


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_boundaries() -> None:
    call_command("regions", "load", "--regency", "32.16")
    village = Region.objects.get(code="32.16.01.1007")
    village.boundary = {
        "type": "Polygon",
        "coordinates": [[[107, -6.1], [107.01, -6.1], [107, -6.11], [107, -6.1]]],
    }
    village.name = "Renamed by hand"
    village.save()
    count = Region.objects.count()
    call_command("regions", "load", "--regency", "32.16")
    assert Region.objects.count() == count
    village.refresh_from_db()
    assert village.name == "Setia Asih"  # the official name is restored
    assert village.boundary is not None  # the boundary is kept


@pytest.mark.django_db
def test_loading_a_province() -> None:
    call_command("regions", "load", "--province", "34")
    assert Region.objects.filter(level=RegionLevel.REGENCY).count() == 5
    assert Region.objects.within("34").filter(level=RegionLevel.VILLAGE).count() == 438


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "value"), [("--regency", "32"), ("--regency", "99.99"), ("--province", "3x")]
)
def test_bad_codes_are_refused_with_a_clear_message(option: str, value: str) -> None:
    with pytest.raises(CommandError, match="code"):
        call_command("regions", "load", option, value)
    assert Region.objects.count() == 0
