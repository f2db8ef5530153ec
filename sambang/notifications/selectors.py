"""Reads: each user's choices and devices, who gets the digest and the overdue reminders."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from sambang import access
from sambang.personnel.models import Role, User
from sambang.public.models import CitizenReport
from sambang.public.selectors import overdue_filter

from .models import Kind, NotificationPreference, OutboundNotification, PushSubscription, Result

SUPERVISOR_ROLES = (Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL)
# The kinds each role can receive: what reaches officers happens to their own work or
# villages; a supervisor is reminded of what is late in the subtree, told of the alerts that
# wait for them, and e-mailed the work queue.
KINDS_OF_ROLE: dict[str, tuple[Kind, ...]] = {
    Role.OFFICER: (Kind.DIRECTIVE, Kind.REPORT_RETURNED, Kind.CITIZEN_REPORT, Kind.ALERT),
    **{role: (Kind.OVERDUE, Kind.ALERT, Kind.DIGEST) for role in SUPERVISOR_ROLES},
}


def preferences_of(user: User) -> NotificationPreference:
    """The user's choices (the defaults, unsaved, for a user who never changed them)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found if found is not None else NotificationPreference(user=user)


def kinds_for(user: User) -> tuple[Kind, ...]:
    """The kinds of notification ``user``'s role receives (an administrator: none)."""
    return KINDS_OF_ROLE.get(user.role, ())


def wants(user: User, kind: str) -> bool:
    """Whether ``user`` is to get a notification of ``kind``: active, their role receives
    it, and they have not turned it off."""
    return (
        user.is_active
        and kind in kinds_for(user)
        and bool(getattr(preferences_of(user), str(kind)))
    )


def language_of(user: User) -> str:
    """The language to write to ``user`` in, outside a request."""
    return preferences_of(user).language or settings.LANGUAGE_CODE


def subscriptions_of(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user)


def digest_recipients() -> QuerySet[User]:
    """Active supervisors (Polsek to national) with an e-mail address who have not turned
    the digest off."""
    return (
        User.objects.filter(is_active=True, role__in=SUPERVISOR_ROLES, unit__isnull=False)
        .exclude(email="")
        .exclude(notification_preference__digest=False)
        .order_by("pk")
    )


def overdue_recipients() -> QuerySet[User]:
    """Active supervisors with a device to push to who have not turned the reminder off."""
    return (
        User.objects.filter(is_active=True, role__in=SUPERVISOR_ROLES, unit__isnull=False)
        .filter(push_subscriptions__isnull=False)
        .exclude(notification_preference__overdue=False)
        .distinct()
        .order_by("pk")
    )


def overdue_in_scope(user: User) -> QuerySet[CitizenReport]:
    """Residents' reports of the user's subtree past their first-response time."""
    return access.citizen_reports_for_user(user).filter(overdue_filter())


def overdue_news(user: User) -> int:
    """How many residents' reports of the user's subtree are overdue, when one of them
    became overdue since the user was last reminded (0 otherwise: nothing new to say)."""
    overdue = overdue_in_scope(user)
    last = (
        OutboundNotification.objects.filter(user=user, kind=Kind.OVERDUE, result=Result.SENT)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and not overdue.filter(due_at__gt=last).exists():
        return 0
    return overdue.count()
