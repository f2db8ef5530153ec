"""The daily e-mail to supervisors: what waits for them, counted and linked.

``sambang notifications digest`` (daily, from cron) writes to each active supervisor with
an e-mail address who has not turned it off one e-mail listing their work queue (as on
their home page: ``worklist.selectors.work_queue``), in their language, plain text and
HTML; nobody with nothing waiting gets one. Each e-mail carries a one-click unsubscribe
link (a signed token: no login needed; also as ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` headers, RFC 8058). Links are absolute: ``SAMBANG_SITE_URL``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sambang.personnel.models import User
from sambang.worklist.selectors import summary, waiting, work_queue

from . import selectors
from .models import Channel, Kind, OutboundNotification, Result

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "sambang.notifications.digest-unsubscribe"
# Where links point when SAMBANG_SITE_URL is not set (a developer's machine, the demo).
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    return settings.SAMBANG_SITE_URL or DEFAULT_SITE_URL


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_of_unsubscribe_token(token: str) -> User | None:
    """The user a (valid) unsubscribe token was made for."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def digest_message(user: User) -> EmailMultiAlternatives | None:
    """The digest e-mail for ``user`` in their language, or None when nothing waits."""
    with translation.override(selectors.language_of(user)):
        items = waiting(work_queue(user))
        if not items:
            return None
        base = site_url()
        unsubscribe = base + reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])
        context = {
            "user": user,
            "rows": [(item, base + item.url) for item in items],
            "home": base + reverse("core:home"),
            "preferences": base + reverse("notifications:preferences"),
            "unsubscribe": unsubscribe,
        }
        subject = _("Sambang: %(summary)s") % {"summary": summary(items)}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("notifications/digest.txt", context),
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": translation.get_language(),
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(
            render_to_string("notifications/digest.html", context), "text/html"
        )
        return message


@dataclass
class DigestRun:
    sent: int = 0
    nothing_waits: int = 0
    failed: int = 0


def digest_send() -> DigestRun:
    """Send today's digest to everyone who gets it; one failed address does not stop the
    others. Each e-mail sent (or failed) is logged."""
    run = DigestRun()
    with get_connection() as connection:
        for user in selectors.digest_recipients():
            message = digest_message(user)
            if message is None:
                run.nothing_waits += 1
                continue
            message.connection = connection
            try:
                message.send()
            except OSError as error:  # SMTP refused, connection lost…
                logger.warning("digest to user %s failed: %s", user.pk, error)
                result, detail = Result.FAILED, str(error)[:200]
                run.failed += 1
            else:
                result, detail = Result.SENT, ""
                run.sent += 1
            OutboundNotification.objects.create(
                user=user,
                kind=Kind.DIGEST,
                channel=Channel.EMAIL,
                url=reverse("core:home"),
                result=result,
                detail=detail,
            )
    return run
