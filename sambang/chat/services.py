"""Receiving a provider's delivery and answering on the same channel.

``receive`` checks the signature on the raw body before anything is parsed, records each
message by the provider's id (a replayed delivery finds it and does nothing), limits how
many messages a sender may send, takes the sender's conversation one step (a linked
officer's message goes to their quick report instead: ``officers``), and sends the replies,
logging each. ``send`` is the one way out: every outbound message is logged with
the address hashed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sambang.core.ratelimit import limit_reached
from sambang.fieldwork.quick import quick_reports_purge_expired
from sambang.public.models import CitizenReport

from . import conversation as dialogue
from . import links
from .models import (
    ChatReport,
    Conversation,
    Delivery,
    OfficerLink,
    Outbound,
    OutboundResult,
    PendingPhoto,
    address_hash,
)
from .officers import officer_message
from .providers import Inbound, Provider, ProviderError, TooLarge

logger = logging.getLogger(__name__)

WINDOW = 24 * 3600  # WhatsApp: free text within 24 hours of the person's last message


def send(provider: Provider, to: str, text: str, *, purpose: str, window_open: bool = True) -> bool:
    """Send ``text`` to ``to`` and log it; whether the provider took it."""
    log = Outbound(
        channel=provider.name, to_hash=address_hash(provider.name, to), purpose=purpose, text=text
    )
    try:
        sent = provider.send(to, text, window_open=window_open)
    except ProviderError as error:
        log.result, log.detail = OutboundResult.FAILED, str(error)[:200]
        logger.warning("chat %s: sending failed: %s", provider.name, error)
    else:
        log.result, log.provider_id, log.template = (
            OutboundResult.SENT,
            sent.provider_id,
            sent.template,
        )
    log.save()
    return log.result == OutboundResult.SENT


def _first_time(provider: Provider, message: Inbound, sender: str) -> Delivery | None:
    """The delivery's record, or None when it was seen before (a replay)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                channel=provider.name,
                message_id=message.message_id[:200],
                sender_hash=sender,
                kind=message.kind,
            )
    except IntegrityError:
        return None


def receive(provider: Provider, body: bytes) -> int:
    """Handle a delivery whose signature was checked (``provider.verify``); how many new
    messages it held. A malformed body raises ValueError (answered 400)."""
    try:
        messages = provider.parse(body)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"unexpected shape: {error}") from error
    return handle(provider, messages)


def handle(provider: Provider, messages: list[Inbound]) -> int:
    """Handle the messages of a delivery (or of the demo's simulated chat); how many were
    new."""
    handled = 0
    for message in messages:
        sender = address_hash(provider.name, message.sender) if message.sender else ""
        delivery = _first_time(provider, message, sender)
        if delivery is None:
            continue
        handled += 1
        if message.kind == "status":
            delivery.outcome = f"{message.status} {message.extra.get('of', '')}"[:200]
            delivery.save(update_fields=["outcome"])
            continue
        try:
            with translation.override(settings.SAMBANG_CHAT_LANGUAGE):
                delivery.outcome = _converse(provider, message, sender)
        except Exception as error:  # one bad message must not make the provider resend all
            logger.exception("chat %s: message %s not handled", provider.name, message.message_id)
            delivery.outcome = f"error: {type(error).__name__}"
        delivery.save(update_fields=["outcome"])
    return handled


def _converse(provider: Provider, message: Inbound, sender: str) -> str:
    if limit_reached(
        "chat-sender",
        f"{provider.name}:{sender}",
        limit=settings.SAMBANG_CHAT_MESSAGES_PER_HOUR,
        window_s=3600,
    ):
        return "rate limited"  # recorded, not answered: a flood gets no echo
    now = timezone.now()
    if message.kind == "text" and (code := links.LINK.match(message.text.strip().upper())):
        reply = links.link_by_code(provider.name, message.sender, sender, code.group(1))
        send(provider, message.sender, reply, purpose="reply")
        return "link"
    link = (
        OfficerLink.objects.filter(channel=provider.name, address_hash=sender)
        .select_related("officer__user", "officer__unit")
        .first()
    )
    if link is not None:  # an officer's chat: their quick reports, not a resident's
        # Free text may reach it for 24 hours from now (WhatsApp).
        link.last_inbound_at = now
        link.save(update_fields=["last_inbound_at"])
        for reply in officer_message(provider, link, message, now):
            send(provider, message.sender, reply, purpose="reply")
        return "officer"
    with transaction.atomic():
        talk, _created = Conversation.objects.select_for_update().get_or_create(
            channel=provider.name,
            sender_hash=sender,
            defaults={"address": message.sender[:64], "last_inbound_at": now},
        )
        if message.kind == "other":
            replies = [
                _(
                    "Sambang reads text, shared locations and photos only. "
                    "Write BATAL to stop, or go on."
                )
            ]
            turn = dialogue.Turn(replies)
        else:
            turn = dialogue.step(talk, message, rate_key=f"chat:{sender}")
        if turn.photo:
            turn.replies.append(_keep_photo(provider, talk, turn.photo))
        talk.address = message.sender[:64]
        talk.save()
        # Their reports' answers may go out as free text for 24 hours from now (WhatsApp).
        ChatReport.objects.filter(channel=provider.name, address=message.sender[:64]).update(
            last_inbound_at=now
        )
        if turn.tracking_code:
            ChatReport.objects.create(
                report=CitizenReport.objects.get(tracking_code=turn.tracking_code),
                channel=provider.name,
                address=message.sender[:64],
                last_inbound_at=now,
            )
    for reply in turn.replies:
        send(provider, message.sender, reply, purpose="reply")
    return f"step {talk.step}" + (f" report {turn.tracking_code}" if turn.tracking_code else "")


def _keep_photo(provider: Provider, talk: Conversation, reference: str) -> str:
    try:
        data, content_type = provider.media(reference)
    except TooLarge:
        return _("This photo is too large (at most 10 MB). Send a smaller one, or LANJUT.")
    except ProviderError:
        return _("The photo could not be fetched. Send it again, or LANJUT to go on without it.")
    PendingPhoto.objects.create(conversation=talk, data=data, content_type=content_type[:60])
    return _("Photo received. Send another, or LANJUT to continue.")


def answer_back(report: CitizenReport) -> bool:
    """Send the police's answer to the chat the report came from (if it came from one)."""
    from .providers import provider as configured

    chat = ChatReport.objects.filter(report=report).first()
    if chat is None or not report.public_note:
        return False
    found = configured(chat.channel)
    if found is None:
        return False
    with translation.override(settings.SAMBANG_CHAT_LANGUAGE):
        text = _("Police answer to report %(code)s: %(note)s") % {
            "code": report.tracking_code,
            "note": report.public_note,
        }
    window_open = (timezone.now() - chat.last_inbound_at).total_seconds() < WINDOW
    return send(found, chat.address, text, purpose="answer", window_open=window_open)


@dataclass(frozen=True)
class Cleaned:
    conversations: int
    photos: int
    quick_reports: int


def chat_clean(*, now: dt.datetime | None = None) -> Cleaned:
    """Drop the residents' reports left unfinished in a chat for longer than the
    conversation's timeout, with their photos (the sender's next message would drop them
    anyway), and the officers' quick reports too old to become a report."""
    now = now or timezone.now()
    stale = Conversation.objects.filter(last_inbound_at__lt=now - dialogue.TIMEOUT).exclude(
        step__in=("start", "done")
    )
    photos, _rows = PendingPhoto.objects.filter(conversation__in=stale).delete()
    conversations = stale.update(step="start", data={})
    return Cleaned(conversations, photos, quick_reports_purge_expired(now=now))
