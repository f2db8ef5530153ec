"""Integrity signals of an activity report: is there evidence that it really happened?

Each signal is computed from the report, its photos, the officer's other reports and
the village, and says ``pass``, ``warn`` or ``fail`` with the figures behind it. The
level follows: any failure makes a report *doubtful*; a report with no warning, or
confirmed by the resident it visited, is *verified*; the rest is *plausible*.

Near-copies are found through an index, not by scanning: narratives are MinHashed
and their LSH bands stored (``ReportTextBand``); photos carry a perceptual hash split
into four indexed quarters (two hashes within 3 bits share a quarter).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash
from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from shapely import Point
from shapely.geometry import shape
from wordfreq import zipf_frequency

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


def text_bands(text: str) -> list[int]:
    """The LSH band keys of a narrative (empty for texts too short to compare)."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return []  # too short to tell a copy from a coincidence
    minhash = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)
    minhash.update_batch([g.encode() for g in grams])
    rows = MINHASH_PERMUTATIONS // LSH_BANDS
    keys = []
    for band in range(LSH_BANDS):
        values = minhash.hashvalues[band * rows : (band + 1) * rows]
        digest = hashlib.blake2b(bytes([band]) + values.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def jaccard(a: set[str], b: set[str]) -> float:
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


# --- the signals -------------------------------------------------------------------


def _gps(report: ActivityReport) -> Signal:
    if report.latitude is None or report.longitude is None:
        return Signal("gps", WARN, {"missing": True})
    village = report.village
    if village.boundary:
        outline = shape(village.boundary)
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


def _travel(report: ActivityReport) -> Signal | None:
    """Could the officer have got here from their report before, and on to the next?"""
    if report.latitude is None or report.longitude is None:
        return None
    others = ActivityReport.objects.filter(
        officer_id=report.officer_id, latitude__isnull=False
    ).exclude(pk=report.pk)
    before = others.filter(occurred_at__lte=report.occurred_at).order_by("-occurred_at").first()
    after = others.filter(occurred_at__gt=report.occurred_at).order_by("occurred_at").first()
    worst: dict[str, Any] | None = None
    for other in (before, after):
        if other is None:
            continue
        assert other.latitude is not None and other.longitude is not None
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


def _photos(report: ActivityReport, photos: list[ReportPhoto]) -> list[Signal]:
    signals = []
    if not photos:
        if ReportField.PHOTO in report.activity_type.required_fields:
            signals.append(Signal("photo", WARN, {"missing": True}))
        return signals
    reused = 0
    for photo in photos:
        quarters = phash_quarters(photo.phash)
        match = Q()
        for i, value in enumerate(quarters):
            match |= Q(**{f"phash_q{i}": value})
        candidates = ReportPhoto.objects.filter(match).exclude(report_id=report.pk)
        if any(
            hamming(photo.phash, c) <= PHOTO_MAX_HAMMING
            for c in candidates.values_list("phash", flat=True)[:200]
        ):
            reused += 1
    signals.append(
        Signal("photo_reuse", FAIL if reused else PASS, {"reused": reused, "photos": len(photos)})
    )
    return signals


def _text(report: ActivityReport, bands: list[int]) -> list[Signal]:
    count, share = known_word_share(report.narrative)
    if count >= 3 and share < GIBBERISH_KNOWN_SHARE:
        language = Signal("language", FAIL, {"known": round(share * 100)})
    elif count < SHORT_NARRATIVE_WORDS:
        language = Signal("language", WARN, {"words": count})
    else:
        language = Signal("language", PASS, {"known": round(share * 100)})
    best = 0.0
    if bands:
        # The reports sharing the most bands first: a copy shares nearly all of them.
        others = (
            ReportTextBand.objects.filter(unit_id=report.unit_id, band__in=bands)
            .exclude(report_id=report.pk)
            .values("report_id")
            .annotate(shared=Count("id"))
            .order_by("-shared")
            .values_list("report_id", flat=True)[:TEXT_CANDIDATES]
        )
        mine = shingles(report.narrative)
        for text in ActivityReport.objects.filter(pk__in=list(others)).values_list(
            "narrative", flat=True
        ):
            best = max(best, jaccard(mine, shingles(text)))
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


def assess(report: ActivityReport, bands: list[int]) -> tuple[str, list[Signal]]:
    """The integrity level of a report and the signals that decide it."""
    photos = list(report.photos.all())
    signals = [
        s
        for s in [
            _gps(report),
            _accuracy(report),
            *_timing(report, photos),
            _travel(report),
            *_photos(report, photos),
            *_text(report, bands),
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
