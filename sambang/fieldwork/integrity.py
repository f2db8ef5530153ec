"""Integrity signals of an activity report: is there evidence that it really happened?

Each signal is computed from the report, its photos, the officer's other reports and
the village, and says ``pass``, ``warn`` or ``fail`` with the figures behind it. The
level follows: any failure makes a report *doubtful*; a report with no warning, or
confirmed by the resident it visited, is *verified*; the rest is *plausible*. A signal a
supervisor has explained (``SignalNote``) no longer counts towards the level.

Copied text is judged by what carries information. Every word of a narrative counts,
numbers and names included, weighted by how rare it is among the reports of the Polda in
the last months (inverse document frequency, counted incrementally in ``WordCount``): the
formula every officer writes weighs little, the school, the speaker, the head count and
the household weigh a lot. A report is a copy of an earlier one when the two share
nearly all of their weight, or when it holds nearly all of the earlier one's (pasted with
something added). Earlier reports to compare with are found through the rare words they
share (``ReportWord``) and among the officer's own latest reports. Photos carry a
perceptual hash split into four indexed quarters (two hashes within 3 bits share one).

The signals read what surrounds a report (its photos, the officer's reports before and
after it, photos and narratives like its own, how common its words are) through one
interface with two sources: queries for one report (``refresh``), or rows loaded once for
many (``refresh_many``). Both give the same answer: a report assessed in a batch is
assessed as ``refresh`` would, with every report of the batch already stored.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from shapely import Point
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from wordfreq import zipf_frequency

from sambang.core.bulk import BulkTable, add_counts, update_rows
from sambang.organization.models import Unit
from sambang.territory.models import Region
from sambang.territory.selectors import haversine_m

from .models import (
    ActivityReport,
    CopiedText,
    IntegrityLevel,
    OfficerDevice,
    PartnerConfirmation,
    PhotoState,
    ReportField,
    ReportPhoto,
    ReportWord,
    SignalNote,
    VisitConfirmation,
    WordCount,
)
from .photos import phash_quarters

# Thresholds; each is a judgement, written down here so that it can be argued with.
CENTROID_PASS_M = 3_000  # a village is ~23 km² on average: ~2.7 km radius
CENTROID_WARN_M = 6_000
BOUNDARY_WARN_M = 500  # just outside the outline: GPS drift, a road on the border
ACCURACY_PASS_M = 100
LATE_AFTER = dt.timedelta(hours=48)
NIGHT = (dt.time(22), dt.time(5))  # local time; a type's ``night_work`` says it is done then
PHOTO_TIME_TOLERANCE = dt.timedelta(hours=3)
PHOTO_DISTANCE_M = 1_000
MAX_SPEED_KMH = 120  # a motorcycle on village roads does not go faster
TRAVEL_MIN_DISTANCE_M = 2_000
PHOTO_MAX_HAMMING = 6
GIBBERISH_KNOWN_SHARE = 0.5
SHORT_NARRATIVE_WORDS = 6

# Copied text. Weights are counted over the Polda's reports of the last six months, as if
# at least PRIOR_REPORTS were there (a new deployment's handful of reports would make every
# word look rare). A copy shares 80% of the weight of the two texts, or holds 95% of the
# earlier one's; routine reports written from one formula share the formula, which weighs
# little, and differ in their specifics, which weigh a lot. Calibrated on the labelled set
# (``sambang integrity evaluate``): see BENCHMARKS.md.
TEXT_WINDOW_MONTHS = 6
PRIOR_REPORTS = 100
COPY_SHARED = 0.8
COPY_CONTAINED = 0.95
MIN_COMPARED_WORDS = 6  # distinct words: shorter texts cannot tell a copy from a coincidence
RARE_WORDS = 16  # the report's rarest words, looked up in the index
MAX_POSTINGS = 2_000  # a word in more reports than this finds nothing particular
TEXT_CANDIDATES = 20
OWN_RECENT = 30  # the officer's own latest reports, always compared…
OWN_AHEAD = dt.timedelta(days=45)  # …up to this after the report's date (a backdated copy)
ALL_REPORTS = 0  # the WordCount "word" that counts reports

PASS, WARN, FAIL = "pass", "warn", "fail"

# Each signal's name, for the pages that count them.
SIGNAL_NAMES = {
    "gps": _("GPS position"),
    "accuracy": _("GPS accuracy"),
    "sent": _("Sent in time"),
    "hour": _("Time of day"),
    "photo_time": _("Photo taken at the activity"),
    "photo_place": _("Photo taken at the place"),
    "travel": _("Travel between reports"),
    "photo": _("Photo"),
    "photo_reuse": _("Photo used before"),
    "language": _("Text reads as language"),
    "text_copy": _("Copied text"),
    "confirmed": _("Resident's confirmation"),
    "partner": _("Partner's confirmation"),
}
# A passing confirmation by someone who was there makes a report verified despite warnings.
CONFIRMING = ("confirmed", "partner")


@dataclass(frozen=True)
class PartnerAnswer:
    took_part: bool
    device: str  # hashed, as the officer's own devices and networks are
    network: str


@dataclass(frozen=True)
class Signal:
    code: str
    status: str
    params: dict[str, Any]
    explained: bool = False  # by a supervisor (``SignalNote``): it no longer counts

    def as_dict(self) -> dict[str, Any]:
        found = {"code": self.code, "status": self.status, "params": self.params}
        return {**found, "explained": True} if self.explained else found


# --- text --------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
SHORT_CODE = 4  # "R4", "2x", "SMPN2": letters and digits mixed, as people write them


def words(text: str) -> list[str]:
    """The words of a text: runs of letters and digits, lower-cased."""
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=65536)
def word_id(word: str) -> int:
    """A word as a signed 64-bit number (never ALL_REPORTS)."""
    value = int.from_bytes(
        hashlib.blake2b(word.encode(), digest_size=8).digest(), "big", signed=True
    )
    return value or 1


@lru_cache(maxsize=8192)
def text_words(text: str) -> frozenset[int]:
    """The distinct words of a narrative, numbers and names included, as ``word_id``s."""
    return frozenset(word_id(token) for token in words(text))


def text_month(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date().replace(day=1)


def _months_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def text_window(month: dt.date) -> tuple[dt.date, dt.date]:
    """The months whose reports tell how common a word is for a report of ``month``."""
    return _months_back(month, TEXT_WINDOW_MONTHS - 1), month


@dataclass
class Frequencies:
    """How many reports of a window there are, and how many hold each word."""

    reports: int
    counts: dict[int, int] = field(default_factory=dict)

    def weight(self, word: int) -> float:
        """Inverse document frequency: a word in every report weighs nothing."""
        total = max(self.reports, PRIOR_REPORTS)
        return math.log((total + 1) / (min(self.counts.get(word, 0), total) + 1))


def likeness(
    mine: frozenset[int], theirs: frozenset[int], weight: Mapping[int, float], mine_total: float
) -> tuple[float, float, float]:
    """The weight the two texts share, as a share of both together, of theirs and of mine
    (``weight``: of every word of both; ``mine_total``: of all of mine)."""
    shared = sum(weight[w] for w in mine & theirs)
    if not shared:
        return 0.0, 0.0, 0.0
    theirs_total = sum(weight[w] for w in theirs)
    return shared / (mine_total + theirs_total - shared), shared / theirs_total, shared / mine_total


def _known(word: str) -> bool:
    """A word of Indonesian or English usage, a number, or a short code."""
    if word.isdigit():
        return True
    if not word.isalpha():
        return len(word) <= SHORT_CODE
    return zipf_frequency(word, "id") >= 1.5 or zipf_frequency(word, "en") >= 2.5


def known_word_share(text: str) -> tuple[int, float]:
    """How many words the text has, and the share that are known (``_known``)."""
    tokens = words(text)
    if not tokens:
        return 0, 0.0
    return len(tokens), sum(map(_known, tokens)) / len(tokens)


# --- photos ------------------------------------------------------------------------


def ready_hash(photo: ReportPhoto) -> int:
    """The perceptual hash of a decoded photo (only those are assessed: ``PhotoState.READY``)."""
    if photo.phash is None:
        raise ValueError(f"photo {photo.pk} is not decoded yet")
    return photo.phash


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFF_FFFF_FFFF_FFFF).bit_count()


# --- what surrounds a report ------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where and when another report of the officer was made."""

    occurred_at: dt.datetime
    latitude: float
    longitude: float


def received(report: ActivityReport) -> tuple[dt.datetime, int]:
    """When Sambang got a report's text (sent, or saved as a draft), to order copies: a text
    can only be copied once it is there, and an activity's date is the officer's to set."""
    moment = report.submitted_at or report.created_at or timezone.now()
    return moment, report.pk or 0


@dataclass(frozen=True)
class Written:
    """Another report's text, to compare with."""

    pk: int
    uuid: str
    officer_id: int
    received: dt.datetime
    words: frozenset[int]

    def before(self, report: ActivityReport) -> bool:
        return (self.received, self.pk) < received(report)


class Surroundings(Protocol):
    """What the signals read besides the report itself."""

    def outline(self, village: Region) -> BaseGeometry: ...

    def photos(self, report: ActivityReport) -> list[ReportPhoto]: ...

    def neighbours(self, report: ActivityReport) -> list[Place]:
        """The officer's placed reports just before and just after this one, of those in
        Sambang before it (a lower id): an impossible journey is the later report's to
        answer for, whenever the two are assessed."""
        ...

    def hashes_like(self, photo: ReportPhoto, report: ActivityReport) -> Iterable[int]:
        """Perceptual hashes of other reports' photos sharing a quarter with ``photo`` and
        stored before it (a photo is "used before" in the earlier report, not in both)."""
        ...

    def scope(self, report: ActivityReport) -> int:
        """The unit whose reports the text is compared with and weighed against: the Polda."""
        ...

    def frequencies(self, scope: int, month: dt.date, words: Iterable[int]) -> Frequencies:
        """How common ``words`` are in the scope's window of months up to ``month``."""
        ...

    def texts_like(self, report: ActivityReport, scope: int, rare: list[int]) -> list[Written]:
        """The scope's reports holding most of the ``rare`` words, and the officer's own
        latest reports."""
        ...

    def known_to_officer(self, officer_id: int, device: str) -> bool:
        """Has the officer worked from this (hashed) device or network?"""
        ...

    def vouched_elsewhere(self, report: ActivityReport, device: str) -> int:
        """How many of the officer's visits to other households this device confirmed."""
        ...

    def explained(self, report: ActivityReport) -> set[str]:
        """The codes of the report's signals a supervisor has explained."""
        ...

    def partner_answers(self, report: ActivityReport) -> list[PartnerAnswer]:
        """What the partners the report names answered: took part or not, and from where."""
        ...

    def zone(self, report: ActivityReport) -> str:
        """The time zone of the report's unit (WIB, WITA or WIT), by its IANA name."""
        ...


def scope_path(path: str) -> str:
    """The path of the Polda a unit belongs to (the unit's own above the Polda level)."""
    parts = path.split("/")
    return "/".join(parts[:2]) + "/" if len(parts) > 2 else path


def _scopes(unit_ids: Iterable[int]) -> dict[int, int]:
    paths = dict(Unit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    wanted = {scope_path(path) for path in paths.values()}
    ids = dict(Unit.objects.filter(path__in=wanted).values_list("path", "pk"))
    return {pk: ids[scope_path(path)] for pk, path in paths.items()}


def _count_rows(
    scopes: Iterable[int], months: tuple[dt.date, dt.date], words: Iterable[int]
) -> Iterator[tuple[int, int, int]]:
    """(scope, word, reports) summed over the months, for the given words and word 0."""
    wanted = sorted({ALL_REPORTS, *words})
    for chunk in _chunks(wanted):
        yield from (
            WordCount.objects.filter(scope_id__in=set(scopes), month__range=months, word__in=chunk)
            .values("scope_id", "word")
            .annotate(n=Sum("reports"))
            .values_list("scope_id", "word", "n")
        )


def _written(
    rows: Iterable[tuple[int, Any, int, dt.datetime | None, dt.datetime, str]],
) -> list[Written]:
    return [
        Written(pk, str(uuid), officer_id, sent or created, text_words(narrative))
        for pk, uuid, officer_id, sent, created, narrative in rows
    ]


_TEXT_FIELDS = ("id", "uuid", "officer_id", "submitted_at", "created_at", "narrative")


class _Queried:
    """One report's surroundings, each read with a query."""

    def __init__(self, scopes: dict[int, int] | None = None) -> None:
        self._scopes = scopes or {}
        self._zones: dict[int, str] = {}

    def outline(self, village: Region) -> BaseGeometry:
        return shape(village.boundary)

    def photos(self, report: ActivityReport) -> list[ReportPhoto]:
        return list(report.photos.filter(state=PhotoState.READY))

    def neighbours(self, report: ActivityReport) -> list[Place]:
        others = ActivityReport.objects.filter(
            officer_id=report.officer_id, latitude__isnull=False, pk__lt=report.pk
        )
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
        for i, value in enumerate(phash_quarters(ready_hash(photo))):
            match |= Q(**{f"phash_q{i}": value})
        candidates = ReportPhoto.objects.filter(match, pk__lt=photo.pk).exclude(report_id=report.pk)
        return [h for h in candidates.values_list("phash", flat=True)[:200] if h is not None]

    def scope(self, report: ActivityReport) -> int:
        if report.unit_id not in self._scopes:
            self._scopes.update(_scopes([report.unit_id]))
        return self._scopes[report.unit_id]

    def frequencies(self, scope: int, month: dt.date, words: Iterable[int]) -> Frequencies:
        found = Frequencies(0)
        for _scope, word, n in _count_rows([scope], text_window(month), words):
            if word == ALL_REPORTS:
                found.reports = n
            else:
                found.counts[word] = n
        return found

    def texts_like(self, report: ActivityReport, scope: int, rare: list[int]) -> list[Written]:
        sharing = (
            ReportWord.objects.filter(scope_id=scope, word__in=rare)
            .exclude(report_id=report.pk)
            .values("report_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "-report_id")
            .values_list("report_id", flat=True)[:TEXT_CANDIDATES]
        )
        own = (
            ActivityReport.objects.filter(
                officer_id=report.officer_id, occurred_at__lte=report.occurred_at + OWN_AHEAD
            )
            .exclude(pk=report.pk)
            .order_by("-occurred_at", "-id")
            .values_list("id", flat=True)[:OWN_RECENT]
        )
        ids = {*sharing, *own}
        return _written(ActivityReport.objects.filter(pk__in=ids).values_list(*_TEXT_FIELDS))

    def known_to_officer(self, officer_id: int, device: str) -> bool:
        return OfficerDevice.objects.filter(officer_id=officer_id, device=device).exists()

    def explained(self, report: ActivityReport) -> set[str]:
        return set(SignalNote.objects.filter(report_id=report.pk).values_list("code", flat=True))

    def partner_answers(self, report: ActivityReport) -> list[PartnerAnswer]:
        return [
            PartnerAnswer(*row)
            for row in PartnerConfirmation.objects.filter(report_id=report.pk).values_list(
                "took_part", "device", "network"
            )
        ]

    def zone(self, report: ActivityReport) -> str:
        if ActivityReport.unit.is_cached(report):
            return report.unit.timezone
        if report.unit_id not in self._zones:
            self._zones[report.unit_id] = Unit.objects.values_list("timezone", flat=True).get(
                pk=report.unit_id
            )
        return self._zones[report.unit_id]

    def vouched_elsewhere(self, report: ActivityReport, device: str) -> int:
        return _elsewhere(
            report,
            VisitConfirmation.objects.filter(
                device=device, visit__report__officer_id=report.officer_id
            ).values_list("visit__report_id", "visit__rt", "visit__rw", "visit__house_number"),
        )


def _elsewhere(report: ActivityReport, vouched: Iterable[tuple[int, str, str, str]]) -> int:
    """Of the (report, RT, RW, house number) a device vouched for, how many are other
    households than this report's."""
    visit = report.household
    home = (visit.rt, visit.rw, visit.house_number)
    return sum(1 for pk, *address in vouched if pk != report.pk and tuple(address) != home)


_CHUNK = 2_000  # values per IN (...) list: well under SQLite's limit on parameters


def _chunks[T](values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class _Loaded:
    """The surroundings of many reports, loaded in a few queries: every report of their
    officers, the photos that share a hash quarter with theirs, the index entries of the
    words in their narratives and those words' counts."""

    def __init__(self, reports: Sequence[ActivityReport], scopes: dict[int, int]) -> None:
        ids = [r.pk for r in reports]
        self._outlines: dict[str, BaseGeometry] = {}
        self._scopes = scopes
        self._zones: dict[int, str] = dict(
            Unit.objects.filter(pk__in={r.unit_id for r in reports}).values_list("pk", "timezone")
        )
        self._photos: dict[int, list[ReportPhoto]] = defaultdict(list)
        for chunk in _chunks(ids):
            ready = ReportPhoto.objects.filter(report_id__in=chunk, state=PhotoState.READY)
            for photo in ready.order_by("id"):
                self._photos[photo.report_id].append(photo)

        # Every report of the officers: the placed ones are their track, the latest their own.
        self._tracks: dict[int, list[tuple[dt.datetime, int, float, float]]] = defaultdict(list)
        self._own: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
        officers = sorted({r.officer_id for r in reports})
        for chunk in _chunks(officers):
            rows = ActivityReport.objects.filter(officer_id__in=chunk).order_by(
                "officer_id", "occurred_at", "id"
            )
            for officer_id, occurred_at, pk, lat, lng in rows.values_list(
                "officer_id", "occurred_at", "id", "latitude", "longitude"
            ):
                self._own[officer_id].append((occurred_at, pk))
                if lat is not None and lng is not None:
                    self._tracks[officer_id].append((occurred_at, pk, lat, lng))
        self._times = {officer: [t[0] for t in track] for officer, track in self._tracks.items()}

        # Photos by (quarter number, value); each (photo, report, hash) once.
        self._hashes: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
        wanted = [
            {phash_quarters(ready_hash(p))[i] for photos in self._photos.values() for p in photos}
            for i in range(4)
        ]
        seen: set[int] = set()
        for i, values in enumerate(wanted):
            for chunk in _chunks(sorted(values)):
                hashes = ReportPhoto.objects.filter(**{f"phash_q{i}__in": chunk}).values_list(
                    "id", "report_id", "phash"
                )
                for pk, report_id, phash in hashes:
                    if pk in seen or phash is None:
                        continue
                    seen.add(pk)
                    for q, value in enumerate(phash_quarters(phash)):
                        self._hashes[q, value].append((pk, report_id, phash))

        # The index entries of the batch's words, and their counts per scope and month.
        batch_words = sorted({w for r in reports for w in text_words(r.narrative)})
        used_scopes = sorted({scopes[r.unit_id] for r in reports})
        self._postings: dict[tuple[int, int], list[int]] = defaultdict(list)
        for chunk in _chunks(batch_words):
            entries = ReportWord.objects.filter(scope_id__in=used_scopes, word__in=chunk)
            for scope, word, report_id in entries.values_list("scope_id", "word", "report_id"):
                self._postings[scope, word].append(report_id)
        self._counts: dict[tuple[int, dt.date, int], int] = {}
        self._window_counts: dict[tuple[int, dt.date, int], int] = {}
        self._loaded_words: set[int] = set()
        months = sorted({text_month(r.occurred_at) for r in reports})
        if months:
            self._months = (text_window(months[0])[0], months[-1])
            self._load_counts(used_scopes, [ALL_REPORTS, *batch_words])
        self._loaded_words.discard(ALL_REPORTS)
        self._notes: dict[int, set[str]] = defaultdict(set)
        for chunk in _chunks(ids):
            for report_id, code in SignalNote.objects.filter(report_id__in=chunk).values_list(
                "report_id", "code"
            ):
                self._notes[report_id].add(code)

        self._partners: dict[int, list[PartnerAnswer]] = defaultdict(list)
        for chunk in _chunks(ids):
            for report_id, took_part, device, network in PartnerConfirmation.objects.filter(
                report_id__in=chunk
            ).values_list("report_id", "took_part", "device", "network"):
                self._partners[report_id].append(PartnerAnswer(took_part, device, network))

        # Where the officers worked from, and what their residents' devices confirmed.
        self._known: set[tuple[int, str]] = set()
        self._vouched: dict[tuple[int, str], list[tuple[int, str, str, str]]] = defaultdict(list)
        for chunk in _chunks(officers):
            self._known.update(
                OfficerDevice.objects.filter(officer_id__in=chunk).values_list(
                    "officer_id", "device"
                )
            )
            confirmations = VisitConfirmation.objects.filter(
                visit__report__officer_id__in=chunk
            ).exclude(device="")
            for officer_id, device, *visit in confirmations.values_list(
                "visit__report__officer_id",
                "device",
                "visit__report_id",
                "visit__rt",
                "visit__rw",
                "visit__house_number",
            ):
                self._vouched[officer_id, device].append(tuple(visit))  # type: ignore[arg-type]
        self._texts: dict[int, Written] = {
            w.pk: w
            for w in _written(
                (r.pk, r.uuid, r.officer_id, r.submitted_at, r.created_at, r.narrative)
                for r in reports
            )
        }
        if months:
            self._prefetch_texts(reports, used_scopes)

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
        before = next((t for t in reversed(track[:end]) if t[1] < report.pk), None)
        after = next((t for t in track[end:] if t[1] < report.pk), None)
        for found in (before, after):
            if found is not None:
                places.append(Place(found[0], found[2], found[3]))
        return places

    def hashes_like(self, photo: ReportPhoto, report: ActivityReport) -> Iterable[int]:
        mine, first = report.pk, photo.pk
        return {
            phash
            for i, value in enumerate(phash_quarters(ready_hash(photo)))
            for pk, report_id, phash in self._hashes.get((i, value), [])
            if report_id != mine and pk < first
        }

    def scope(self, report: ActivityReport) -> int:
        return self._scopes[report.unit_id]

    def zone(self, report: ActivityReport) -> str:
        return self._zones[report.unit_id]

    def frequencies(self, scope: int, month: dt.date, words: Iterable[int]) -> Frequencies:
        words = set(words)
        missing = words - self._loaded_words
        if missing:  # words of reports outside the batch: read them as one report would
            extra = _Queried().frequencies(scope, month, missing)
        found = Frequencies(self._in_window(scope, month, ALL_REPORTS))
        for word in words - missing:
            if n := self._in_window(scope, month, word):
                found.counts[word] = n
        if missing:
            found.counts.update(extra.counts)
        return found

    def _in_window(self, scope: int, month: dt.date, word: int) -> int:
        """The reports holding ``word`` in the window of ``month`` (added up once: the
        batch's reports of a scope and month share most of their words)."""
        key = (scope, month, word)
        if key not in self._window_counts:
            low, high = text_window(month)
            months = []
            current = low
            while current <= high:
                months.append(current)
                current = _months_back(current, -1)
            self._window_counts[key] = sum(self._counts.get((scope, m, word), 0) for m in months)
        return self._window_counts[key]

    def texts_like(self, report: ActivityReport, scope: int, rare: list[int]) -> list[Written]:
        ids = self._candidates(report, scope, rare)
        self._load_texts(ids)
        return [self._texts[pk] for pk in ids]

    def _candidates(self, report: ActivityReport, scope: int, rare: list[int]) -> set[int]:
        """The reports sharing most of the rare words, and the officer's latest."""
        shared: Counter[int] = Counter()
        for word in rare:
            shared.update(self._postings.get((scope, word), []))
        del shared[report.pk]
        # Most words shared first, the latest report first among equals.
        best = heapq.nlargest(TEXT_CANDIDATES, shared.items(), key=itemgetter(1, 0))
        own = self._own.get(report.officer_id, [])
        end = bisect.bisect_right(own, (report.occurred_at + OWN_AHEAD, float("inf")))
        pk = report.pk
        latest = islice((other for _when, other in reversed(own[:end]) if other != pk), OWN_RECENT)
        return {other for other, _n in best} | set(latest)

    def _load_texts(self, ids: Iterable[int]) -> None:
        missing = sorted(pk for pk in ids if pk not in self._texts)
        for chunk in _chunks(missing):
            rows = ActivityReport.objects.filter(pk__in=chunk).values_list(*_TEXT_FIELDS)
            self._texts.update((w.pk, w) for w in _written(rows))

    def _load_counts(self, scopes: list[int], words: Iterable[int]) -> None:
        for chunk in _chunks(sorted(set(words))):
            counts = WordCount.objects.filter(
                scope_id__in=scopes, month__range=self._months, word__in=chunk
            )
            for scope, month, word, n in counts.values_list("scope_id", "month", "word", "reports"):
                self._counts[scope, month, word] = n
        self._loaded_words.update(words)

    def _prefetch_texts(self, reports: Sequence[ActivityReport], scopes: list[int]) -> None:
        """The texts the batch's narratives are compared with, and their words' counts: read
        for the whole batch at once (``text_match`` then finds them here)."""
        wanted: set[int] = set()
        for report in reports:
            if len(text_words(report.narrative)) >= MIN_COMPARED_WORDS:
                _weights, rare = rare_words(report, self)
                wanted |= self._candidates(report, self.scope(report), rare)
        self._load_texts(wanted)
        words = {w for pk in wanted for w in self._texts[pk].words} - self._loaded_words
        self._load_counts(scopes, words)

    def known_to_officer(self, officer_id: int, device: str) -> bool:
        return (officer_id, device) in self._known

    def explained(self, report: ActivityReport) -> set[str]:
        return self._notes.get(report.pk, set())

    def partner_answers(self, report: ActivityReport) -> list[PartnerAnswer]:
        return self._partners.get(report.pk, [])

    def vouched_elsewhere(self, report: ActivityReport, device: str) -> int:
        return _elsewhere(report, self._vouched.get((report.officer_id, device), []))


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


def _hour(report: ActivityReport, around: Surroundings) -> Signal | None:
    """Said only of work done at night: remarked on (a warning) unless its type is often done
    then, such as a patrol of the night watch."""
    local = report.occurred_at.astimezone(ZoneInfo(around.zone(report)))
    start, end = NIGHT
    if end <= local.time() < start:
        return None
    usual = report.activity_type.night_work
    params = {"time": local.strftime("%H:%M"), "zone": local.tzname() or "", "usual": usual}
    return Signal("hour", PASS if usual else WARN, params)


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
            hamming(ready_hash(photo), other) <= PHOTO_MAX_HAMMING
            for other in around.hashes_like(photo, report)
        ):
            reused += 1
    signals.append(
        Signal("photo_reuse", FAIL if reused else PASS, {"reused": reused, "photos": len(photos)})
    )
    return signals


def _language(report: ActivityReport) -> Signal:
    count, share = known_word_share(report.narrative)
    if count >= 3 and share < GIBBERISH_KNOWN_SHARE:
        return Signal("language", FAIL, {"known": round(share * 100)})
    if count < SHORT_NARRATIVE_WORDS:
        return Signal("language", WARN, {"words": count})
    return Signal("language", PASS, {"known": round(share * 100)})


@dataclass
class TextMatch:
    """What comparing a report's text with others found."""

    original: Written | None = None  # the report received earlier that it copies
    similarity: float = 0.0  # with the closest report received earlier
    copies: list[Written] = field(default_factory=list)  # reports received later copying it

    def signal(self, report: ActivityReport) -> Signal:
        params: dict[str, Any] = {"similarity": round(self.similarity * 100)}
        if self.original is None:
            return Signal("text_copy", PASS, params)
        params |= {
            "report": self.original.uuid,
            "same_officer": self.original.officer_id == report.officer_id,
        }
        return Signal("text_copy", FAIL, params)


def _copies(shared: float, contained: float) -> bool:
    """Does a text copy another, sharing ``shared`` of their weight and holding ``contained``
    of the other's?"""
    return shared >= COPY_SHARED or contained >= COPY_CONTAINED


def rare_words(report: ActivityReport, around: Surroundings) -> tuple[Frequencies, list[int]]:
    """The weights of the narrative's words, and the words that find the reports to compare
    it with: the rarest first, words only this report holds last."""
    mine = text_words(report.narrative)
    weights = around.frequencies(around.scope(report), text_month(report.occurred_at), mine)
    usable = [w for w in mine if weights.counts.get(w, 0) <= MAX_POSTINGS]
    rare = sorted(
        usable, key=lambda w: (weights.counts.get(w, 0) <= 1, weights.counts.get(w, 0), w)
    )
    return weights, rare[:RARE_WORDS]


def text_match(report: ActivityReport, around: Surroundings) -> TextMatch:
    """Compare the report's narrative with the earlier and later reports most like it."""
    match = TextMatch()
    mine = text_words(report.narrative)
    if len(mine) < MIN_COMPARED_WORDS:
        return match
    scope = around.scope(report)
    month = text_month(report.occurred_at)
    weights, rare = rare_words(report, around)
    others = [
        other
        for other in around.texts_like(report, scope, rare)
        if len(other.words) >= MIN_COMPARED_WORDS
    ]
    unknown = {w for other in others for w in other.words} - mine
    if unknown:
        weights.counts.update(around.frequencies(scope, month, unknown).counts)
    # Each word weighed once (the texts compared share most of their words).
    weight = {w: weights.weight(w) for w in mine | unknown}
    mine_total = sum(weight[w] for w in mine)
    best: tuple[float, int] | None = None
    for other in sorted(others, key=lambda o: o.pk):
        shared, theirs_held, mine_held = likeness(mine, other.words, weight, mine_total)
        if other.before(report):
            similarity = max(shared, theirs_held)
            if _copies(shared, theirs_held) and (best is None or (similarity, -other.pk) > best):
                match.original, best = other, (similarity, -other.pk)
            match.similarity = max(match.similarity, similarity)
        elif _copies(shared, mine_held):
            match.copies.append(other)
    return match


def _confirmation(report: ActivityReport, around: Surroundings) -> Signal | None:
    """The resident's answer: a confirmation counts only from a device and a network never
    seen with the officer, and one device confirming his visits to several households is a
    pattern; a resident saying nobody came is a strong sign the other way."""
    visit = getattr(report, "household", None)
    confirmation = getattr(visit, "confirmation", None) if visit is not None else None
    if confirmation is None:
        return None
    if not confirmation.visited:
        return Signal("confirmed", FAIL, {"denied": True})
    if confirmation.device and (others := around.vouched_elsewhere(report, confirmation.device)):
        return Signal("confirmed", FAIL, {"same_device": others + 1})
    if confirmation.network and around.known_to_officer(report.officer_id, confirmation.network):
        return Signal("confirmed", WARN, {"rating": confirmation.rating, "network_seen": True})
    return Signal("confirmed", PASS, {"rating": confirmation.rating})


def _partner_confirmation(report: ActivityReport, around: Surroundings) -> Signal | None:
    """The named partners' answers (Babinsa, village head, FKPM): one who says they did not
    take part is a failure; a confirmation counts only from a device and a network the
    officer does not work from (a partner's phone, not the officer's)."""
    answers = around.partner_answers(report)
    if not answers:
        return None
    denied = sum(1 for answer in answers if not answer.took_part)
    if denied:
        return Signal("partner", FAIL, {"denied": denied})
    counted = [
        answer
        for answer in answers
        if not any(
            value and around.known_to_officer(report.officer_id, value)
            for value in (answer.device, answer.network)
        )
    ]
    if not counted:
        return Signal("partner", WARN, {"device_seen": True})
    return Signal("partner", PASS, {"confirmed": len(counted)})


def assess(
    report: ActivityReport, around: Surroundings | None = None
) -> tuple[str, list[Signal], TextMatch]:
    """The integrity level of a report, the signals that decide it, and what its text was
    found to copy or to be copied by."""
    around = around or _Queried()
    photos = around.photos(report)
    match = text_match(report, around)
    found = [
        s
        for s in [
            _gps(report, around),
            _accuracy(report),
            *_timing(report, photos),
            _hour(report, around),
            _travel(report, around),
            *_photos(report, photos, around),
            _language(report),
            match.signal(report),
            _confirmation(report, around),
            _partner_confirmation(report, around),
        ]
        if s is not None
    ]
    notes = around.explained(report)
    signals = [
        replace(s, explained=True) if s.code in notes and s.status != PASS else s for s in found
    ]
    statuses = {s.status for s in signals if not s.explained}
    if FAIL in statuses:
        level = IntegrityLevel.DOUBTFUL
    elif WARN not in statuses or any(s.code in CONFIRMING and s.status == PASS for s in signals):
        level = IntegrityLevel.VERIFIED
    else:
        level = IntegrityLevel.PLAUSIBLE
    return level, signals, match


# --- the word index ------------------------------------------------------------------------

_Entry = tuple[int, dt.date, frozenset[int]]  # scope, month, words


def _index_words(reports: Sequence[ActivityReport], scopes: dict[int, int]) -> set[int]:
    """Bring the word index and counts up to date with the reports' narratives; returns the
    reports whose entry changed (new, edited, moved to another month or Polda)."""
    stored: dict[int, tuple[int, dt.date, set[int]]] = {}
    for chunk in _chunks([r.pk for r in reports]):
        rows = ReportWord.objects.filter(report_id__in=chunk).values_list(
            "report_id", "scope_id", "month", "word"
        )
        for report_id, scope, month, word in rows:
            stored.setdefault(report_id, (scope, month, set()))[2].add(word)
    delta: Counter[tuple[int, dt.date, int]] = Counter()
    changed: dict[int, _Entry] = {}
    for report in reports:
        entry = (
            scopes[report.unit_id],
            text_month(report.occurred_at),
            text_words(report.narrative),
        )
        old = stored.get(report.pk)
        if old is not None and (old[0], old[1], frozenset(old[2])) == entry:
            continue
        changed[report.pk] = entry
        if old is not None:
            for word in (ALL_REPORTS, *old[2]):
                delta[old[0], old[1], word] -= 1
        for word in (ALL_REPORTS, *entry[2]):
            delta[entry[0], entry[1], word] += 1
    if not changed:
        return set()
    stale = [pk for pk in changed if pk in stored]
    for chunk in _chunks(stale):
        ReportWord.objects.filter(report_id__in=chunk).delete()
    BulkTable(ReportWord, ["report_id", "scope_id", "month", "word"]).write(
        (pk, scope, month, word)
        for pk, (scope, month, words_) in changed.items()
        for word in words_
    )
    add_counts(WordCount, ["scope", "month", "word"], "reports", delta)
    return set(changed)


# --- assessing and storing -------------------------------------------------------------------


def _store_copies(matches: dict[int, TextMatch]) -> None:
    """Record which of the reports copy which earlier one (and forget what no longer holds)."""
    for chunk in _chunks(list(matches)):
        CopiedText.objects.filter(report_id__in=chunk).delete()
    CopiedText.objects.bulk_create(
        CopiedText(
            report_id=pk,
            original_id=match.original.pk,
            similarity=round(match.similarity * 100),
        )
        for pk, match in matches.items()
        if match.original is not None
    )


def refresh(report: ActivityReport, *, follow: bool = True) -> ActivityReport:
    """Recompute and store a report's integrity, and its narrative's place in the word index.

    When its text changed, the reports it now turns out to be the original of (a report sent
    late, written before theirs) and those that copied its old text are assessed again."""
    scopes = _scopes([report.unit_id])
    changed = _index_words([report], scopes)
    level, signals, match = assess(report, _Queried(scopes))
    report.integrity_level = level
    report.integrity_signals = [s.as_dict() for s in signals]
    report.save(update_fields=["integrity_level", "integrity_signals", "updated_at"])
    _store_copies({report.pk: match})
    if follow and changed:
        again = {c.pk for c in match.copies} | set(
            CopiedText.objects.filter(original=report).values_list("report_id", flat=True)
        )
        for other in ActivityReport.objects.filter(pk__in=again).select_related(
            "activity_type", "village", "household__confirmation"
        ):
            refresh(other, follow=False)
    return report


def refresh_many(report_ids: Sequence[int]) -> int:
    """Recompute and store the integrity and word index of many reports at once (generated
    history, a recomputation): what ``refresh`` would store for each of them, read in a few
    queries and written in bulk. Rows are updated without model signals: the caller brings
    the rollups up to date (the demo rebuilds them). Returns how many reports were assessed."""
    return len(refresh_batch(report_ids)[0])


def refresh_batch(report_ids: Sequence[int]) -> tuple[list[int], set[int]]:
    """``refresh_many``, also saying which other reports its texts concern: those that turn
    out to copy a report of the batch written earlier (one sent late), and those that copied
    a text since changed. Returns the reports assessed and those others, to assess again."""
    reports: list[ActivityReport] = []
    for chunk in _chunks(sorted(set(report_ids))):
        reports += ActivityReport.objects.filter(pk__in=chunk).select_related(
            "activity_type", "household__confirmation"
        )
    # Each village (and its outline) read once, not once per report.
    villages = Region.objects.in_bulk({report.village_id for report in reports})
    for report in reports:
        report.village = villages[report.village_id]
    scopes = _scopes({report.unit_id for report in reports})
    changed = _index_words(reports, scopes)
    around = _Loaded(reports, scopes)
    now = timezone.now()
    matches = {}
    for report in reports:
        level, signals, matches[report.pk] = assess(report, around)
        report.integrity_level = level
        report.integrity_signals = [s.as_dict() for s in signals]
        report.updated_at = now
    update_rows(
        ActivityReport,
        ["integrity_level", "integrity_signals", "updated_at"],
        ((r.pk, r.integrity_level, r.integrity_signals, now) for r in reports),
    )
    _store_copies(matches)
    again = {copy.pk for pk in changed for copy in matches[pk].copies}
    for chunk in _chunks(sorted(changed)):
        copied = CopiedText.objects.filter(original_id__in=chunk)
        again |= set(copied.values_list("report_id", flat=True))
    assessed = [r.pk for r in reports]
    return assessed, again - set(assessed)


# --- what the signals say to people ---------------------------------------------------


def _number(value: Any) -> str:
    """A figure as the active language writes it (Bahasa Indonesia: 18,6)."""
    return formats.number_format(value, use_l10n=True) if isinstance(value, float) else str(value)


def _clock(hh_mm: str) -> str:
    """A stored "02:30" as the active language writes a time of day (Bahasa Indonesia: 02.30)."""
    return formats.time_format(dt.time.fromisoformat(hh_mm))


def describe(signal: dict[str, Any]) -> str:
    """A signal as a sentence, in the active language (numbers too)."""
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
                "m": _number(p["outside_m"])
            }
        case "gps", _:
            text = _("The GPS fix is %(m)s m from the village centre.") % {
                "m": _number(p["centroid_m"])
            }
        case "accuracy", _:
            text = _("GPS accuracy %(m)s m.") % {"m": _number(p["accuracy_m"])}
        case "sent", "pass":
            text = _("Sent within two days of the activity.")
        case "sent", _:
            text = ngettext(
                "Sent %(n)s hour after the activity.",
                "Sent %(n)s hours after the activity.",
                p["hours"],
            ) % {"n": _number(p["hours"])}
        case "hour", "pass":
            text = _("Done at night (%(time)s %(zone)s), when this kind of work often is.") % {
                "time": _clock(p["time"]),
                "zone": p["zone"],
            }
        case "hour", _:
            text = _(
                "Done at %(time)s %(zone)s, at night: this kind of work is usually done by day."
            ) % {"time": _clock(p["time"]), "zone": p["zone"]}
        case "photo_time", _ if p.get("missing"):
            text = _("The photos carry no capture time.")
        case "photo_time", _:
            text = _("Photo taken %(h)s h from the time of the activity.") % {
                "h": _number(p["hours"])
            }
        case "photo_place", _:
            text = _("Photo taken %(m)s m from the reported position.") % {
                "m": _number(p["distance_m"])
            }
        case "travel", "fail":
            text = _(
                "Impossible travel: %(km)s km in %(min)s minutes (%(kmh)s km/h) "
                "from another report."
            ) % {"km": _number(p["km"]), "min": _number(p["minutes"]), "kmh": _number(p["kmh"])}
        case "travel", _:
            text = _("Travel from the neighbouring reports is possible (%(kmh)s km/h at most).") % {
                "kmh": _number(p["kmh"])
            }
        case "photo", _:
            text = _("No photo yet; this activity needs one.")
        case "photo_reuse", "fail":
            text = _("%(n)s of %(total)s photos were already used in another report.") % {
                "n": _number(p["reused"]),
                "total": _number(p["photos"]),
            }
        case "photo_reuse", _:
            text = _("The photos are not found in any other report.")
        case "language", "fail":
            text = _("The text looks random: only %(share)s%% are known words.") % {
                "share": _number(p["known"])
            }
        case "language", "warn":
            text = _("Very short text (%(n)s words).") % {"n": _number(p["words"])}
        case "language", _:
            text = _("The text reads as language (%(share)s%% known words).") % {
                "share": _number(p["known"])
            }
        case "text_copy", "fail":
            text = _("The text copies an earlier report (%(s)s%% of its weight the same).") % {
                "s": _number(p["similarity"])
            }
        case "text_copy", _:
            text = _("The text is not a copy of an earlier report.")
        case "confirmed", _ if p.get("denied"):
            text = _("The resident says nobody visited: the Polsek looks into it.")
        case "confirmed", _ if "same_device" in p:
            text = _(
                "One device confirmed %(n)s of this officer's visits to different households."
            ) % {"n": _number(p["same_device"])}
        case "confirmed", _ if p.get("network_seen"):
            text = _(
                "Confirmed from a network the officer works from: the confirmation does not count."
            )
        case "confirmed", _:
            text = _("The resident confirmed the visit and rated it %(r)s of 5.") % {
                "r": _number(p["rating"])
            }
        case "partner", _ if p.get("denied"):
            text = ngettext(
                "A partner named as present says they did not take part.",
                "%(n)s partners named as present say they did not take part.",
                p["denied"],
            ) % {"n": _number(p["denied"])}
        case "partner", _ if p.get("device_seen"):
            text = _(
                "Confirmed from a device or network the officer works from: "
                "the confirmation does not count."
            )
        case "partner", _:
            text = ngettext(
                "A partner named as present confirmed taking part.",
                "%(n)s partners named as present confirmed taking part.",
                p["confirmed"],
            ) % {"n": _number(p["confirmed"])}
        case _:
            text = code
    return str(text)
