"""Integrity signals of an activity report: is there evidence that it really happened?

Each signal is computed from the report, its photos, the officer's other reports and
the village, and says ``pass``, ``warn`` or ``fail`` with the figures behind it. The
level follows: any failure makes a report *doubtful*; a report with no warning, or
confirmed by the resident it visited, is *verified*; the rest is *plausible*.

Near-copies are found through an index, not by scanning: narratives are MinHashed
and their LSH bands stored (``ReportTextBand``); photos carry a perceptual hash split
into four indexed quarters (two hashes within 3 bits share a quarter).

The signals read what surrounds a report (its photos, the officer's reports before and
after it, photos and narratives like its own) through one interface with two sources:
queries for one report (``refresh``), or rows loaded once for many (``refresh_many``).
Both give the same answer: a report assessed in a batch is assessed as ``refresh`` would,
with every report of the batch already stored.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Protocol

from datasketch import MinHash
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from shapely import Point
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from wordfreq import zipf_frequency

from sambang.core.bulk import BulkTable, update_rows
from sambang.territory.models import Region
from sambang.territory.selectors import haversine_m

from .models import (
    ActivityReport,
    IntegrityLevel,
    ReportField,
    ReportPhoto,
    ReportTextBand,
)

# Thresholds; each is a judgement, written down here so that it can be argued with.
CENTROID_PASS_M = 3_000  # a village is ~23 km² on average: ~2.7 km radius
CENTROID_WARN_M = 6_000
BOUNDARY_WARN_M = 500  # just outside the outline: GPS drift, a road on the border
ACCURACY_PASS_M = 100
LATE_AFTER = dt.timedelta(hours=48)
PHOTO_TIME_TOLERANCE = dt.timedelta(hours=3)
PHOTO_DISTANCE_M = 1_000
MAX_SPEED_KMH = 120  # a motorcycle on village roads does not go faster
TRAVEL_MIN_DISTANCE_M = 2_000
PHOTO_MAX_HAMMING = 6
# Word pairs shared: one word changed in twenty leaves ~0.8; formulaic but separately
# written reports stay below ~0.5.
TEXT_COPY_SIMILARITY = 0.7
GIBBERISH_KNOWN_SHARE = 0.5
SHORT_NARRATIVE_WORDS = 6

MINHASH_PERMUTATIONS = 48
# 16 bands × 3 rows: a pair at 0.6 Jaccard shares a band with probability 0.98.
LSH_BANDS = 16
SHINGLE = 2
MIN_SHINGLES = 4
TEXT_CANDIDATES = 20

PASS, WARN, FAIL = "pass", "warn", "fail"


@dataclass(frozen=True)
class Signal:
    code: str
    status: str
    params: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "status": self.status, "params": self.params}


# --- text --------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> set[str]:
    tokens = words(text)
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


@cache
def _first_minhash() -> MinHash:
    """A MinHash whose permutations (seed 1) every other one reuses: drawn once, not per text."""
    return MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)


@lru_cache(maxsize=8192)
def _shingle_set(text: str) -> frozenset[str]:
    """``shingles``, kept for the texts compared again and again (a batch's candidates)."""
    return frozenset(shingles(text))


def text_bands(text: str) -> list[int]:
    """The LSH band keys of a narrative (empty for texts too short to compare)."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return []  # too short to tell a copy from a coincidence
    first = _first_minhash()
    minhash = MinHash(
        num_perm=MINHASH_PERMUTATIONS,
        seed=1,
        permutations=first.permutations,
        scheme=first.scheme,
    )
    minhash.update_batch([g.encode() for g in grams])
    rows = MINHASH_PERMUTATIONS // LSH_BANDS
    keys = []
    for band in range(LSH_BANDS):
        values = minhash.hashvalues[band * rows : (band + 1) * rows]
        digest = hashlib.blake2b(bytes([band]) + values.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def known_word_share(text: str) -> tuple[int, float]:
    """How many words the text has, and the share found in Indonesian or English usage."""
    tokens = words(text)
    if not tokens:
        return 0, 0.0
    known = sum(
        1 for w in tokens if zipf_frequency(w, "id") >= 1.5 or zipf_frequency(w, "en") >= 2.5
    )
    return len(tokens), known / len(tokens)


# --- photos ------------------------------------------------------------------------


def phash_quarters(phash: int) -> tuple[int, int, int, int]:
    unsigned = phash & 0xFFFF_FFFF_FFFF_FFFF
    return (
        unsigned & 0xFFFF,
        (unsigned >> 16) & 0xFFFF,
        (unsigned >> 32) & 0xFFFF,
        (unsigned >> 48) & 0xFFFF,
    )


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


# --- what surrounds a report ------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where and when another report of the officer was made."""

    occurred_at: dt.datetime
    latitude: float
    longitude: float


class Surroundings(Protocol):
    """What the signals read besides the report itself."""

    def outline(self, village: Region) -> BaseGeometry: ...

    def photos(self, report: ActivityReport) -> list[ReportPhoto]: ...

    def neighbours(self, report: ActivityReport) -> list[Place]:
        """The officer's placed reports just before and just after this one."""
        ...

    def hashes_like(self, photo: ReportPhoto, report: ActivityReport) -> Iterable[int]:
        """Perceptual hashes of other reports' photos sharing a quarter with ``photo``."""
        ...

    def narratives_like(self, report: ActivityReport, bands: list[int]) -> Iterable[str]:
        """Narratives of the unit's other reports sharing the most bands with ``bands``."""
        ...


class _Queried:
    """One report's surroundings, each read with a query."""

    def outline(self, village: Region) -> BaseGeometry:
        return shape(village.boundary)

    def photos(self, report: ActivityReport) -> list[ReportPhoto]:
        return list(report.photos.all())

    def neighbours(self, report: ActivityReport) -> list[Place]:
        others = ActivityReport.objects.filter(
            officer_id=report.officer_id, latitude__isnull=False
        ).exclude(pk=report.pk)
        before = others.filter(occurred_at__lte=report.occurred_at).order_by("-occurred_at")
        after = others.filter(occurred_at__gt=report.occurred_at).order_by("occurred_at")
        return [
            Place(when, lat, lng)
            for query in (before, after)
            for when, lat, lng in query.values_list("occurred_at", "latitude", "longitude")[:1]
            if lat is not None and lng is not None
        ]

    def hashes_like(self, photo: ReportPhoto, report: ActivityReport) -> Iterable[int]:
        match = Q()
        for i, value in enumerate(phash_quarters(photo.phash)):
            match |= Q(**{f"phash_q{i}": value})
        candidates = ReportPhoto.objects.filter(match).exclude(report_id=report.pk)
        return candidates.values_list("phash", flat=True)[:200]

    def narratives_like(self, report: ActivityReport, bands: list[int]) -> Iterable[str]:
        # The reports sharing the most bands first: a copy shares nearly all of them.
        others = (
            ReportTextBand.objects.filter(unit_id=report.unit_id, band__in=bands)
            .exclude(report_id=report.pk)
            .values("report_id")
            .annotate(shared=Count("id"))
            .order_by("-shared")
            .values_list("report_id", flat=True)[:TEXT_CANDIDATES]
        )
        return ActivityReport.objects.filter(pk__in=list(others)).values_list(
            "narrative", flat=True
        )


_CHUNK = 2_000  # values per IN (...) list: well under SQLite's limit on parameters


def _chunks[T](values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class _Loaded:
    """The surroundings of many reports, loaded in a few queries: every placed report of
    their officers, the photos that share a hash quarter with theirs, and the narratives
    that share a band with theirs (the batch's own bands, new, and other reports' stored)."""

    def __init__(self, reports: Sequence[ActivityReport], bands: dict[int, list[int]]) -> None:
        ids = [r.pk for r in reports]
        self._outlines: dict[str, BaseGeometry] = {}
        self._photos: dict[int, list[ReportPhoto]] = defaultdict(list)
        for chunk in _chunks(ids):
            for photo in ReportPhoto.objects.filter(report_id__in=chunk).order_by("id"):
                self._photos[photo.report_id].append(photo)

        self._tracks: dict[int, list[tuple[dt.datetime, int, float, float]]] = defaultdict(list)
        officers = sorted({r.officer_id for r in reports})
        for chunk in _chunks(officers):
            placed = ActivityReport.objects.filter(officer_id__in=chunk, latitude__isnull=False)
            for officer_id, occurred_at, pk, lat, lng in placed.order_by(
                "officer_id", "occurred_at", "id"
            ).values_list("officer_id", "occurred_at", "id", "latitude", "longitude"):
                if lat is not None and lng is not None:
                    self._tracks[officer_id].append((occurred_at, pk, lat, lng))
        self._times = {officer: [t[0] for t in track] for officer, track in self._tracks.items()}

        # Photos by (quarter number, value); each (report, hash) once.
        self._hashes: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        wanted = [
            {phash_quarters(p.phash)[i] for photos in self._photos.values() for p in photos}
            for i in range(4)
        ]
        seen: set[int] = set()
        for i, values in enumerate(wanted):
            for chunk in _chunks(sorted(values)):
                rows = ReportPhoto.objects.filter(**{f"phash_q{i}__in": chunk}).values_list(
                    "id", "report_id", "phash"
                )
                for pk, report_id, phash in rows:
                    if pk in seen:
                        continue
                    seen.add(pk)
                    for q, value in enumerate(phash_quarters(phash)):
                        self._hashes[q, value].append((report_id, phash))

        # Text bands by (unit, band): the batch's new ones, then other reports' stored ones.
        self._bands: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._narratives: dict[int, str] = {}
        for report in reports:
            self._narratives[report.pk] = report.narrative
            for band in bands[report.pk]:
                self._bands[report.unit_id, band].append(report.pk)
        batch = set(ids)
        units = sorted({r.unit_id for r in reports if bands[r.pk]})
        all_bands = sorted({b for r in reports for b in bands[r.pk]})
        for chunk in _chunks(all_bands):
            stored = ReportTextBand.objects.filter(unit_id__in=units, band__in=chunk)
            for unit_id, band, report_id in stored.values_list("unit_id", "band", "report_id"):
                if report_id not in batch:
                    self._bands[unit_id, band].append(report_id)

    def outline(self, village: Region) -> BaseGeometry:
        if village.code not in self._outlines:
            self._outlines[village.code] = shape(village.boundary)
        return self._outlines[village.code]

    def photos(self, report: ActivityReport) -> list[ReportPhoto]:
        return self._photos.get(report.pk, [])

    def neighbours(self, report: ActivityReport) -> list[Place]:
        track = self._tracks.get(report.officer_id, [])
        end = bisect.bisect_right(self._times.get(report.officer_id, []), report.occurred_at)
        places = []
        before = next((t for t in reversed(track[:end]) if t[1] != report.pk), None)
        after = next((t for t in track[end:] if t[1] != report.pk), None)
        for found in (before, after):
            if found is not None:
                places.append(Place(found[0], found[2], found[3]))
        return places

    def hashes_like(self, photo: ReportPhoto, report: ActivityReport) -> Iterable[int]:
        return {
            phash
            for i, value in enumerate(phash_quarters(photo.phash))
            for report_id, phash in self._hashes.get((i, value), [])
            if report_id != report.pk
        }

    def narratives_like(self, report: ActivityReport, bands: list[int]) -> Iterable[str]:
        shared: Counter[int] = Counter()
        for band in bands:
            shared.update(self._bands.get((report.unit_id, band), []))
        del shared[report.pk]
        best = [pk for pk, _count in shared.most_common(TEXT_CANDIDATES)]
        missing = [pk for pk in best if pk not in self._narratives]
        if missing:
            self._narratives.update(
                ActivityReport.objects.filter(pk__in=missing).values_list("id", "narrative")
            )
        return [self._narratives[pk] for pk in best]


# --- the signals -------------------------------------------------------------------


def _gps(report: ActivityReport, around: Surroundings) -> Signal:
    if report.latitude is None or report.longitude is None:
        return Signal("gps", WARN, {"missing": True})
    village = report.village
    if village.boundary:
        outline = around.outline(village)
        point = Point(report.longitude, report.latitude)
        if outline.covers(point):
            return Signal("gps", PASS, {"inside": True})
        # Degrees to metres near the point: good enough to tell 100 m from 10 km.
        nearest = outline.exterior if hasattr(outline, "exterior") else outline.boundary
        projected = nearest.interpolate(nearest.project(point))
        distance = haversine_m(report.latitude, report.longitude, projected.y, projected.x)
        status = WARN if distance <= BOUNDARY_WARN_M else FAIL
        return Signal("gps", status, {"outside_m": round(distance)})
    if village.centroid_lat is None or village.centroid_lng is None:
        return Signal("gps", WARN, {"unknown_place": True})
    distance = haversine_m(
        report.latitude, report.longitude, village.centroid_lat, village.centroid_lng
    )
    status = PASS if distance <= CENTROID_PASS_M else WARN if distance <= CENTROID_WARN_M else FAIL
    return Signal("gps", status, {"centroid_m": round(distance)})


def _accuracy(report: ActivityReport) -> Signal | None:
    if report.accuracy_m is None or report.latitude is None:
        return None
    status = PASS if report.accuracy_m <= ACCURACY_PASS_M else WARN
    return Signal("accuracy", status, {"accuracy_m": round(report.accuracy_m)})


def _timing(report: ActivityReport, photos: list[ReportPhoto]) -> list[Signal]:
    signals = []
    if report.submitted_at is not None:
        delay = report.submitted_at - report.occurred_at
        signals.append(
            Signal(
                "sent",
                PASS if delay <= LATE_AFTER else WARN,
                {"hours": int(delay / dt.timedelta(hours=1))},
            )
        )
    timed = [p for p in photos if p.taken_at is not None]
    if photos and not timed:
        signals.append(Signal("photo_time", WARN, {"missing": True}))
    elif timed:
        worst = max(abs(p.taken_at - report.occurred_at) for p in timed if p.taken_at)
        status = PASS if worst <= PHOTO_TIME_TOLERANCE else FAIL
        signals.append(
            Signal("photo_time", status, {"hours": round(worst / dt.timedelta(hours=1), 1)})
        )
    placed = [
        (p.latitude, p.longitude)
        for p in photos
        if p.latitude is not None and p.longitude is not None
    ]
    if placed and report.latitude is not None and report.longitude is not None:
        far = max(haversine_m(report.latitude, report.longitude, lat, lng) for lat, lng in placed)
        status = PASS if far <= PHOTO_DISTANCE_M else FAIL
        signals.append(Signal("photo_place", status, {"distance_m": round(far)}))
    return signals


def _travel(report: ActivityReport, around: Surroundings) -> Signal | None:
    """Could the officer have got here from their report before, and on to the next?"""
    if report.latitude is None or report.longitude is None:
        return None
    worst: dict[str, Any] | None = None
    for other in around.neighbours(report):
        distance = haversine_m(report.latitude, report.longitude, other.latitude, other.longitude)
        hours = max(abs((report.occurred_at - other.occurred_at).total_seconds()), 60) / 3600
        speed = distance / 1000 / hours
        if worst is None or speed > worst["kmh"]:
            worst = {
                "kmh": round(speed),
                "km": round(distance / 1000, 1),
                "minutes": round(hours * 60),
            }
    if worst is None:
        return None
    impossible = worst["km"] * 1000 >= TRAVEL_MIN_DISTANCE_M and worst["kmh"] > MAX_SPEED_KMH
    return Signal("travel", FAIL if impossible else PASS, worst)


def _photos(
    report: ActivityReport, photos: list[ReportPhoto], around: Surroundings
) -> list[Signal]:
    signals = []
    if not photos:
        if ReportField.PHOTO in report.activity_type.required_fields:
            signals.append(Signal("photo", WARN, {"missing": True}))
        return signals
    reused = 0
    for photo in photos:
        if any(
            hamming(photo.phash, other) <= PHOTO_MAX_HAMMING
            for other in around.hashes_like(photo, report)
        ):
            reused += 1
    signals.append(
        Signal("photo_reuse", FAIL if reused else PASS, {"reused": reused, "photos": len(photos)})
    )
    return signals


def _text(report: ActivityReport, bands: list[int], around: Surroundings) -> list[Signal]:
    count, share = known_word_share(report.narrative)
    if count >= 3 and share < GIBBERISH_KNOWN_SHARE:
        language = Signal("language", FAIL, {"known": round(share * 100)})
    elif count < SHORT_NARRATIVE_WORDS:
        language = Signal("language", WARN, {"words": count})
    else:
        language = Signal("language", PASS, {"known": round(share * 100)})
    best = 0.0
    if bands:
        mine = _shingle_set(report.narrative)
        for text in around.narratives_like(report, bands):
            best = max(best, jaccard(mine, _shingle_set(text)))
    copy = Signal(
        "text_copy",
        FAIL if best >= TEXT_COPY_SIMILARITY else PASS,
        {"similarity": round(best * 100)},
    )
    return [language, copy]


def _confirmation(report: ActivityReport) -> Signal | None:
    visit = getattr(report, "household", None)
    confirmation = getattr(visit, "confirmation", None) if visit is not None else None
    if confirmation is None:
        return None
    return Signal("confirmed", PASS, {"rating": confirmation.rating})


def assess(
    report: ActivityReport, bands: list[int], around: Surroundings | None = None
) -> tuple[str, list[Signal]]:
    """The integrity level of a report and the signals that decide it."""
    around = around or _Queried()
    photos = around.photos(report)
    signals = [
        s
        for s in [
            _gps(report, around),
            _accuracy(report),
            *_timing(report, photos),
            _travel(report, around),
            *_photos(report, photos, around),
            *_text(report, bands, around),
            _confirmation(report),
        ]
        if s is not None
    ]
    statuses = {s.status for s in signals}
    if FAIL in statuses:
        level = IntegrityLevel.DOUBTFUL
    elif WARN not in statuses or any(s.code == "confirmed" for s in signals):
        level = IntegrityLevel.VERIFIED
    else:
        level = IntegrityLevel.PLAUSIBLE
    return level, signals


def refresh(report: ActivityReport) -> ActivityReport:
    """Recompute and store a report's integrity, and its narrative's index bands."""
    bands = text_bands(report.narrative)
    level, signals = assess(report, bands)
    ReportTextBand.objects.filter(report=report).delete()
    ReportTextBand.objects.bulk_create(
        ReportTextBand(report=report, unit_id=report.unit_id, band=b) for b in bands
    )
    report.integrity_level = level
    report.integrity_signals = [s.as_dict() for s in signals]
    report.save(update_fields=["integrity_level", "integrity_signals", "updated_at"])
    return report


def refresh_many(report_ids: Sequence[int]) -> int:
    """Recompute and store the integrity and text bands of many reports at once (generated
    history, a recomputation): what ``refresh`` would store for each of them, read in a few
    queries and written in bulk. Rows are updated without model signals: the caller brings
    the rollups up to date (the demo rebuilds them). Returns how many reports were assessed."""
    reports: list[ActivityReport] = []
    for chunk in _chunks(sorted(set(report_ids))):
        reports += ActivityReport.objects.filter(pk__in=chunk).select_related(
            "activity_type", "household__confirmation"
        )
    # Each village (and its outline) read once, not once per report.
    villages = Region.objects.in_bulk({report.village_id for report in reports})
    for report in reports:
        report.village = villages[report.village_id]
    bands = {report.pk: text_bands(report.narrative) for report in reports}
    around = _Loaded(reports, bands)
    now = timezone.now()
    for report in reports:
        level, signals = assess(report, bands[report.pk], around)
        report.integrity_level = level
        report.integrity_signals = [s.as_dict() for s in signals]
        report.updated_at = now
    for chunk in _chunks([r.pk for r in reports]):
        ReportTextBand.objects.filter(report_id__in=chunk).delete()
    BulkTable(ReportTextBand, ["report_id", "unit_id", "band"]).write(
        (report.pk, report.unit_id, band) for report in reports for band in bands[report.pk]
    )
    update_rows(
        ActivityReport,
        ["integrity_level", "integrity_signals", "updated_at"],
        ((r.pk, r.integrity_level, r.integrity_signals, now) for r in reports),
    )
    return len(reports)


# --- what the signals say to people ---------------------------------------------------


def describe(signal: dict[str, Any]) -> str:
    """A signal as a sentence, in the active language."""
    code, status, p = signal["code"], signal["status"], signal.get("params", {})
    text: str | Promise
    match code, status:
        case "gps", _ if p.get("missing"):
            text = _("No GPS fix with the report.")
        case "gps", _ if p.get("unknown_place"):
            text = _("The village has no known location to check the fix against.")
        case "gps", _ if p.get("inside"):
            text = _("The GPS fix lies inside the village boundary.")
        case "gps", _ if "outside_m" in p:
            text = _("The GPS fix lies %(m)s m outside the village boundary.") % {
                "m": p["outside_m"]
            }
        case "gps", _:
            text = _("The GPS fix is %(m)s m from the village centre.") % {"m": p["centroid_m"]}
        case "accuracy", _:
            text = _("GPS accuracy %(m)s m.") % {"m": p["accuracy_m"]}
        case "sent", "pass":
            text = _("Sent within two days of the activity.")
        case "sent", _:
            text = ngettext(
                "Sent %(n)s hour after the activity.",
                "Sent %(n)s hours after the activity.",
                p["hours"],
            ) % {"n": p["hours"]}
        case "photo_time", _ if p.get("missing"):
            text = _("The photos carry no capture time.")
        case "photo_time", _:
            text = _("Photo taken %(h)s h from the time of the activity.") % {"h": p["hours"]}
        case "photo_place", _:
            text = _("Photo taken %(m)s m from the reported position.") % {"m": p["distance_m"]}
        case "travel", "fail":
            text = _(
                "Impossible travel: %(km)s km in %(min)s minutes (%(kmh)s km/h) "
                "from another report."
            ) % {"km": p["km"], "min": p["minutes"], "kmh": p["kmh"]}
        case "travel", _:
            text = _("Travel from the neighbouring reports is possible (%(kmh)s km/h at most).") % {
                "kmh": p["kmh"]
            }
        case "photo", _:
            text = _("No photo yet; this activity needs one.")
        case "photo_reuse", "fail":
            text = _("%(n)s of %(total)s photos were already used in another report.") % {
                "n": p["reused"],
                "total": p["photos"],
            }
        case "photo_reuse", _:
            text = _("The photos are not found in any other report.")
        case "language", "fail":
            text = _("The text looks random: only %(share)s%% are known words.") % {
                "share": p["known"]
            }
        case "language", "warn":
            text = _("Very short text (%(n)s words).") % {"n": p["words"]}
        case "language", _:
            text = _("The text reads as language (%(share)s%% known words).") % {
                "share": p["known"]
            }
        case "text_copy", "fail":
            text = _("The text is a copy of another report (%(s)s%% the same).") % {
                "s": p["similarity"]
            }
        case "text_copy", _:
            text = _("The text is not copied from another report.")
        case "confirmed", _:
            text = _("The resident confirmed the visit and rated it %(r)s of 5.") % {
                "r": p["rating"]
            }
        case _:
            text = code
    return str(text)
