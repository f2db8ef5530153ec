"""Reads of the territory: the point-in-village lookup used for every GPS fix, and the
outlines that maps draw where no tile server gives them a background."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import h3
from shapely import Point
from shapely.geometry import mapping, shape

from .models import LOOKUP_H3_RESOLUTION, MAP_H3_RESOLUTION, Region, RegionLevel

EARTH_RADIUS_M = 6_371_008.8
# Without a boundary, a fix belongs to the nearest village centroid within this range.
CENTROID_MAX_DISTANCE_M = 15_000


@dataclass(frozen=True)
class LocatedVillage:
    village: Region
    # "boundary": the fix lies inside the village outline;
    # "centroid": no outline contains it, the village centroid is the nearest.
    method: str
    distance_m: float


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def map_cell(lat: float | None, lng: float | None) -> int | None:
    """The H3 map cell of a point (None without a valid position)."""
    if lat is None or lng is None:
        return None
    try:
        return h3.str_to_int(h3.latlng_to_cell(lat, lng, MAP_H3_RESOLUTION))
    except (TypeError, ValueError, h3.H3BaseException):
        return None


def locate_village(lat: float, lng: float) -> LocatedVillage | None:
    """The village a GPS fix lies in: by boundary (H3-indexed), else the nearest centroid.

    Two indexed queries at most; only the few outlines sharing the fix's H3 cell are
    tested exactly.
    """
    cell = h3.latlng_to_cell(lat, lng, LOOKUP_H3_RESOLUTION)
    point = Point(lng, lat)
    # Filter on the H3 columns alone: with ``level`` in the query too, SQLite's planner
    # prefers the level index and scans every village.
    candidates = (
        Region.objects.filter(cells__cell=h3.str_to_int(cell))
        .order_by()
        .only(
            "code", "name", "kind", "level", "parent_id", "boundary", "centroid_lat", "centroid_lng"
        )
    )
    for village in candidates:
        if village.level != RegionLevel.VILLAGE or not village.boundary:
            continue
        if shape(village.boundary).covers(point):
            return LocatedVillage(village, "boundary", 0.0)

    # Three rings of ~3.7 km-edge cells reach past CENTROID_MAX_DISTANCE_M in every direction.
    ring = [h3.str_to_int(c) for c in h3.grid_disk(cell, 3)]
    nearest: LocatedVillage | None = None
    nearby = (
        Region.objects.filter(centroid_cell__in=ring)
        .order_by()
        .only("code", "name", "kind", "level", "parent_id", "centroid_lat", "centroid_lng")
    )
    for village in nearby:
        if village.level != RegionLevel.VILLAGE:
            continue
        assert village.centroid_lat is not None and village.centroid_lng is not None
        distance = haversine_m(lat, lng, village.centroid_lat, village.centroid_lng)
        if distance <= CENTROID_MAX_DISTANCE_M and (
            nearest is None or distance < nearest.distance_m
        ):
            nearest = LocatedVillage(village, "centroid", distance)
    return nearest


# How much each level's outline is simplified for a background (degrees; ~0.001 is 110 m):
# a map of a regency needs no 10-m detail of its border.
_BACKGROUND_TOLERANCE: dict[str, float] = {
    RegionLevel.PROVINCE.value: 0.01,
    RegionLevel.REGENCY.value: 0.002,
    RegionLevel.DISTRICT.value: 0.0005,
    RegionLevel.VILLAGE.value: 0.0,
}
BACKGROUND_MAX_REGIONS = 1_000


def outlines(codes: Iterable[str]) -> dict[str, Any]:
    """The loaded outlines of the regions ``codes`` (others are left out) as a GeoJSON
    FeatureCollection, each feature with ``code``, ``name`` and ``level``; larger regions
    first, so that smaller ones are drawn over them. Public data: the official borders."""
    rows = (
        Region.objects.filter(code__in=sorted(set(codes)), boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name", "level", "boundary")[:BACKGROUND_MAX_REGIONS]
    )
    order = list(_BACKGROUND_TOLERANCE)
    features = []
    for code, name, level, boundary in sorted(rows, key=lambda row: order.index(row[2])):
        tolerance = _BACKGROUND_TOLERANCE.get(level, 0.0)
        geometry = (
            mapping(shape(boundary).simplify(tolerance, preserve_topology=True))
            if tolerance
            else boundary
        )
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"code": code, "name": name, "level": level},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outlines_around_village(village: Region) -> dict[str, Any]:
    """A village's surroundings: its regency, its district and the district's villages."""
    district = village.parent_id or ""
    neighbours = Region.objects.filter(parent_id=district, level=RegionLevel.VILLAGE)
    return outlines(
        [district, district.rpartition(".")[0], *neighbours.values_list("code", flat=True)]
    )


def outlines_around_villages(villages: Iterable[str], *, detail: str) -> dict[str, Any]:
    """The regencies and, with ``detail="district"``, the districts the villages lie in."""
    codes = set(villages)
    regencies = {code[:5] for code in codes}
    districts = {code[:8] for code in codes} if detail == RegionLevel.DISTRICT else set()
    return outlines(regencies | districts)
