"""Writes: announcing events, delivering notifications, and each user's devices and choices.

A write elsewhere (a directive issued, a report returned, a resident's report filed) calls
:func:`announce` inside its transaction. Nothing is sent then: once the transaction has
committed, a background task is queued, which reads who is concerned and delivers through
every channel set up (``channels``), logging each delivery. A request never waits for a
push service, and a write that rolls back tells no one.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.personnel.models import User

from . import selectors
from .channels import Delivery, channels
from .channels.webpush import endpoint_problem, keys_problem
from .events import EVENT_KINDS, Notice, compose, recipients
from .models import Kind, NotificationPreference, OutboundNotification, PushSubscription

MAX_DEVICES = 10  # push subscriptions kept per user


def announce(*, kind: str, object_id: int) -> None:
    """Tell the people concerned about event ``kind`` of record ``object_id``, once the
    current transaction commits (in a background task; nothing when no channel is set up)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"not an event: {kind!r}")
    if not channels():
        return

    def enqueue() -> None:
        from .tasks import send_event

        send_event.enqueue(str(kind), object_id)

    # robust: a queue that cannot be written to is logged; the write itself stands.
    transaction.on_commit(enqueue, robust=True)


def deliver(*, notice: Notice) -> list[Delivery]:
    """Send ``notice`` to its user through every channel set up, in the user's language,
    unless the user has turned that kind off; each delivery is logged."""
    user = notice.user
    if not selectors.wants(user, notice.kind):
        return []
    deliveries: list[Delivery] = []
    with translation.override(selectors.language_of(user)):
        message = compose(notice)
    for channel in channels():
        for delivery in channel.send(user, message):
            OutboundNotification.objects.create(
                user=user,
                kind=notice.kind,
                channel=channel.name,
                url=message.url[:500],
                result=delivery.result,
                detail=delivery.detail[:200],
            )
            deliveries.append(delivery)
    return deliveries


def notify_event(*, kind: str, object_id: int) -> int:
    """Deliver the event's notifications (the task ``send_event``); how many deliveries
    were tried (one per device reached)."""
    return sum(len(deliver(notice=notice)) for notice in recipients(kind, object_id))


def overdue_notify() -> int:
    """Remind each supervisor with a device of the residents' reports of their subtree past
    their first-response time, when one became overdue since the last reminder (``sambang
    notifications overdue``, hourly); how many supervisors were reminded."""
    if not channels():
        return 0
    url = reverse("citizen:list") + "?overdue=1"
    reminded = 0
    for user in selectors.overdue_recipients():
        count = selectors.overdue_news(user)
        if count and deliver(notice=Notice(user, Kind.OVERDUE, url, count)):
            reminded += 1
    return reminded


def subscription_register(
    *, user: User, endpoint: str, p256dh: str, auth: str, device: str = "", language: str = ""
) -> tuple[PushSubscription, bool]:
    """Register a browser's push subscription for ``user`` (``created`` False when the
    endpoint was known: its keys are updated, and it now belongs to ``user``, the last to
    subscribe on that device); a user keeps at most ``MAX_DEVICES``, the newest. Remembers
    the language the user writes in."""
    errors: dict[str, list[str]] = {}
    if problem := endpoint_problem(endpoint):
        errors["endpoint"] = [problem]
    for name, message in keys_problem(p256dh, auth).items():
        errors[f"keys.{name}"] = [message]
    if errors:
        raise ApplicationError(_("This is not a push subscription."), fields=errors)
    with transaction.atomic():
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "device": device[:120]},
        )
        # Phones are replaced and browsers reinstalled: past the limit, the oldest goes.
        kept = PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")
        PushSubscription.objects.filter(
            pk__in=list(kept.values_list("pk", flat=True)[MAX_DEVICES:])
        ).delete()
        _remember_language(user, language)
    return subscription, created


def subscription_remove(*, user: User, endpoint: str = "", pk: int | None = None) -> bool:
    """Stop pushing to one of ``user``'s devices (by its endpoint, or its id on the page);
    whether there was one. Another user's device is never touched."""
    own = PushSubscription.objects.filter(user=user)
    found = own.filter(pk=pk) if pk is not None else own.filter(endpoint=endpoint)
    deleted, _kinds = found.delete()
    return deleted > 0


def preferences_update(
    *, user: User, choices: Mapping[str, bool], language: str = ""
) -> NotificationPreference:
    """Save ``user``'s choices (kinds left out keep their value)."""
    unknown = set(choices) - set(Kind.values)
    if unknown:
        raise ApplicationError(
            _("The input is not valid."),
            fields={name: [_("Not a kind of notification.")] for name in sorted(unknown)},
        )
    preference = selectors.preferences_of(user)
    for name, value in choices.items():
        setattr(preference, name, bool(value))
    if language in dict(settings.LANGUAGES):
        preference.language = language
    preference.save()
    return preference


def _remember_language(user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        NotificationPreference.objects.update_or_create(user=user, defaults={"language": language})


def digest_unsubscribe(*, user: User) -> None:
    """Stop the daily e-mail (the unsubscribe link); turned on again on the preferences page."""
    NotificationPreference.objects.update_or_create(user=user, defaults={"digest": False})
