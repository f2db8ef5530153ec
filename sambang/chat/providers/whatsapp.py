"""WhatsApp Business Cloud API (Meta's Graph API).

Set-up: Meta asks the webhook to echo ``hub.challenge`` when ``hub.verify_token`` is the
one configured (``challenge``). Deliveries are POSTs signed with the app secret:
``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body>``; each holds ``entry`` →
``changes`` → ``value`` with ``messages`` (text, location, image: a media id fetched from
``/<media-id>`` then from the URL it names, both with the access token) and ``statuses``
(sent, delivered, read, failed). Answers: ``/<phone-number-id>/messages`` — free text only
within 24 hours of the person's last message; outside it, an approved template
(``TEMPLATE``, its one body parameter the text).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import quote

from django.conf import settings

from .base import MAX_MEDIA_BYTES, Inbound, ProviderError, Refused, Sent, TooLarge, http_call


class WhatsApp:
    name = "whatsapp"

    @property
    def _settings(self) -> dict[str, str]:
        return dict(settings.SAMBANG_CHAT_WHATSAPP)

    def configured(self) -> bool:
        needed = ("VERIFY_TOKEN", "APP_SECRET", "ACCESS_TOKEN", "PHONE_NUMBER_ID")
        return all(self._settings.get(key) for key in needed)

    def _url(self, path: str) -> str:
        base = self._settings.get("API_BASE", "https://graph.facebook.com/v21.0").rstrip("/")
        return f"{base}/{path}"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._settings['ACCESS_TOKEN']}"}

    def challenge(self, query: dict[str, str]) -> str | None:
        """The webhook's set-up: ``hub.challenge`` to echo, or None when refused."""
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(
            token.encode(), self._settings["VERIFY_TOKEN"].encode()
        ):
            return None
        return query.get("hub.challenge", "")

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        given = headers.get("X-Hub-Signature-256", "")
        expected = hmac.new(self._settings["APP_SECRET"].encode(), body, hashlib.sha256)
        if not hmac.compare_digest(given.encode(), f"sha256={expected.hexdigest()}".encode()):
            raise Refused("signature")

    def parse(self, body: bytes) -> list[Inbound]:
        delivery: dict[str, Any] = json.loads(body)
        found: list[Inbound] = []
        for entry in delivery.get("entry", []):
            for change in entry.get("changes", []):
                value = change.get("value", {})
                names = {
                    c.get("wa_id"): c.get("profile", {}).get("name", "")
                    for c in value.get("contacts", [])
                }
                for message in value.get("messages", []):
                    found.append(self._message(message, names.get(message.get("from"), "")))
                for status in value.get("statuses", []):
                    found.append(
                        Inbound(
                            message_id=f"{status['id']}:{status.get('status', '')}",
                            sender=str(status.get("recipient_id", "")),
                            kind="status",
                            status=str(status.get("status", "")),
                            extra={"of": status["id"], "errors": status.get("errors", [])},
                        )
                    )
        return found

    @staticmethod
    def _message(message: dict[str, Any], name: str) -> Inbound:
        made = partial(
            Inbound,
            message_id=str(message["id"]),
            sender=str(message["from"]),
            extra={"name": name},
        )
        kind = message.get("type")
        if kind == "text":
            return made(kind="text", text=str(message["text"]["body"]))
        if kind == "location":
            where = message["location"]
            return made(
                kind="location",
                latitude=float(where["latitude"]),
                longitude=float(where["longitude"]),
            )
        if kind == "image":
            image = message["image"]
            return made(kind="image", media=str(image["id"]), text=image.get("caption", ""))
        if kind == "interactive":  # a reply chosen from a list or a button
            chosen = message["interactive"]
            reply = chosen.get("list_reply") or chosen.get("button_reply") or {}
            return made(kind="text", text=str(reply.get("id", "")))
        return made(kind="other")

    def media(self, reference: str) -> tuple[bytes, str]:
        found = http_call("GET", self._url(quote(reference)), headers=self._auth())
        if found.status != 200:
            raise ProviderError(f"media: HTTP {found.status}")
        described = found.json()
        if int(described.get("file_size") or 0) > MAX_MEDIA_BYTES:
            raise TooLarge("too large")
        answer = http_call(
            "GET", str(described["url"]), headers=self._auth(), limit=MAX_MEDIA_BYTES
        )
        if answer.status != 200:
            raise ProviderError(f"media download: HTTP {answer.status}")
        return answer.body, str(described.get("mime_type") or answer.content_type)

    def send(self, to: str, text: str, *, window_open: bool = True) -> Sent:
        payload: dict[str, Any] = {"messaging_product": "whatsapp", "to": to}
        if window_open:
            payload |= {"type": "text", "text": {"body": text}}
        else:
            template = self._settings.get("TEMPLATE", "")
            if not template:
                raise ProviderError("outside the 24-hour window and no template configured")
            payload |= {
                "type": "template",
                "template": {
                    "name": template,
                    "language": {"code": self._settings.get("TEMPLATE_LANGUAGE", "id")},
                    "components": [
                        {"type": "body", "parameters": [{"type": "text", "text": text}]}
                    ],
                },
            }
        answer = http_call(
            "POST",
            self._url(f"{self._settings['PHONE_NUMBER_ID']}/messages"),
            payload=payload,
            headers=self._auth(),
        )
        found = answer.json()
        if answer.status != 200 or "error" in found:
            error = found.get("error", {})
            raise ProviderError(f"{error.get('code', answer.status)}: {error.get('message', '')}")
        return Sent(str(found["messages"][0]["id"]), template=not window_open)
