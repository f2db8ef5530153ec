"""The guided conversation that turns chat messages into a resident's report.

It asks, one message at a time: what the report is about (a numbered list), what
happened, where (a shared location, or the village's name chosen from a list), photos (up
to the form's limit, or "lanjut"), and whether to give a name; then shows the report and
sends it on "kirim". The report is made by the same service as the web form
(``public.services.citizen_report_submit``): the same checks, limits, routing and
first-response time, and a tracking code. Sending a tracking code at any moment answers
with the report's status and the police's answer; "batal" drops the report in progress;
after ``TIMEOUT`` of silence a conversation starts again.

The replies are written in Indonesian (``SAMBANG_CHAT_LANGUAGE``), as the residents' form.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.public.models import CitizenCategory
from sambang.public.selectors import citizen_report_for_code
from sambang.public.services import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ATTACHMENTS,
    Upload,
    citizen_report_submit,
)
from sambang.territory.models import Region, RegionLevel
from sambang.territory.selectors import locate_village

from .models import ChatChannel, Conversation
from .providers import Inbound

TIMEOUT = dt.timedelta(minutes=30)
MAX_CHOICES = 9  # villages offered by name at a time
CANCEL = {"batal", "cancel", "stop"}
NEXT = {"lanjut", "next", "selesai", "skip", "tidak"}
SEND = {"kirim", "send", "ya"}
ANONYMOUS = {"anonim", "anonymous", "tanpa nama"}
# A tracking code alone, or after "cek", "status" or "lacak" (not any ten-letter word).
CODE = re.compile(rf"^(?:(?:CEK|STATUS|LACAK)\s+)?([{CODE_ALPHABET}]{{{CODE_LENGTH}}})$")


@dataclass
class Turn:
    """What a message leads to: the replies to send, and the report made, if any."""

    replies: list[str] = field(default_factory=list)
    tracking_code: str = ""
    photo: str = ""  # a media reference to fetch and keep (``services``)


def _categories() -> str:
    return "\n".join(f"{n}. {label}" for n, (_v, label) in enumerate(CitizenCategory.choices, 1))


def _public_url(path: str) -> str:
    return f"{settings.SAMBANG_SITE_URL}{path}"


def _status(code: str, address: str) -> str:
    try:
        report = citizen_report_for_code(code, address=address)
    except ApplicationError as refused:
        return refused.message
    if report is None:
        return _("No report has this code.")
    text = _("Report %(code)s: %(status)s.") % {
        "code": report.tracking_code,
        "status": report.get_status_display(),
    }
    if report.public_note:
        text += "\n" + _("Police answer: %(note)s") % {"note": report.public_note}
    if report.rejection_reason:
        text += "\n" + _("Reason: %(reason)s") % {"reason": report.rejection_reason}
    return text


def _restart(conversation: Conversation) -> None:
    conversation.step, conversation.data = "category", {}
    conversation.photos.all().delete()


def _ask_category() -> str:
    return (
        _(
            "Sambang: report to your village's police officer. What is it about? "
            "Reply with a number:"
        )
        + "\n"
        + _categories()
        + "\n"
        + _("(Send a tracking code at any time to see a report's status; BATAL to stop.)")
    )


def _ask_place() -> str:
    return _(
        "Where did it happen? Share your location (attach → Location), or write the name of "
        "the village (desa/kelurahan)."
    )


def _ask_photos() -> str:
    return _("Send up to %(n)s photos if you have them, or LANJUT to continue.") % {
        "n": MAX_ATTACHMENTS
    }


def _ask_identity() -> str:
    return _(
        "Your name helps the officer follow up; it is never shown to others. Write your "
        "name, or ANONIM to report without it."
    )


def _summary(conversation: Conversation) -> str:
    data = conversation.data
    village = Region.objects.filter(code=data.get("village", "")).first()
    lines = [
        _("Your report:"),
        f"- {CitizenCategory(data['category']).label}",
        f"- {data['description'][:300]}",
        f"- {village.name if village else '?'}",
        # Not the name itself: a message is no place for a reporter's identity.
        "- " + (_("Anonymous") if data.get("anonymous", True) else _("With your name")),
    ]
    photos = conversation.photos.count()
    if photos:
        lines.append("- " + _("%(n)s photos") % {"n": photos})
    return "\n".join(lines) + "\n" + _("Reply KIRIM to send it, or BATAL to drop it.")


def _villages_named(text: str) -> list[Region]:
    name = " ".join(text.split())[:80]
    villages = Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent__parent")
    exact = list(villages.filter(name__iexact=name)[: MAX_CHOICES + 1])
    return exact or list(
        villages.filter(Q(name__icontains=name)).order_by("name")[: MAX_CHOICES + 1]
    )


def _place_label(village: Region) -> str:
    district = village.parent
    regency = district.parent if district else None
    return ", ".join(p.name for p in (village, district, regency) if p is not None)


def step(conversation: Conversation, message: Inbound, *, rate_key: str) -> Turn:
    """Take the conversation one message further; the replies to send."""
    turn = Turn()
    text = message.text.strip()
    word = text.lower()
    now = timezone.now()
    if (
        conversation.pk
        and now - conversation.last_inbound_at > TIMEOUT
        and conversation.step not in ("start", "done")
    ):
        _restart(conversation)
        conversation.step = "start"
        turn.replies.append(_("Your unfinished report was dropped after 30 minutes of silence."))
    conversation.last_inbound_at = now
    if (
        message.kind == "text"
        and (found := CODE.match(text.upper()))
        and conversation.step
        in (
            "start",
            "category",
            "done",
        )
    ):
        turn.replies.append(_status(found.group(1), rate_key))
        return turn
    if word in CANCEL:
        _restart(conversation)
        conversation.step = "start"
        turn.replies.append(_("Dropped. Write again whenever you want to report."))
        return turn
    handler = STEPS.get(conversation.step, _start)
    handler(conversation, message, text, turn)
    return turn


def _start(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    _restart(conversation)
    turn.replies.append(_ask_category())


def _category(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    choices = CitizenCategory.values
    if text.isdigit() and 1 <= int(text) <= len(choices):
        conversation.data["category"] = choices[int(text) - 1]
        conversation.step = "description"
        turn.replies.append(_("What happened? Write it in one message."))
    else:
        turn.replies.append(
            _("Reply with the number of the kind of report:") + "\n" + _categories()
        )


def _description(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    if message.kind != "text" or not text:
        turn.replies.append(_("Tell us what happened, in words."))
    elif len(text) > 4000:
        turn.replies.append(_("At most 4000 characters: write it shorter, please."))
    else:
        conversation.data["description"] = text
        conversation.step = "place"
        turn.replies.append(_ask_place())


def _place(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    if (
        message.kind == "location"
        and message.latitude is not None
        and message.longitude is not None
    ):
        located = locate_village(message.latitude, message.longitude)
        if located is None:
            turn.replies.append(_("No village found at this position; write the village's name."))
            return
        conversation.data |= {
            "village": located.village.code,
            "latitude": message.latitude,
            "longitude": message.longitude,
        }
        _placed(conversation, located.village, turn)
        return
    choices = conversation.data.get("choices", [])
    if text.isdigit() and choices and 1 <= int(text) <= len(choices):
        village = Region.objects.get(code=choices[int(text) - 1])
        _placed(conversation, village, turn)
        return
    if message.kind != "text" or len(text) < 3:
        turn.replies.append(_ask_place())
        return
    found = _villages_named(text)
    if not found:
        turn.replies.append(
            _("No village of that name. Check the spelling, or share your location.")
        )
    elif len(found) == 1:
        _placed(conversation, found[0], turn)
    else:
        shown = found[:MAX_CHOICES]
        conversation.data["choices"] = [v.code for v in shown]
        lines = [f"{n}. {_place_label(v)}" for n, v in enumerate(shown, 1)]
        more = (
            [_("(More villages have this name: write more of it.)")]
            if len(found) > MAX_CHOICES
            else []
        )
        turn.replies.append("\n".join([_("Which one? Reply with its number:"), *lines, *more]))


def _placed(conversation: Conversation, village: Region, turn: Turn) -> None:
    conversation.data["village"] = village.code
    conversation.data.pop("choices", None)
    conversation.step = "photos"
    turn.replies.append(
        _("Village: %(place)s.") % {"place": _place_label(village)} + "\n" + _ask_photos()
    )


def _photos(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    if message.kind == "image":
        if conversation.photos.count() >= MAX_ATTACHMENTS:
            turn.replies.append(
                _("At most %(n)s photos per report. Reply LANJUT to continue.")
                % {"n": MAX_ATTACHMENTS}
            )
        else:
            turn.photo = message.media  # fetched and kept by the caller, which answers
        return
    if text.lower() in NEXT or message.kind == "text":
        conversation.step = "identity"
        turn.replies.append(_ask_identity())
        return
    turn.replies.append(_ask_photos())


def _identity(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    if message.kind != "text" or not text:
        turn.replies.append(_ask_identity())
        return
    if text.lower() in ANONYMOUS:
        conversation.data["anonymous"] = True
    elif len(text) > 120:
        turn.replies.append(_("At most 120 characters for a name."))
        return
    else:
        conversation.data |= {"anonymous": False, "name": text}
    conversation.step = "confirm"
    turn.replies.append(_summary(conversation))


def _confirm(conversation: Conversation, message: Inbound, text: str, turn: Turn) -> None:
    if text.lower() not in SEND:
        turn.replies.append(_summary(conversation))
        return
    data = conversation.data
    phone_channels = (ChatChannel.WHATSAPP, ChatChannel.SMS)
    phone = conversation.address if conversation.channel in phone_channels else ""
    uploads = [
        Upload(f"photo-{n}", io.BytesIO(bytes(photo.data)))
        for n, photo in enumerate(conversation.photos.order_by("pk"), 1)
    ]
    submitted: dict[str, Any] = {
        "category": data["category"],
        "description": data["description"],
        "village": data["village"],
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "anonymous": data.get("anonymous", True),
        "reporter_name": data.get("name", ""),
        "reporter_phone": "" if data.get("anonymous", True) else phone,
    }
    try:
        result = citizen_report_submit(
            data=submitted, uploads=uploads, address=f"chat:{conversation.sender_hash}"
        )
    except ApplicationError as refused:
        problems = [p for problems in (refused.fields or {}).values() for p in problems]
        turn.replies.append(" ".join([refused.message, *problems]))
        if refused.fields:
            _restart(conversation)
            conversation.step = "category"
        return
    turn.tracking_code = result.report.tracking_code
    status_url = _public_url(reverse("public:report_status", args=[turn.tracking_code]))
    reply = _(
        "Sent. Your tracking code is %(code)s. Send it here at any time to see the status "
        "and the police's answer, or open %(url)s"
    ) % {"code": turn.tracking_code, "url": status_url}
    for problem in result.attachment_problems:
        reply += "\n" + problem
    turn.replies.append(reply)
    conversation.photos.all().delete()
    conversation.step, conversation.data = "done", {}


STEPS = {
    "start": _start,
    "done": _start,
    "category": _category,
    "description": _description,
    "place": _place,
    "photos": _photos,
    "identity": _identity,
    "confirm": _confirm,
}
