"""The ways a notification reaches a person, behind one interface.

A channel delivers one :class:`~sambang.notifications.events.Message` to every address the
user has registered with it (for Web Push: each subscribed device) and says, address by
address, what happened. The dispatcher (``services.deliver``) checks the user's choices
first and logs each delivery; a channel knows nothing of kinds or preferences.

Web Push, and an officer's linked chats (WhatsApp, Telegram, SMS: ``chat.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sambang.personnel.models import User

from ..events import Message


@dataclass(frozen=True)
class Delivery:
    """What one address of the user's got: a ``models.Result`` and a short detail (e.g.
    the push service's status), never the message's text."""

    result: str
    detail: str = ""


class Channel(Protocol):
    name: str  # a ``models.Channel`` value

    def available(self) -> bool:
        """Whether the channel is set up on this server (keys, an account…)."""
        ...

    def send(self, user: User, message: Message) -> list[Delivery]:
        """Deliver ``message`` to each of ``user``'s addresses; never raises for one that
        fails (its Delivery says so)."""
        ...


def channels() -> list[Channel]:
    """The channels set up on this server."""
    from . import chat, webpush

    return [channel for channel in (webpush.CHANNEL, chat.CHANNEL) if channel.available()]
