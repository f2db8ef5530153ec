"""The worker's half of filing a report: its integrity and what it counts, in batches.

A request accepts a report, or a change to one, in one transaction that stores it marked
``pending``; the officer's phone has its answer then. The worker (``sambang process``; any
number of them may run) takes the waiting reports in batches, oldest first, each batch in
one transaction with its rows locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
workers never take the same report): it decodes the photos received with them (the request
only checked their headers and stored them as sent), assesses their integrity together
(``integrity.refresh_batch``), clears their mark and announces ``reports_processed`` in the
same transaction, so that whoever counts reports (the evaluation's rollups) brings its
figures up to date with them or not at all. A crash anywhere leaves a report accepted and
waiting, never half processed; a report changed while a batch holds it waits for the next.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Count, Min
from django.dispatch import Signal
from django.utils import timezone

from sambang.core.errors import ApplicationError

from . import integrity
from .models import ActivityReport, PhotoState, ReportPhoto
from .photos import CheckedPhoto, check_photo, phash_quarters

BATCH = 200
logger = logging.getLogger(__name__)

# Sent inside the batch's transaction with ``report_ids``: the reports whose integrity is now
# known (new, changed, or assessed again), each with its current row.
reports_processed = Signal()


def process_batch(
    limit: int = BATCH, *, skip: Collection[int] = (), only: Collection[int] | None = None
) -> int:
    """Process up to ``limit`` waiting reports (not those in ``skip``; of ``only``, when
    given); returns how many (0: none was waiting)."""
    waiting = ActivityReport.objects.filter(pending=True).exclude(pk__in=skip)
    if only is not None:
        waiting = waiting.filter(pk__in=only)
    # Looked at before a transaction begins: an idle worker holds no lock while it polls (on
    # SQLite a transaction takes the database's write lock as it begins).
    if not waiting.exists():
        return 0
    with transaction.atomic():
        waiting = waiting.order_by("id").select_for_update(skip_locked=True)
        ids = list(waiting.values_list("pk", flat=True)[:limit])
        if not ids:
            return 0
        develop_photos(ids)
        assessed, again = integrity.refresh_batch(ids)
        ActivityReport.objects.filter(pk__in=ids).update(pending=False)
        if again:  # reports whose texts these concern: assessed in a later batch
            mark_pending(sorted(again))
        reports_processed.send(sender=ActivityReport, report_ids=assessed)
    return len(ids)


def photo_develop(photo: ReportPhoto, zone: ZoneInfo) -> None:
    """Decode a received photo (the worker's part) and save it, ready or ``unreadable`` (a file
    that turns out not to be a readable photo: the report says so); the file as sent is
    deleted once the batch is committed (until then, a retry reads it again)."""
    try:
        with photo.upload.open("rb") as stream:
            photo_store(photo, check_photo(stream, zone))
    except (ApplicationError, FileNotFoundError):
        photo.state = PhotoState.UNREADABLE
    photo.save()
    if photo.upload.name:
        transaction.on_commit(partial(photo.upload.storage.delete, photo.upload.name))


def photo_store(photo: ReportPhoto, checked: CheckedPhoto) -> None:
    """Make ``photo`` the checked picture: its image (re-encoded, without metadata) and
    thumbnail stored, its capture time, position and perceptual hash as fields; the row is
    for the caller to save."""
    photo.state = PhotoState.READY
    photo.sha256 = checked.sha256
    photo.content_type = checked.content_type
    photo.size = len(checked.data)
    photo.width, photo.height = checked.width, checked.height
    photo.taken_at, photo.latitude, photo.longitude = (
        checked.taken_at,
        checked.latitude,
        checked.longitude,
    )
    photo.phash = checked.phash
    photo.phash_q0, photo.phash_q1, photo.phash_q2, photo.phash_q3 = phash_quarters(checked.phash)
    name = str(photo.uuid)
    photo.image.save(f"{name}.{checked.extension}", ContentFile(checked.data), save=False)
    photo.thumbnail.save(f"{name}.jpg", ContentFile(checked.thumbnail), save=False)


def develop_photos(report_ids: list[int]) -> None:
    """Decode the received photos of these reports (locked by the caller's batch)."""
    received = ReportPhoto.objects.filter(report_id__in=report_ids, state=PhotoState.RECEIVED)
    for photo in received.select_related("report__unit").order_by("id"):
        photo_develop(photo, ZoneInfo(photo.report.unit.timezone))


def process_available(limit: int, set_aside: set[int]) -> int:
    """``process_batch``; when it fails with an error of the code rather than the database
    (which rolls back and is tried again), its reports are processed one at a time, so that
    one report that cannot be processed does not hold up the others: it is logged and added
    to ``set_aside``, which later batches skip. It stays waiting (the backlog counts it) until
    a worker started anew tries it again. Returns how many reports were taken: processed or
    set aside (0: none was waiting)."""
    try:
        return process_batch(limit, skip=set_aside)
    except DatabaseError:
        raise
    except Exception:
        logger.exception("report batch failed; processing its reports one at a time")
    waiting = ActivityReport.objects.filter(pending=True).exclude(pk__in=set_aside)
    taken = 0
    for pk in waiting.order_by("id").values_list("pk", flat=True)[:limit]:
        try:
            taken += process_batch(1, only=[pk])  # 0: another worker has it, or had it
        except DatabaseError:
            raise
        except Exception:
            logger.exception("report %s could not be processed: set aside", pk)
            set_aside.add(pk)
            taken += 1
    return taken


def process_pending(limit: int = BATCH) -> int:
    """Process every waiting report (and those they lead to); returns how many were processed
    (a report assessed again counts again). An error is raised, not set aside."""
    total = 0
    while done := process_batch(limit):
        total += done
    return total


def mark_pending(report_ids: list[int]) -> None:
    """Have the worker assess these reports again (a photo, a confirmation, an explanation)."""
    ActivityReport.objects.filter(pk__in=report_ids).update(pending=True, updated_at=timezone.now())


@dataclass(frozen=True)
class Backlog:
    """What the worker has yet to process: how many reports, and since when the oldest waits."""

    reports: int
    since: dt.datetime | None

    @property
    def age(self) -> dt.timedelta | None:
        return timezone.now() - self.since if self.since else None


def backlog(unit_path: str = "") -> Backlog:
    """The reports waiting for the worker (of the units under ``unit_path``, when given)."""
    waiting = ActivityReport.objects.filter(pending=True)
    if unit_path:
        waiting = waiting.filter(unit__path__startswith=unit_path)
    found = waiting.aggregate(n=Count("pk"), oldest=Min("updated_at"))
    return Backlog(found["n"], found["oldest"])
