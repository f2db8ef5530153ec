"""Reads for planning: a unit's villages and officers as the solver needs them, and the
balance figures of an assignment."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import shapely
import shapely.geometry
from django.db.models import QuerySet

from sambang.organization.models import Jurisdiction, Unit
from sambang.personnel.models import Assignment, Officer, OfficerStatus
from sambang.territory.models import Region

from .districting import Village as Place
from .districting import gini, km, neighbours

BORDER_GAP_DEGREES = 0.0005


@dataclass
class Area:
    """A unit's villages (with their covering Polsek) and its active officers, with who
    covers what today."""

    unit: Unit
    villages: dict[str, Region]
    village_unit: dict[str, Unit]
    officers: dict[str, Officer]
    covering: dict[str, list[str]] = field(default_factory=dict)  # village → NRPs today
    inactive_covering: dict[str, list[str]] = field(default_factory=dict)  # not active


def active_officers(unit: Unit) -> QuerySet[Officer]:
    """The active officers of ``unit`` and the units below it."""
    return (
        Officer.objects.filter(unit__path__startswith=unit.path, status=OfficerStatus.ACTIVE)
        .select_related("unit")
        .order_by("name", "nrp")
    )


def planning_area(unit: Unit) -> Area:
    """The villages of ``unit``'s jurisdiction subtree, its active officers, and today's
    assignments between them (three queries)."""
    jurisdictions = (
        Jurisdiction.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit", "village")
        .order_by("village__code")
    )
    villages = {j.village.code: j.village for j in jurisdictions}
    village_unit = {j.village.code: j.unit for j in jurisdictions}
    officers = {o.nrp: o for o in active_officers(unit)}
    area = Area(unit, villages, village_unit, officers)
    today = Assignment.objects.filter(
        end_date__isnull=True, village_id__in=list(villages)
    ).values_list("village_id", "officer__nrp", "officer__status")
    for code, nrp, status in today.order_by("village_id", "start_date", "pk"):
        if status == OfficerStatus.ACTIVE and nrp in officers:
            area.covering.setdefault(code, []).append(nrp)
        else:
            area.inactive_covering.setdefault(code, []).append(nrp)
    return area


def village_adjacency(
    villages: Mapping[str, Region], places: Mapping[str, Place]
) -> dict[str, set[str]]:
    """Which villages are neighbours: where both have an outline, those whose outlines touch
    (within ``BORDER_GAP_DEGREES``, about 50 m, for the gaps and slivers of mapped borders);
    otherwise, and for a village whose outline touches none (an island), the edges of the
    Delaunay triangulation of the centroids (``districting.neighbours``)."""
    found = neighbours(list(places.values()))
    outlines = {
        code: shapely.geometry.shape(villages[code].boundary).buffer(BORDER_GAP_DEGREES / 2)
        for code in places
        if villages[code].boundary
    }
    if len(outlines) < 2:
        return found
    codes = list(outlines)
    tree = shapely.STRtree(list(outlines.values()))
    touching: dict[str, set[str]] = {code: set() for code in codes}
    for i, code in enumerate(codes):
        for j in tree.query(outlines[code], predicate="intersects"):
            if int(j) != i:
                touching[code].add(codes[int(j)])
    for code in codes:
        if touching[code]:
            found[code] = (found[code] - set(outlines)) | touching[code]
    for code in codes:  # keep the relation symmetric
        for other in found[code]:
            found[other].add(code)
    return found


def balance(
    loads: Mapping[str, float],
    owners: Mapping[str, list[str]],
    places: Mapping[str, Place],
    bases: Mapping[str, str],
    villages_total: int,
    adjacent: Mapping[str, set[str]],
) -> dict[str, object]:
    """The balance figures of one assignment. ``loads``: officer → workload (W); ``owners``:
    village → the officers covering it; ``bases``: officer → base village (for travel);
    ``villages_total``: every village of the unit, located or not (the coverage's
    denominator)."""
    values = list(loads.values())
    mean = statistics.fmean(values) if values else 0.0
    districts: dict[str, list[str]] = defaultdict(list)
    for code, who in owners.items():
        for key in who:
            districts[key].append(code)
    travel = sum(
        km(places[bases[key]], places[code])
        for key, codes in districts.items()
        if key in bases and bases[key] in places
        for code in codes
        if code in places
    )
    contiguous = sum(
        1 for codes in districts.values() if _connected([c for c in codes if c in places], adjacent)
    )
    covered = sum(1 for who in owners.values() if who)
    return {
        "officers": len(values),
        "officers_with_villages": len(districts),
        "max": round(max(values), 2) if values else None,
        "min": round(min(values), 2) if values else None,
        "mean": round(mean, 2),
        "max_over_mean": round(max(values) / mean, 3) if values and mean > 0 else None,
        "gini": round(gini(values), 3),
        "covered": covered,
        "villages": villages_total,
        "travel_km": round(travel, 1),
        "contiguous": contiguous,
    }


def _connected(codes: list[str], adjacent: Mapping[str, set[str]]) -> bool:
    if len(codes) <= 1:
        return True
    mine, seen, stack = set(codes), {codes[0]}, [codes[0]]
    while stack:
        for nxt in adjacent.get(stack.pop(), ()):
            if nxt in mine and nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen == mine
