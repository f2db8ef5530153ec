"""Telegram Bot API (https://core.telegram.org/bots/api).

A delivery is a webhook POST of one ``Update``, with the secret set by ``setWebhook``
(``secret_token``) in ``X-Telegram-Bot-Api-Secret-Token``. Messages: text, location, photo
(in several sizes, the largest last, fetched with ``getFile`` then from
``/file/bot<token>/<file_path>``). Answers: ``sendMessage``. The update's ``update_id`` is
the delivery's id.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import quote

from django.conf import settings

from .base import MAX_MEDIA_BYTES, Inbound, ProviderError, Refused, Sent, TooLarge, http_call


class Telegram:
    name = "telegram"

    @property
    def _settings(self) -> dict[str, str]:
        return dict(settings.SAMBANG_CHAT_TELEGRAM)

    def configured(self) -> bool:
        return bool(self._settings.get("BOT_TOKEN") and self._settings.get("SECRET_TOKEN"))

    def _api(self, method: str) -> str:
        base = self._settings.get("API_BASE", "https://api.telegram.org").rstrip("/")
        return f"{base}/bot{self._settings['BOT_TOKEN']}/{method}"

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        given = headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self._settings["SECRET_TOKEN"].encode()):
            raise Refused("secret token")

    def parse(self, body: bytes) -> list[Inbound]:
        update: dict[str, Any] = json.loads(body)
        message = update.get("message") or update.get("edited_message")
        if not isinstance(message, dict) or "chat" not in message:
            return []  # callbacks, channel posts, member changes: nothing for Sambang
        made = partial(
            Inbound,
            message_id=str(update["update_id"]),
            sender=str(message["chat"]["id"]),
            extra={"name": message.get("from", {}).get("first_name", "")},
        )
        if "location" in message:
            where = message["location"]
            return [
                made(
                    kind="location",
                    latitude=float(where["latitude"]),
                    longitude=float(where["longitude"]),
                )
            ]
        if message.get("photo"):
            largest = max(message["photo"], key=lambda size: size.get("file_size", 0))
            return [
                made(kind="image", media=str(largest["file_id"]), text=message.get("caption", ""))
            ]
        if isinstance(message.get("text"), str):
            return [made(kind="text", text=message["text"])]
        return [made(kind="other")]

    def media(self, reference: str) -> tuple[bytes, str]:
        found = http_call("GET", self._api("getFile") + "?file_id=" + quote(reference)).json()
        if not found.get("ok"):
            raise ProviderError(str(found.get("description", "getFile failed")))
        size = int(found["result"].get("file_size") or 0)
        if size > MAX_MEDIA_BYTES:
            raise TooLarge("too large")
        base = self._settings.get("API_BASE", "https://api.telegram.org").rstrip("/")
        path = quote(str(found["result"]["file_path"]))
        answer = http_call(
            "GET", f"{base}/file/bot{self._settings['BOT_TOKEN']}/{path}", limit=MAX_MEDIA_BYTES
        )
        if answer.status != 200:
            raise ProviderError(f"file: HTTP {answer.status}")
        return answer.body, answer.content_type

    def send(self, to: str, text: str, *, window_open: bool = True) -> Sent:
        answer = http_call("POST", self._api("sendMessage"), payload={"chat_id": to, "text": text})
        found = answer.json()
        if not found.get("ok"):
            raise ProviderError(
                f"{found.get('error_code', answer.status)}: {found.get('description', '')}"
            )
        return Sent(str(found["result"]["message_id"]))
