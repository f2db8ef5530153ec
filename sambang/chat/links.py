"""Officers' chats: linked by a one-time code shown in the app and sent from the chat (so the
number or account is proven to be the officer's), then used to tell them what waits —
a directive, a returned report — as one more channel of the notifications
(``notifications.channels.chat``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.audit.services import audit_record
from sambang.core.ratelimit import limit_reached
from sambang.personnel.models import Officer

from .models import LinkCode, OfficerLink

CODE_LIFETIME = dt.timedelta(minutes=10)
LINK_TRIES_PER_HOUR = 5  # per sender: six digits are not guessed in a lifetime
LINK = re.compile(r"^(?:DAFTAR|LINK)\s+(\d{6})$")


def _code_hash(code: str) -> str:
    key = hashlib.sha256(f"sambang-chat-link:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def link_code_issue(officer: Officer) -> str:
    """A new one-time code for ``officer`` (the previous one no longer works)."""
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if not LinkCode.objects.filter(code_hash=_code_hash(code)).exists():
            break
    LinkCode.objects.update_or_create(
        officer=officer,
        defaults={"code_hash": _code_hash(code), "expires_at": timezone.now() + CODE_LIFETIME},
    )
    return code


def link_by_code(channel: str, address: str, sender_hash: str, code: str) -> str:
    """Link the sender's chat to the officer whose code it sent; the reply to send."""
    if limit_reached(
        "chat-link", f"{channel}:{sender_hash}", limit=LINK_TRIES_PER_HOUR, window_s=3600
    ):
        return _("Too many codes tried. Try again in an hour.")
    now = timezone.now()
    found = (
        LinkCode.objects.filter(code_hash=_code_hash(code), expires_at__gt=now)
        .select_related("officer__user")
        .first()
    )
    if found is None:
        return _(
            "This code is not valid or has expired. Get a new one on Sambang's Notifications page."
        )
    officer = found.officer
    with transaction.atomic():
        # A number belongs to one officer: linked again, it moves to this one.
        OfficerLink.objects.filter(channel=channel, address_hash=sender_hash).delete()
        OfficerLink.objects.update_or_create(
            officer=officer,
            channel=channel,
            defaults={"address": address[:64], "address_hash": sender_hash, "last_inbound_at": now},
        )
        found.delete()
        audit_record(user=officer.user, action="chat.link", target=officer, channel=channel)
    return _("Linked. Directives and returned reports for %(name)s now also arrive here.") % {
        "name": officer.name
    }


def officer_unlink(officer: Officer, channel: str) -> bool:
    deleted, _rows = OfficerLink.objects.filter(officer=officer, channel=channel).delete()
    if deleted:
        audit_record(user=officer.user, action="chat.unlink", target=officer, channel=channel)
    return bool(deleted)
