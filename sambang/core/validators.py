"""Validators shared by the API serializers and the page forms.

Each raises Django's ``ValidationError``: DRF fields and Django forms both turn it into an
error on the field that ran it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sambang.core.errors import ApplicationError

# No record of police work is older than this, and none is dated years ahead: a value
# outside is a typing slip or a probe, and near the calendar's ends it overflows date
# arithmetic (local days, rollups) into a server error.
FIRST_DAY = dt.date(1970, 1, 1)
YEARS_AHEAD = 5
# A roster or a table of shares fits in a few hundred characters; this is generous.
MAX_JSON_TEXT = 20_000


def plausible_date(value: dt.date | dt.datetime) -> None:
    """Refuse a date (or date and time) before 1970 or more than five years ahead."""
    today = timezone.localdate()
    _between(value, FIRST_DAY, today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28)))


def within_the_century(value: dt.date | dt.datetime) -> None:
    """Refuse a date before 1970 or after 2100: for times whose service refuses the future
    with a message of its own, but must not overflow before it gets to say it."""
    _between(value, FIRST_DAY, dt.date(2100, 12, 31))


def _between(value: dt.date | dt.datetime, first: dt.date, last: dt.date) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not first <= day <= last:
        raise ValidationError(
            _("Use a date between %(first)s and %(last)s."),
            code="implausible_date",
            params={"first": first.isoformat(), "last": last.isoformat()},
        )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def storable_json(value: Any) -> None:
    """Refuse JSON whose text holds a NUL or a lone surrogate (neither can be stored),
    or that is far larger than any roster or table it stands for."""
    texts = _strings(value)
    if sum(len(text) for text in texts) > MAX_JSON_TEXT:
        raise ValidationError(
            _("This is too long: at most %(limit)s characters of text."),
            code="too_long",
            params={"limit": MAX_JSON_TEXT},
        )
    for text in texts:
        if "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text):
            raise ValidationError(
                _("Text may not contain NUL characters or unpaired surrogates."),
                code="unstorable_text",
            )


def field_lookup[T](field: str, lookup: Callable[[], T]) -> T:
    """A row named by a code in the request body, or an error on that field.

    ``access_*`` lookups answer 404 for a code outside the caller's scope; for a code the
    client typed into a field, the answer is a 400 naming the field (the same message for
    unknown and out of scope, so nothing leaks).
    """
    try:
        return lookup()
    except Http404:
        message = str(_("Nothing with this code in your scope."))
        raise ApplicationError(message, fields={field: [message]}) from None


def text_problem(value: str, max_length: int) -> str | None:
    """Why a service cannot store this text (for writes that do not pass a serializer or
    form first), or None."""
    if len(value) > max_length:
        return str(_("At most %(limit)s characters.") % {"limit": max_length})
    if "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value):
        return str(_("Text may not contain NUL characters or unpaired surrogates."))
    return None


def date_problem(value: dt.date | dt.datetime) -> str | None:
    """Why this date is not plausible (see ``plausible_date``), or None."""
    try:
        plausible_date(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return None
