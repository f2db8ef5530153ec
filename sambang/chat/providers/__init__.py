"""The chat providers Sambang speaks to; each is on when its settings are given."""

from __future__ import annotations

from .base import Inbound, Provider, ProviderError, Refused, Sent, TooLarge
from .demo import Demo
from .sms import Sms
from .telegram import Telegram
from .whatsapp import WhatsApp

PROVIDERS: dict[str, Provider] = {p.name: p for p in (WhatsApp(), Telegram(), Sms(), Demo())}


def provider(name: str) -> Provider | None:
    """The provider called ``name`` when it is configured (a channel without settings is
    off: its webhook answers 404)."""
    found = PROVIDERS.get(name)
    return found if found is not None and found.configured() else None


__all__ = [
    "PROVIDERS",
    "Inbound",
    "Provider",
    "ProviderError",
    "Refused",
    "Sent",
    "TooLarge",
    "provider",
]
