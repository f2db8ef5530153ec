"""A system check: push keys that cannot sign are found at start, not at the first push."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from .keys import key_pair_problem


@register()
def vapid_keys(**kwargs: Any) -> list[CheckMessage]:
    public = settings.SAMBANG_VAPID_PUBLIC_KEY
    private = settings.SAMBANG_VAPID_PRIVATE_KEY
    if not (public or private):
        return []
    hint = "Run `sambang notifications vapid-keys` for a new pair (and set both)."
    if problem := key_pair_problem(public, private):
        return [Error(problem, hint=hint, id="sambang.E101")]
    if not settings.SAMBANG_VAPID_SUBJECT:
        return [
            Warning(
                "Push notifications are off: SAMBANG_VAPID_SUBJECT is not set.",
                hint="A contact for the push services, e.g. mailto:admin@example.org.",
                id="sambang.W101",
            )
        ]
    return []
