"""The demo's simulated chat: a provider with no network, for the page that lets the demo's
visitors try the residents' conversation — and an officer their quick reports — without any
provider account (``views.demo``). What it sends is read back from the log of messages sent
(``models.Outbound``); it takes no webhook (a delivery to it is refused)."""

from __future__ import annotations

import io
import random
from collections.abc import Mapping

from django.conf import settings
from PIL import Image, ImageDraw

from .base import Inbound, ProviderError, Refused, Sent

SAMPLE_PHOTO = "sample"


class Demo:
    name = "demo"

    def configured(self) -> bool:
        return bool(settings.DEMO_MODE)

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        raise Refused("the demo's chat has no webhook")

    def parse(self, body: bytes) -> list[Inbound]:
        return []

    def media(self, reference: str) -> tuple[bytes, str]:
        """A sample photo drawn from its reference (``SAMPLE_PHOTO-<seed>``): each one
        different, as real photos are, so that none passes for a reused one."""
        prefix, _dash, seed = reference.partition("-")
        if prefix != SAMPLE_PHOTO or not seed:
            raise ProviderError("no such photo")
        draw = random.Random(seed)
        picture = Image.new("RGB", (640, 480), (96, 128, 160))
        for _block in range(6):
            x, y = draw.randrange(560), draw.randrange(400)
            colour = (draw.randrange(256), draw.randrange(256), draw.randrange(256))
            ImageDraw.Draw(picture).rectangle((x, y, x + 80, y + 80), fill=colour)
        data = io.BytesIO()
        picture.save(data, "JPEG", quality=80)
        return data.getvalue(), "image/jpeg"

    def send(self, to: str, text: str, *, window_open: bool = True) -> Sent:
        return Sent("")  # the page reads the reply from the log
