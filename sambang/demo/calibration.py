"""Calibrating the integrity signals: the labelled set sent through the officers' own path.

A world of real Kabupaten Bekasi villages (with their shipped outlines) gets a Polda, a
Polres and a Polsek per district, and officers covering two or three villages each. The
cases of ``labelled.labelled_set`` are sent one by one as the phone sends them (the API's
serializer, ``report_create``, ``photo_add``), with GPS fixes inside the village (or not),
photos carrying their capture time and place, and reused photos re-encoded and resized.
Then every report's level is read back and scored against its label.

Officers sit in their Polsek, or all of them in the Polres (``placement``): copies must be
caught wherever officers sit in the tree. Everything runs in one transaction that is
rolled back, with photos kept in memory: the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from PIL import Image
from shapely import Point
from shapely.geometry import shape

from sambang.core.progress import StepProgress
from sambang.fieldwork import processing, services
from sambang.fieldwork.api.reports import ReportWriteSerializer
from sambang.fieldwork.catalogue import catalogue_seed
from sambang.fieldwork.models import ActivityReport, ActivityType
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.organization.services import unit_create
from sambang.personnel.models import Assignment, Education, Officer, Rank
from sambang.territory.models import Region, RegionLevel
from sambang.territory.selectors import haversine_m
from sambang.territory.services import bundled_boundaries_import, regions_load
from sambang.testing.fieldwork import photo_bytes

from .fieldwork import Places, report_details
from .labelled import PATTERNS, Case, LabelledSet, labelled_set

REGENCY = "32.16"  # Kabupaten Bekasi: its outlines ship with Sambang
ZONE = ZoneInfo("Asia/Jakarta")
TRAVEL_KMH = 180  # how fast an impossible trip is made to look
PLACEMENTS = ("polsek", "polres")


@dataclass(frozen=True)
class Size:
    districts: int
    officers_per_district: int
    days: int


SIZES = {
    # About 230 reports a placement: what ``make test`` runs on both databases.
    "small": Size(districts=4, officers_per_district=3, days=16),
    # About 670 reports a placement: the figures BENCHMARKS.md records (make test-long).
    "full": Size(districts=6, officers_per_district=5, days=24),
}


@dataclass
class Scored:
    case: Case
    level: str
    failing: list[str]

    @property
    def doubtful(self) -> bool:
        return self.level == "doubtful"


@dataclass
class Evaluation:
    placement: str
    seed: int
    scored: list[Scored] = field(default_factory=list)

    @property
    def genuine(self) -> list[Scored]:
        return [s for s in self.scored if not s.case.gamed]

    @property
    def gamed(self) -> list[Scored]:
        return [s for s in self.scored if s.case.gamed]

    def recall(self, pattern: str | None = None) -> float:
        """Share of gamed reports (of one pattern) found doubtful."""
        chosen = [s for s in self.gamed if pattern is None or s.case.label == pattern]
        return sum(s.doubtful for s in chosen) / len(chosen) if chosen else 1.0

    def false_alarms(self, family: str | None = None) -> float:
        """Share of genuine reports (of one family) found doubtful."""
        chosen = [s for s in self.genuine if family is None or s.case.family == family]
        return sum(s.doubtful for s in chosen) / len(chosen) if chosen else 0.0

    def signal_precision(self) -> dict[str, tuple[int, float]]:
        """Per signal: how many reports it failed, and the share of them that were gamed."""
        failed: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for s in self.scored:
            for code in set(s.failing):
                failed[code] += 1
                right[code] += s.case.gamed
        return {code: (n, right[code] / n) for code, n in sorted(failed.items())}

    def figures(self) -> dict[str, Any]:
        families = sorted({s.case.family for s in self.genuine})
        return {
            "placement": self.placement,
            "seed": self.seed,
            "reports": len(self.scored),
            "gamed": len(self.gamed),
            "genuine": len(self.genuine),
            "recall": round(self.recall(), 4),
            "false_alarms": round(self.false_alarms(), 4),
            "recall_by_pattern": {p: round(self.recall(p), 4) for p in PATTERNS},
            "cases_by_pattern": dict(Counter(s.case.label for s in self.gamed)),
            "false_alarms_by_family": {f: round(self.false_alarms(f), 4) for f in families},
            "signals": {
                code: {"failed": n, "precision": round(p, 4)}
                for code, (n, p) in self.signal_precision().items()
            },
            "false_alarm_signals": dict(
                Counter(code for s in self.genuine if s.doubtful for code in s.failing)
            ),
        }


def _world(size: Size, placement: str, rng: random.Random) -> tuple[list[Officer], list[int]]:
    """Units and officers over real villages; returns the officers and each one's Polsek
    number (in the labelled set's order)."""
    catalogue_seed(ActivityType)
    regions_load(regency=REGENCY)
    bundled_boundaries_import(regency=REGENCY)
    mabes = Unit.objects.filter(level=UnitLevel.MABES).first() or unit_create(
        code="MABES", name="Mabes Polri", level=UnitLevel.MABES, parent=None
    )
    polda = unit_create(
        code="CALIBRATION-POLDA", name="Polda (calibration)", level=UnitLevel.POLDA, parent=mabes
    )
    polres = unit_create(
        code="CALIBRATION-POLRES", name="Polres (calibration)", level=UnitLevel.POLRES, parent=polda
    )
    districts = [
        d
        for d in Region.objects.filter(parent_id=REGENCY, level=RegionLevel.DISTRICT).order_by(
            "code"
        )
        if Region.objects.filter(parent=d, boundary__isnull=False).count()
        >= size.officers_per_district * 2
    ][: size.districts]
    officers: list[Officer] = []
    units: list[int] = []
    for number, district in enumerate(districts):
        polsek = unit_create(
            code=f"CALIBRATION-POLSEK-{number + 1}",
            name=f"Polsek {district.name.title()} (calibration)",
            level=UnitLevel.POLSEK,
            parent=polres,
        )
        villages = list(
            Region.objects.filter(parent=district, boundary__isnull=False).order_by("code")
        )
        Jurisdiction.objects.bulk_create(Jurisdiction(unit=polsek, village=v) for v in villages)
        half = len(villages) // 2
        for i in range(size.officers_per_district):
            officer = Officer.objects.create(
                nrp=f"{97000000 + len(officers)}",
                name=f"Petugas {len(officers) + 1}",
                rank=rng.choice([Rank.BRIPKA, Rank.AIPDA, Rank.BRIGPOL]),
                unit=polres if placement == "polres" else polsek,
                education=Education.SMA,
            )
            # Two or three villages from both ends of the district: kilometres apart.
            mine = [villages[i], villages[half + i]]
            if rng.random() < 0.4 and half + i + size.officers_per_district < len(villages):
                mine.append(villages[half + i + size.officers_per_district])
            for village in mine:
                Assignment.objects.create(
                    officer=officer,
                    village=village,
                    start_date=dt.date(2024, 1, 1),
                    is_contact=True,
                )
            officers.append(officer)
            units.append(number)
    return officers, units


def _reencoded(data: bytes) -> bytes:
    """The photo as a gamer sends it again: smaller, saved anew, without its EXIF data."""
    original = Image.open(io.BytesIO(data))
    smaller = original.resize((original.width * 3 // 4, original.height * 3 // 4))
    out = io.BytesIO()
    smaller.save(out, "JPEG", quality=70)
    return out.getvalue()


class _Sender:
    """Sends the cases as the officers' phones would, keeping where each report was made."""

    def __init__(self, officers: list[Officer], cases: LabelledSet, rng: random.Random) -> None:
        self.officers = officers
        self.set = cases
        self.rng = rng
        self.places = Places()
        self.types = {t.code: t for t in ActivityType.objects.all()}
        self.villages = {
            o.pk: [a.village for a in o.assignments.select_related("village").order_by("id")]
            for o in officers
        }
        self.fixes: dict[int, tuple[float, float]] = {}
        self.last: dict[int, Case] = {}
        self.photos: dict[int, bytes] = {}
        self.reports: dict[int, ActivityReport] = {}

    def _outside(self, village: Region) -> tuple[float, float]:
        outline = shape(village.boundary)
        assert village.centroid_lat is not None and village.centroid_lng is not None
        while True:
            km = self.rng.uniform(5, 15)
            angle = self.rng.uniform(0, 6.283)
            lat = village.centroid_lat + km / 111 * math.sin(angle)
            lng = village.centroid_lng + km / 111 * math.cos(angle)
            if not outline.buffer(0.01).contains(Point(lng, lat)):
                return lat, lng

    def send(self, case: Case) -> ActivityReport:
        officer = self.officers[case.officer]
        villages = self.villages[officer.pk]
        village = villages[case.village % len(villages)]
        when = case.occurred_at
        if case.gps == "travel" and case.officer in self.last:
            # The farthest of a few places in the officer's villages from his last fix.
            before = self.fixes[self.last[case.officer].index]
            spots = [(v, self.places.near(self.rng, v)) for v in villages for _ in range(8)]
            village, (lat, lng) = max(
                spots, key=lambda spot: haversine_m(*before, spot[1][0], spot[1][1])
            )
            km = haversine_m(*before, lat, lng) / 1000
            when = self.last[case.officer].occurred_at + dt.timedelta(hours=km / TRAVEL_KMH)
        elif case.gps == "outside":
            lat, lng = self._outside(village)
        else:
            lat, lng = self.places.near(self.rng, village)
        kind = self.types[case.activity_type]
        payload = {
            "uuid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "activity_type": case.activity_type,
            "village": village.code,
            "occurred_at": when.isoformat(),
            "latitude": lat,
            "longitude": lng,
            "accuracy_m": float(self.rng.choice([5, 8, 12, 20, 35])),
            "narrative": case.narrative,
            **report_details(self.rng, kind, when),
        }
        if "information" in payload:
            payload["information"]["happened_at"] = when.isoformat()
        serializer = ReportWriteSerializer(data=payload)
        serializer.is_valid(raise_exception=True)
        report, _ = services.report_create(
            officer=officer,
            data=serializer.validated_data,
            received_at=when + dt.timedelta(minutes=self.rng.randint(5, 90)),
        )
        if case.photo is not None:
            if case.photo_reencoded and case.source is not None:
                data = _reencoded(self.photos[case.source])
            else:
                taken = when + dt.timedelta(minutes=self.rng.randint(1, 30))
                data = photo_bytes(case.photo, taken_at=taken, position=(lat, lng), size=(320, 240))
            self.photos[case.index] = data
            services.photo_add(
                report=report,
                officer=officer,
                photo_uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                data=data,
            )
        self.fixes[case.index] = (lat, lng)
        self.last[case.officer] = case if when == case.occurred_at else _moved(case, when)
        self.reports[case.index] = report
        return report


def _moved(case: Case, when: dt.datetime) -> Case:
    return Case(**{**case.__dict__, "occurred_at": when})


def evaluate(
    *,
    seed: int = 1,
    placement: str = "polsek",
    size: str = "small",
    progress: StepProgress | None = None,
) -> Evaluation:
    """Send a labelled set and score the levels Sambang gives its reports."""
    if placement not in PLACEMENTS:
        raise ValueError(f"placement: one of {', '.join(PLACEMENTS)}")
    chosen = SIZES[size]
    rng = random.Random(seed)
    evaluation = Evaluation(placement=placement, seed=seed)
    in_memory = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with override_settings(STORAGES=in_memory), transaction.atomic():
        officers, units = _world(chosen, placement, rng)
        per_unit: dict[int, list[list[str]]] = defaultdict(list)
        for officer, unit in zip(officers, units, strict=True):
            names = [
                a.village.name.title()
                for a in officer.assignments.select_related("village").order_by("id")
            ]
            per_unit[unit].append(names)
        today = dt.datetime.now(ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
        cases = labelled_set(
            seed=seed,
            units=[per_unit[u] for u in sorted(per_unit)],
            start=today - dt.timedelta(days=chosen.days + 1),
            days=chosen.days,
        )
        sender = _Sender(officers, cases, rng)
        for done, case in enumerate(cases.cases, start=1):
            sender.send(case)
            if done % processing.BATCH == 0:
                processing.process_pending()  # the worker keeps up with the officers
            if progress:
                progress(f"officers in the {placement}", done, len(cases.cases))
        processing.process_pending()
        for case in cases.cases:
            report = ActivityReport.objects.get(pk=sender.reports[case.index].pk)
            failing = [s["code"] for s in report.integrity_signals if s["status"] == "fail"]
            evaluation.scored.append(Scored(case, report.integrity_level, failing))
        transaction.set_rollback(True)
    return evaluation
