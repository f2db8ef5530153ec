"""SMS through SMS Gateway for Android (open source, Apache 2.0: an Android phone with an
Indonesian SIM becomes the gateway; https://sms-gate.app), text only.

The contract, as the gateway documents it:

- **Incoming**: a webhook registered for the event ``sms:received`` POSTs
  ``{"id": <event id>, "event": "sms:received", "deviceId": …, "webhookId": …,
  "payload": {"messageId", "message", "phoneNumber", "simNumber", "receivedAt"}}``,
  signed with the webhook signing key: ``X-Signature`` is the hex HMAC-SHA256 of the raw
  body followed by the ``X-Timestamp`` header (Unix seconds). Deliveries older than five
  minutes are refused (a replayed capture). The event ``id`` is the delivery's id (the
  payload's ``messageId`` is derived from the text and is not unique).
- **Outgoing**: ``POST <API_BASE>/message`` with HTTP basic auth (the gateway's user and
  password) and ``{"textMessage": {"text": …}, "phoneNumbers": [<number>]}``; the gateway
  answers 202 with the message's ``id``. ``API_BASE`` is the phone's local server
  (``http://<phone>:8080``) or the gateway's cloud (``https://api.sms-gate.app/3rdparty/v1``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from .base import Inbound, ProviderError, Refused, Sent, http_call

MAX_AGE_SECONDS = 300


class Sms:
    name = "sms"

    @property
    def _settings(self) -> dict[str, str]:
        return dict(settings.SAMBANG_CHAT_SMS)

    def configured(self) -> bool:
        needed = ("SIGNING_KEY", "API_BASE", "USERNAME", "PASSWORD")
        return all(self._settings.get(key) for key in needed)

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        stamp = headers.get("X-Timestamp", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > MAX_AGE_SECONDS:
            raise Refused("timestamp")
        expected = hmac.new(
            self._settings["SIGNING_KEY"].encode(), body + stamp.encode(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(
            headers.get("X-Signature", "").lower().encode(), expected.encode()
        ):
            raise Refused("signature")

    def parse(self, body: bytes) -> list[Inbound]:
        event: dict[str, Any] = json.loads(body)
        payload = event.get("payload") or {}
        if event.get("event") != "sms:received":
            return []  # sent, delivered, failed, ping: the log of outbound messages says it
        return [
            Inbound(
                message_id=str(event["id"]),
                sender=str(payload["phoneNumber"]),
                kind="text",
                text=str(payload.get("message", "")),
            )
        ]

    def media(self, reference: str) -> tuple[bytes, str]:
        raise ProviderError("SMS carries no photos")

    def send(self, to: str, text: str, *, window_open: bool = True) -> Sent:
        credentials = f"{self._settings['USERNAME']}:{self._settings['PASSWORD']}".encode()
        answer = http_call(
            "POST",
            self._settings["API_BASE"].rstrip("/") + "/message",
            payload={"textMessage": {"text": text}, "phoneNumbers": [to]},
            headers={"Authorization": "Basic " + base64.b64encode(credentials).decode()},
        )
        if answer.status not in (200, 201, 202):
            raise ProviderError(
                f"HTTP {answer.status}: {answer.body[:200].decode(errors='replace')}"
            )
        return Sent(str(answer.json().get("id", "")))
