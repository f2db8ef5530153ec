"""An officer's messages on a linked chat: a quick report of an activity.

What the officer writes, the position they share and the photos they send gather in one
quick report (``fieldwork.quick``) that waits in the app, where the officer completes it
as an activity report; each message is answered with what the quick report now holds.
SELESAI closes it (the next message begins another), BATAL drops it, BANTUAN explains.
Nothing of a resident's conversation applies to a linked chat.

The replies are written in Indonesian (``SAMBANG_CHAT_LANGUAGE``), as the residents'.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sambang.fieldwork.models import QuickReport
from sambang.fieldwork.quick import GAP, quick_report_close, quick_report_note
from sambang.personnel.models import OfficerStatus

from .models import OfficerLink
from .providers import Inbound, Provider, ProviderError, TooLarge

CLOSE = {"selesai", "done"}
CANCEL = {"batal", "cancel"}
HELP = {"bantuan", "help", "?"}


def _url(quick: QuickReport) -> str:
    path = reverse("fieldwork:report_new") + f"?quick={quick.uuid}"
    return f"{settings.SAMBANG_SITE_URL}{path}"


def _help() -> str:
    return _(
        "Quick report: write what you did, share your location and send photos. Messages "
        "within %(minutes)s minutes of each other make one report, which waits in Sambang "
        "for you to complete. SELESAI when it is complete, BATAL to drop it."
    ) % {"minutes": int(GAP.total_seconds() // 60)}


def _holds(quick: QuickReport) -> str:
    parts = []
    if quick.text:
        parts.append(_("text"))
    if quick.latitude is not None:
        parts.append(
            _("position in %(village)s") % {"village": quick.village.name}
            if quick.village is not None
            else _("position (not in one of your villages)")
        )
    photos = quick.photos.count()
    if photos:
        parts.append(ngettext("%(n)s photo", "%(n)s photos", photos) % {"n": photos})
    return _("Your quick report holds: %(parts)s.") % {"parts": ", ".join(parts)}


def officer_message(
    provider: Provider, link: OfficerLink, message: Inbound, now: dt.datetime
) -> list[str]:
    """Take an officer's message; the replies to send."""
    officer = link.officer
    if officer.status != OfficerStatus.ACTIVE or officer.user is None or not officer.user.is_active:
        return [_("Your Sambang account is not active: this message was not recorded.")]
    word = message.text.strip().lower()
    if message.kind == "text" and word in HELP:
        return [_help()]
    if message.kind == "text" and word in CLOSE:
        closed = quick_report_close(officer=officer, now=now)
        if closed is None:
            return [_("No quick report is open. Write what you did to begin one.")]
        return [
            _("Your quick report waits in Sambang for you to complete: %(url)s")
            % {"url": _url(closed)}
        ]
    if message.kind == "text" and word in CANCEL:
        closed = quick_report_close(officer=officer, now=now)
        if closed is None:
            return [_("No quick report is open.")]
        closed.delete()
        return [_("Your quick report was dropped.")]
    if message.kind == "text" and message.text.strip():
        noted = quick_report_note(
            officer=officer, channel=provider.name, now=now, text=message.text.strip()
        )
    elif message.kind == "location" and message.latitude is not None:
        assert message.longitude is not None
        noted = quick_report_note(
            officer=officer,
            channel=provider.name,
            now=now,
            position=(message.latitude, message.longitude),
        )
    elif message.kind == "image":
        try:
            data, _content_type = provider.media(message.media)
        except TooLarge:
            return [_("This photo is too large (at most 10 MB). Send a smaller one.")]
        except ProviderError:
            return [_("The photo could not be fetched. Send it again.")]
        noted = quick_report_note(officer=officer, channel=provider.name, now=now, photo=data)
    else:
        return [_("Sambang reads text, shared locations and photos only.") + " " + _help()]
    if noted.quick is None:  # a first message refused: no quick report was begun
        return [noted.problem]
    replies = [_help()] if noted.created else []
    if noted.problem:
        replies.append(noted.problem)
    replies.append(
        _holds(noted.quick)
        + " "
        + _("Complete it in Sambang: %(url)s") % {"url": _url(noted.quick)}
    )
    return replies
