"""The demo's simulated chat: a provider with no network, for the page that lets the demo's
visitors try the residents' conversation without any provider account (``views.demo``).
What it sends is read back from the log of messages sent (``models.Outbound``)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from django.conf import settings
from PIL import Image, ImageDraw

from .base import Inbound, ProviderError, Sent

SAMPLE_PHOTO = "sample-photo"


class Demo:
    name = "demo"

    def configured(self) -> bool:
        return bool(settings.DEMO_MODE)

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        raise ProviderError("the demo's chat has no webhook")

    def parse(self, body: bytes) -> list[Inbound]:
        return []

    def media(self, reference: str) -> tuple[bytes, str]:
        if reference != SAMPLE_PHOTO:
            raise ProviderError("no such photo")
        picture = Image.new("RGB", (640, 480), (96, 128, 160))
        ImageDraw.Draw(picture).rectangle((200, 150, 440, 330), fill=(220, 200, 120))
        data = io.BytesIO()
        picture.save(data, "JPEG", quality=80)
        return data.getvalue(), "image/jpeg"

    def send(self, to: str, text: str, *, window_open: bool = True) -> Sent:
        return Sent("")  # the page reads the reply from the log
