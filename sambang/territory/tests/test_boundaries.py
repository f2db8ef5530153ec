from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from sambang.territory.models import Region, RegionCell
from sambang.territory.selectors import locate_village


def square(lng: float, lat: float, size: float) -> list[list[list[float]]]:
    return [
        [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    ]


def write_features(tmp_path: Path, features: list[dict[str, object]]) -> Path:
    path = tmp_path / "boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def feature(code: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


@pytest.fixture
def bekasi(db: None) -> None:
    call_command("regions", "load", "--regency", "32.16")


@pytest.mark.usefixtures("bekasi")
def test_the_real_bekasi_boundaries_import_and_locate_points(shared_data: Path) -> None:
    call_command(
        "regions", "import-boundaries", str(shared_data / "boundaries/kab-bekasi-villages.geojson")
    )
    assert Region.objects.filter(boundary__isnull=False).count() == 187
    assert RegionCell.objects.count() >= 187
    village = Region.objects.get(code="32.16.01.1007")
    assert village.bbox_min_lat < village.centroid_lat < village.bbox_max_lat  # type: ignore[operator]
    # A point inside each village's original outline is found in that village through
    # its (simplified) boundary.
    path = shared_data / "boundaries/kab-bekasi-villages.geojson"
    misses = []
    for item in json.loads(path.read_text())["features"]:
        inside = shape(item["geometry"]).representative_point()
        located = locate_village(inside.y, inside.x)
        code = item["properties"]["code"]
        if located is None or located.village.code != code or located.method != "boundary":
            misses.append(code)
    assert misses == []


@pytest.mark.django_db
def test_island_multipolygons_import(shared_data: Path) -> None:
    call_command("regions", "load", "--regency", "31.01")
    call_command(
        "regions",
        "import-boundaries",
        str(shared_data / "boundaries/kepulauan-seribu-villages.geojson"),
    )
    assert Region.objects.filter(boundary__type="MultiPolygon").exists()


@pytest.mark.usefixtures("bekasi")
def test_invalid_geometry_is_repaired(tmp_path: Path) -> None:
    # A bow-tie: self-intersecting, invalid as given.
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[107.0, -6.2], [107.02, -6.18], [107.02, -6.2], [107.0, -6.18], [107.0, -6.2]]
        ],
    }
    path = write_features(tmp_path, [feature("32.16.01.1007", bow_tie)])
    call_command("regions", "import-boundaries", str(path))
    village = Region.objects.get(code="32.16.01.1007")
    assert village.boundary is not None and village.boundary["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.usefixtures("bekasi")
def test_unmatched_codes_import_nothing_unless_skipped(tmp_path: Path) -> None:
    path = write_features(
        tmp_path,
        [
            feature(
                "32.16.01.1007", {"type": "Polygon", "coordinates": square(107.0, -6.17, 0.02)}
            ),
            feature(
                "32.16.99.9999", {"type": "Polygon", "coordinates": square(107.1, -6.17, 0.02)}
            ),
        ],
    )
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("regions", "import-boundaries", str(path))
    assert not Region.objects.filter(boundary__isnull=False).exists()
    assert not RegionCell.objects.exists()
    call_command("regions", "import-boundaries", str(path), "--skip-unmatched")
    assert list(Region.objects.filter(boundary__isnull=False).values_list("code", flat=True)) == [
        "32.16.01.1007"
    ]


@pytest.mark.usefixtures("bekasi")
@pytest.mark.parametrize(
    "bad",
    [
        feature("32.16.01.1007", {"type": "Point", "coordinates": [107.0, -6.2]}),
        feature("not-a-code", {"type": "Polygon", "coordinates": square(107.0, -6.17, 0.02)}),
        feature("32.16.01.1007", {"type": "Polygon", "coordinates": "garbage"}),
    ],
    ids=["point", "bad-code", "garbage-coordinates"],
)
def test_a_broken_feature_imports_nothing(tmp_path: Path, bad: dict[str, object]) -> None:
    good = feature("32.16.01.1008", {"type": "Polygon", "coordinates": square(107.0, -6.17, 0.02)})
    path = write_features(tmp_path, [good, bad])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("regions", "import-boundaries", str(path))
    assert not Region.objects.filter(boundary__isnull=False).exists()


@pytest.mark.usefixtures("bekasi")
def test_a_file_that_is_not_geojson_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("regions", "import-boundaries", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("regions", "import-boundaries", str(tmp_path / "missing.geojson"))


@pytest.mark.usefixtures("bekasi")
def test_reimporting_replaces_the_lookup_cells(tmp_path: Path) -> None:
    first = write_features(
        tmp_path,
        [feature("32.16.01.1007", {"type": "Polygon", "coordinates": square(107.0, -6.17, 0.02)})],
    )
    call_command("regions", "import-boundaries", str(first))
    located = locate_village(-6.16, 107.01)
    assert (
        located is not None
        and located.village.code == "32.16.01.1007"
        and located.method == "boundary"
    )
    moved = write_features(
        tmp_path,
        [feature("32.16.01.1007", {"type": "Polygon", "coordinates": square(107.5, -6.5, 0.02)})],
    )
    call_command("regions", "import-boundaries", str(moved))
    assert locate_village(-6.49, 107.51).village.code == "32.16.01.1007"  # type: ignore[union-attr]
    old_spot = locate_village(-6.16, 107.01)
    assert old_spot is None or old_spot.method == "centroid"


@pytest.mark.usefixtures("bekasi")
def test_without_boundaries_the_nearest_centroid_is_used() -> None:
    village = Region.objects.get(code="32.16.08.2001")
    assert village.centroid_lat is not None and village.centroid_lng is not None
    located = locate_village(village.centroid_lat + 0.001, village.centroid_lng)
    assert located is not None
    assert located.village.code == village.code and located.method == "centroid"
    assert 50 < located.distance_m < 200
    assert locate_village(-10.0, 100.0) is None  # the Indian Ocean


@pytest.mark.usefixtures("bekasi")
def test_the_outlines_shipped_with_sambang_import_without_any_file_beside_it() -> None:
    """Kabupaten Bekasi's outlines are inside the package (the demo's maps need them on a
    fresh clone): the regency, its 23 districts and 187 villages; importing again changes
    nothing."""
    from sambang.core.errors import ApplicationError
    from sambang.territory.services import bundled_boundaries_import

    result = bundled_boundaries_import(regency="32.16")
    assert result.by_level == {"regency": 1, "district": 23, "village": 187}
    assert bundled_boundaries_import(regency="32.16").imported == 211
    assert Region.objects.filter(boundary__isnull=False).count() == 211
    assert locate_village(-6.2662, 107.0975).village.code == "32.16.08.1008"  # type: ignore[union-attr]
    with pytest.raises(ApplicationError) as refused:
        bundled_boundaries_import(regency="34.71")
    assert "regency" in refused.value.fields


@pytest.mark.usefixtures("bekasi")
def test_a_gzipped_file_imports_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "outline.geojson.gz"
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature("32.16.01.1007", {"type": "Polygon", "coordinates": square(107.0, -6.16, 0.01)})
        ],
    }
    path.write_bytes(gzip.compress(json.dumps(collection).encode()))
    call_command("regions", "import-boundaries", str(path))
    assert Region.objects.get(code="32.16.01.1007").has_boundary
    path.write_bytes(gzip.compress(b"{}")[:12])  # cut short
    with pytest.raises(CommandError, match="not valid gzip"):
        call_command("regions", "import-boundaries", str(path))
