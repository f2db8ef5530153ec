"""Reads of the territory: the point-in-village lookup used for every GPS fix."""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3
from shapely import Point
from shapely.geometry import shape

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
