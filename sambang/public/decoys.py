"""The honeypot's throwaway reports: what a bot that filled the form's hidden field is
shown, kept in the cache only (never in the database) so that its tracking code has a
status page like a real one's."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.core.cache import cache

from .models import CitizenReport

# A bot that comes back for its code within this many days finds it; the page of a real
# report stays, but few bots follow their reports for a month.
DECOY_DAYS = 30


def _key(code: str) -> str:
    # Hashed: the code comes from the URL, and a cache key takes no spaces or long text.
    return f"citizen-decoy:{hashlib.sha256(code.encode()).hexdigest()[:32]}"


def _submission_key(submission: uuid.UUID) -> str:
    return f"citizen-decoy-submission:{submission.hex}"


def decoy_keep(report: CitizenReport) -> None:
    """Keep an unsaved report's public face (code, category, status, time) for its code,
    and its code for its submission token: the same form sent again is this report again,
    as a real report's is."""
    timeout = DECOY_DAYS * 24 * 3600
    cache.set(
        _key(report.tracking_code),
        {
            "category": report.category,
            "status": report.status,
            "received_at": report.received_at.isoformat(),
        },
        timeout=timeout,
    )
    if report.submission is not None:
        cache.set(_submission_key(report.submission), report.tracking_code, timeout=timeout)


def decoy_for_code(code: str) -> CitizenReport | None:
    """The throwaway report with this tracking code (unsaved), or None."""
    kept = cache.get(_key(code))
    if not isinstance(kept, dict):
        return None
    return CitizenReport(
        tracking_code=code,
        category=kept["category"],
        status=kept["status"],
        received_at=dt.datetime.fromisoformat(kept["received_at"]),
    )


def decoy_for_submission(submission: uuid.UUID) -> CitizenReport | None:
    """The throwaway report a form with this submission token made (unsaved), or None."""
    code = cache.get(_submission_key(submission))
    return decoy_for_code(code) if isinstance(code, str) else None
