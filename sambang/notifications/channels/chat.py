"""Notifications to an officer's linked chats (WhatsApp, Telegram, SMS; ``sambang.chat``):
the same title, sentence and link as a push, never more."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from sambang.personnel.models import User

from ..events import Message
from ..models import Channel, Result
from . import Delivery

WINDOW_SECONDS = 24 * 3600


class ChatNotifications:
    name = Channel.CHAT.value

    def available(self) -> bool:
        from sambang.chat.providers import PROVIDERS

        return any(p.configured() for name, p in PROVIDERS.items())

    def send(self, user: User, message: Message) -> list[Delivery]:
        from sambang.chat.models import OfficerLink
        from sambang.chat.providers import provider
        from sambang.chat.services import send

        deliveries = []
        text = f"{message.title}: {message.body} {settings.SAMBANG_SITE_URL}{message.url}"
        for link in OfficerLink.objects.filter(officer__user=user):
            found = provider(link.channel)
            if found is None:
                continue
            quiet = (timezone.now() - link.last_inbound_at).total_seconds()
            sent = send(
                found,
                link.address,
                text,
                purpose="notification",
                window_open=quiet < WINDOW_SECONDS,
            )
            deliveries.append(Delivery(Result.SENT if sent else Result.FAILED, link.channel))
        return deliveries


CHANNEL = ChatNotifications()
