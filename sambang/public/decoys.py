"""The honeypot's throwaway reports: what a bot that filled the form's hidden field is
shown, kept in the cache only (never in the database) so that its tracking code has a
status page like a real one's."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache

from .models import CitizenReport

# A bot that comes back for its code within this many days finds it; the page of a real
# report stays, but few bots follow their reports for a month.
DECOY_DAYS = 30


def _key(code: str) -> str:
    # Hashed: the code comes from the URL, and a cache key takes no spaces or long text.
    return f"citizen-decoy:{hashlib.sha256(code.encode()).hexdigest()[:32]}"


def decoy_keep(report: CitizenReport) -> None:
    """Keep an unsaved report's public face (code, category, status, time) for its code."""
    cache.set(
        _key(report.tracking_code),
        {
            "category": report.category,
            "status": report.status,
            "received_at": report.received_at.isoformat(),
        },
        timeout=DECOY_DAYS * 24 * 3600,
    )


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
