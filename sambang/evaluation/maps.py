"""Map layers of a unit's month as GeoJSON: villages by indicator, points, hexagons, hot spots.

Villages are drawn as their boundary where one is loaded and as a bubble at their
centroid otherwise; above a Polres, each unit below is one bubble. Counts come from the
rollups; points (incidents, residents' reports, vulnerable spots) are the month's records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import h3
from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from h3.api import basic_int as h3int  # cells as integers: no conversions in loops

from sambang.alerts.vulnerability import vulnerabilities
from sambang.community.models import VulnerableSpot
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.personnel.models import Assignment
from sambang.public.models import CitizenReport
from sambang.security.models import Incident
from sambang.territory.models import Region, RegionLevel
from sambang.territory.selectors import outlines_around_villages

from .models import ActivityDay, CitizenDay, IncidentDay
from .periods import add_months, month_end
from .rollups import UNTRUSTED
from .stats import gi_star, prediction_accuracy_index

INDICATORS = {
    "coverage": _("Villages with an officer"),
    "activity": _("Trusted activity reports"),
    "incidents": _("Incidents"),
    "reports": _("Residents' reports"),
    "vulnerability": _("Vulnerability index (0–100)"),
}
HEAT_RESOLUTION = 8  # hexagons of about 0.7 km²
HOTSPOT_MONTHS = 3  # hot spots look at this many months, ending with the chosen one
HOT_Z = 1.96  # p < 0.05, two-sided
MAX_POINTS = 5000


def _collection(features: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, **meta}


def _window(month: dt.date, months: int = 1) -> tuple[dt.date, dt.date]:
    return add_months(month, 1 - months), month_end(month)


def _moments(unit: Unit, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's bounds as moments in the unit's local time (for raw records)."""
    zone = ZoneInfo(unit.timezone)
    return (
        dt.datetime.combine(first, dt.time(), zone),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone),
    )


def _village_values(unit: Unit, month: dt.date, indicator: str) -> dict[str, float]:
    first, last = _window(month)
    if indicator == "vulnerability":  # as of the month's last day (alerts.vulnerability)
        return {v.code: float(v.index) for v in vulnerabilities(unit, last)}
    subtree = Q(unit__path__startswith=unit.path)
    if indicator == "coverage":
        covered = Assignment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=first),
            start_date__lte=last,
            village__jurisdiction__unit__path__startswith=unit.path,
        ).values_list("village_id", flat=True)
        return dict.fromkeys(covered, 1.0)
    model: Any = {"activity": ActivityDay, "incidents": IncidentDay, "reports": CitizenDay}[
        indicator
    ]
    field = {"activity": "reports", "incidents": "incidents", "reports": "reports"}[indicator]
    chosen = model.objects.filter(subtree, day__range=(first, last))
    if indicator == "activity":
        chosen = chosen.exclude(integrity_level=UNTRUSTED)
    rows = chosen.values("village_id").annotate(n=Sum(field)).values_list("village_id", "n")
    return {village: float(n) for village, n in rows if village}


def village_layer(unit: Unit, month: dt.date, indicator: str) -> dict[str, Any]:
    """The villages of a Polres or Polsek, each with the indicator's value for the month."""
    values = _village_values(unit, month, indicator)
    villages = Region.objects.filter(jurisdiction__unit__path__startswith=unit.path).only(
        "code", "name", "boundary", "centroid_lat", "centroid_lng"
    )
    features = []
    for village in villages:
        if village.boundary:
            geometry = village.boundary
        elif village.centroid_lat is not None and village.centroid_lng is not None:
            geometry = {
                "type": "Point",
                "coordinates": [village.centroid_lng, village.centroid_lat],
            }
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": village.code,
                    "name": village.name,
                    "value": values.get(village.code, 0.0),
                },
            }
        )
    return _collection(
        features, indicator=indicator, label=str(INDICATORS[indicator]), level="village"
    )


def unit_layer(unit: Unit, month: dt.date, indicator: str) -> dict[str, Any]:
    """The units below a Polda or the nation, each a bubble at the centre of its villages."""
    features = []
    for child in unit.children.order_by("name"):
        villages = Jurisdiction.objects.filter(unit__path__startswith=child.path)
        centre = villages.aggregate(
            lat=Avg("village__centroid_lat"), lng=Avg("village__centroid_lng"), n=Count("pk")
        )
        if centre["lat"] is None:
            continue
        values = _village_values(child, month, indicator)
        total = sum(values.values())
        if indicator == "coverage":
            value = round(100 * total / centre["n"], 1)
        elif indicator == "vulnerability":  # the mean of its villages'
            value = round(total / centre["n"], 1)
        else:
            value = total
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [centre["lng"], centre["lat"]]},
                "properties": {"code": child.code, "name": child.name, "value": value},
            }
        )
    label = str(INDICATORS[indicator]) + (" (%)" if indicator == "coverage" else "")
    return _collection(features, indicator=indicator, label=label, level="unit")


def area_layer(unit: Unit, month: dt.date, indicator: str) -> dict[str, Any]:
    if unit.level in (UnitLevel.POLRES, UnitLevel.POLSEK):
        return village_layer(unit, month, indicator)
    return unit_layer(unit, month, indicator)


def _point(lat: float | None, lng: float | None, village: Region) -> list[float] | None:
    if lat is not None and lng is not None:
        return [lng, lat]
    if village.centroid_lat is not None and village.centroid_lng is not None:
        return [village.centroid_lng, village.centroid_lat]
    return None


def incident_points(unit: Unit, month: dt.date) -> dict[str, Any]:
    start, end = _moments(unit, *_window(month))
    incidents = (
        Incident.objects.filter(
            unit__path__startswith=unit.path, occurred_at__gte=start, occurred_at__lt=end
        )
        .select_related("category", "village")
        .order_by("-occurred_at")[:MAX_POINTS]
    )
    features = []
    for incident in incidents:
        coordinates = _point(incident.latitude, incident.longitude, incident.village)
        if coordinates is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": {
                    "id": incident.pk,
                    "label": incident.category.label,
                    "date": incident.occurred_at.date().isoformat(),
                    "village": incident.village.name,
                },
            }
        )
    return _collection(features)


def citizen_points(unit: Unit, month: dt.date) -> dict[str, Any]:
    """Residents' reports of the month: what and where, never who."""
    start, end = _moments(unit, *_window(month))
    reports = (
        CitizenReport.objects.filter(
            unit__path__startswith=unit.path, received_at__gte=start, received_at__lt=end
        )
        .select_related("village")
        .order_by("-received_at")[:MAX_POINTS]
    )
    features = []
    for report in reports:
        coordinates = _point(report.latitude, report.longitude, report.village)
        if coordinates is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": {
                    "code": report.tracking_code,
                    "label": str(report.get_category_display()),
                    "status": str(report.get_status_display()),
                    "date": report.received_at.date().isoformat(),
                },
            }
        )
    return _collection(features)


def spot_points(unit: Unit) -> dict[str, Any]:
    spots = VulnerableSpot.objects.filter(
        village__jurisdiction__unit__path__startswith=unit.path
    ).select_related("village")[:MAX_POINTS]
    return _collection(
        [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.longitude, s.latitude]},
                "properties": {
                    "label": str(s.get_category_display()),
                    "level": s.level,
                    "level_label": str(s.get_level_display()),
                    "note": s.note,
                    "village": s.village.name,
                },
            }
            for s in spots
        ]
    )


def _incident_cells(unit: Unit, first: dt.date, last: dt.date) -> dict[int, int]:
    cells: dict[int, int] = defaultdict(int)
    start, end = _moments(unit, first, last)
    rows = Incident.objects.filter(
        unit__path__startswith=unit.path,
        occurred_at__gte=start,
        occurred_at__lt=end,
        cell__isnull=False,
    ).values_list("cell", flat=True)
    for cell in rows:
        parent = h3.cell_to_parent(h3.int_to_str(cell), HEAT_RESOLUTION)
        cells[h3.str_to_int(parent)] += 1
    return cells


def _hexagon(cell: int) -> dict[str, Any]:
    ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(h3.int_to_str(cell))]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def heat_cells(unit: Unit, month: dt.date) -> dict[str, Any]:
    """Incidents of the month counted on H3 hexagons."""
    cells = _incident_cells(unit, *_window(month))
    return _collection(
        [
            {"type": "Feature", "geometry": _hexagon(cell), "properties": {"value": n}}
            for cell, n in cells.items()
        ],
        resolution=HEAT_RESOLUTION,
    )


def _study_area(unit: Unit) -> set[int]:
    """The hexagons of the unit's villages (their centroids and the ring around them)."""
    area: set[int] = set()
    centroids = Region.objects.filter(
        jurisdiction__unit__path__startswith=unit.path, centroid_lat__isnull=False
    ).values_list("centroid_lat", "centroid_lng")
    for lat, lng in centroids:
        area.update(h3int.grid_disk(h3int.latlng_to_cell(lat, lng, HEAT_RESOLUTION), 1))
    return area


def _hot(
    unit: Unit, first: dt.date, last: dt.date, villages: set[int], disks: dict[int, set[int]]
) -> tuple[dict[int, tuple[float, float]], dict[int, int], set[int]]:
    """Gi* over the study area: the villages' hexagons and those with incidents.
    ``disks`` keeps each hexagon's ring between the two periods of ``hot_spots``."""
    events = _incident_cells(unit, first, last)
    area = villages | set(events)
    neighbours = {}
    for cell in area:
        if (disk := disks.get(cell)) is None:
            disk = disks[cell] = set(h3int.grid_disk(cell, 1))
        neighbours[cell] = disk & area
    scores = gi_star({cell: float(events.get(cell, 0)) for cell in area}, neighbours)
    return scores, events, area


def hot_spots(unit: Unit, month: dt.date) -> dict[str, Any]:
    """Hexagons where incidents cluster more than chance (Gi*, p < 0.05) over the last
    months, and how well the previous period's hot spots predicted this period (PAI)."""
    first, last = _window(month, HOTSPOT_MONTHS)
    if unit.level == UnitLevel.MABES:  # the whole country: choose a Polda
        return _collection([], note=str(_("Hot spots are computed for a Polda or a unit below.")))
    villages, disks = _study_area(unit), dict[int, set[int]]()
    scores, events, area = _hot(unit, first, last, villages, disks)
    hot = {cell for cell, (z, _p) in scores.items() if z >= HOT_Z and events.get(cell, 0) > 0}
    before_first = add_months(first, -HOTSPOT_MONTHS)
    previous_scores, previous_events, _area = _hot(
        unit, before_first, first - dt.timedelta(days=1), villages, disks
    )
    previous_hot = {
        cell
        for cell, (z, _p) in previous_scores.items()
        if z >= HOT_Z and previous_events.get(cell, 0) > 0
    }
    pai = prediction_accuracy_index(previous_hot, events, area)
    return _collection(
        [
            {
                "type": "Feature",
                "geometry": _hexagon(cell),
                "properties": {
                    "z": round(scores[cell][0], 2),
                    "p": round(scores[cell][1], 4),
                    "incidents": events.get(cell, 0),
                },
            }
            for cell in sorted(hot)
        ],
        period=[first.isoformat(), last.isoformat()],
        previous_period=[before_first.isoformat(), (first - dt.timedelta(days=1)).isoformat()],
        previous_hot_cells=len(previous_hot),
        pai=round(pai, 2) if pai is not None else None,
        area_cells=len(area),
    )


def unit_outlines(unit: Unit) -> dict[str, Any]:
    """The borders around a unit's villages, for a map without tiles: the regencies and, for a
    Polres or Polsek, the districts too (the villages themselves are the area layer)."""
    villages = Jurisdiction.objects.filter(unit__path__startswith=unit.path).values_list(
        "village_id", flat=True
    )
    local = unit.level in (UnitLevel.POLRES, UnitLevel.POLSEK)
    return outlines_around_villages(
        villages, detail=RegionLevel.DISTRICT if local else RegionLevel.REGENCY
    )


LAYERS = {
    "area": area_layer,
    "outlines": lambda unit, month, indicator: unit_outlines(unit),
    "incidents": lambda unit, month, indicator: incident_points(unit, month),
    "citizen-reports": lambda unit, month, indicator: citizen_points(unit, month),
    "spots": lambda unit, month, indicator: spot_points(unit),
    "heat": lambda unit, month, indicator: heat_cells(unit, month),
    "hotspots": lambda unit, month, indicator: hot_spots(unit, month),
}
