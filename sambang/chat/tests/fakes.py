"""Local fakes of the providers' HTTP APIs, for the chat tests: one threaded server on
127.0.0.1 that answers as each provider documents (paths, authentication, JSON shapes and
error answers), keeps every request, and serves the photos a test puts in it.

- Telegram Bot API: ``/bot<token>/getFile``, ``/file/bot<token>/<path>``,
  ``/bot<token>/sendMessage`` (401 for another token; 403 "bot was blocked by the user"
  for a chat in ``blocked``).
- WhatsApp Cloud API: ``/v21.0/<media id>`` (the media's URL, type, size),
  ``/media/<id>`` (its bytes), ``/v21.0/<phone number id>/messages`` (401 for another
  token; 400 with error 131047 for free text to a number in ``window_closed``).
- SMS Gateway for Android: ``/message`` with basic auth (202 and the message's id).

And the webhook deliveries each provider sends, in its documented format, signed as it
signs them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SOCKET_TIMEOUT = 10
TELEGRAM_TOKEN = "123456:TEST-bot-token"
WHATSAPP_TOKEN = "EAAG-test-access-token"
PHONE_NUMBER_ID = "106540352242922"
SMS_USER, SMS_PASSWORD = "sambang", "gateway-password"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeProviders:
    origin: str = ""
    requests: list[Request] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # media id → bytes
    blocked: set[str] = field(default_factory=set)  # Telegram chats that blocked the bot
    window_closed: set[str] = field(default_factory=set)  # WhatsApp numbers silent 24 h+
    sequence: int = 0

    def sent(self, channel: str) -> list[Request]:
        """The messages Sambang sent through ``channel``."""
        ends = {"telegram": "/sendMessage", "whatsapp": "/messages", "sms": "/message"}
        return [r for r in self.requests if r.method == "POST" and r.path.endswith(ends[channel])]

    def texts(self, channel: str) -> list[str]:
        found = []
        for request in self.sent(channel):
            body = request.json()
            if channel == "telegram":
                found.append(body["text"])
            elif channel == "whatsapp":
                found.append(
                    body["text"]["body"]
                    if body["type"] == "text"
                    else body["template"]["components"][0]["parameters"][0]["text"]
                )
            else:
                found.append(body["textMessage"]["text"])
        return found

    def answer(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, Any]:
        """The status and body a provider would answer (bytes for a file)."""
        path, query = urlsplit(handler.path).path, parse_qs(urlsplit(handler.path).query)
        auth = handler.headers.get("Authorization", "")
        self.sequence += 1
        if path.startswith("/bot") or path.startswith("/file/bot"):
            token = path.split("/bot", 1)[1].split("/", 1)[0]
            if token != TELEGRAM_TOKEN:
                return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            if path.endswith("/getFile"):
                file_id = query.get("file_id", [""])[0]
                if file_id not in self.files:
                    return 400, {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: invalid file_id",
                    }
                return 200, {
                    "ok": True,
                    "result": {
                        "file_id": file_id,
                        "file_unique_id": f"u{file_id}",
                        "file_size": len(self.files[file_id]),
                        "file_path": f"photos/{file_id}.jpg",
                    },
                }
            if path.startswith("/file/bot"):
                return 200, self.files[path.rsplit("/", 1)[1].removesuffix(".jpg")]
            if path.endswith("/sendMessage"):
                sent = json.loads(body)
                if str(sent["chat_id"]) in self.blocked:
                    return 403, {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user",
                    }
                return 200, {
                    "ok": True,
                    "result": {
                        "message_id": self.sequence,
                        "chat": {"id": int(sent["chat_id"]), "type": "private"},
                        "date": int(time.time()),
                        "text": sent["text"],
                    },
                }
        if path.startswith("/v21.0/") or path.startswith("/media/"):
            if auth != f"Bearer {WHATSAPP_TOKEN}":
                return 401, {
                    "error": {
                        "message": "Invalid OAuth access token - Cannot parse access token",
                        "type": "OAuthException",
                        "code": 190,
                        "fbtrace_id": "AbCdEf",
                    }
                }
            if path.startswith("/media/"):
                return 200, self.files[path.rsplit("/", 1)[1]]
            if path == f"/v21.0/{PHONE_NUMBER_ID}/messages":
                sent = json.loads(body)
                if sent.get("type") == "text" and sent["to"] in self.window_closed:
                    return 400, {
                        "error": {
                            "message": "(#131047) Re-engagement message",
                            "type": "OAuthException",
                            "code": 131047,
                            "error_data": {
                                "messaging_product": "whatsapp",
                                "details": "Message failed to send because more than 24 "
                                "hours have passed since the customer last replied.",
                            },
                            "fbtrace_id": "AbCdEf",
                        }
                    }
                return 200, {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": sent["to"], "wa_id": sent["to"]}],
                    "messages": [{"id": f"wamid.out{self.sequence}"}],
                }
            media = path.removeprefix("/v21.0/")
            if media not in self.files:
                return 404, {"error": {"message": "Unsupported get request.", "code": 100}}
            return 200, {
                "messaging_product": "whatsapp",
                "url": f"{self.origin}/media/{media}",
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(self.files[media]).hexdigest(),
                "file_size": len(self.files[media]),
                "id": media,
            }
        if path == "/message":
            expected = base64.b64encode(f"{SMS_USER}:{SMS_PASSWORD}".encode()).decode()
            if auth != f"Basic {expected}":
                return 401, {"message": "Unauthorized"}
            sent = json.loads(body)
            return 202, {
                "id": f"sms-{self.sequence}",
                "state": "Pending",
                "recipients": [
                    {"phoneNumber": n, "state": "Pending"} for n in sent["phoneNumbers"]
                ],
            }
        return 404, {"detail": "not found"}


@contextmanager
def fake_providers() -> Iterator[FakeProviders]:
    fake = FakeProviders()

    class Handler(BaseHTTPRequestHandler):
        timeout = SOCKET_TIMEOUT

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            fake.requests.append(Request(self.command, self.path, dict(self.headers), body))
            status, answer = fake.answer(self, body)
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            kind = "image/jpeg" if isinstance(answer, bytes) else "application/json"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


# --- deliveries, as each provider sends them ---------------------------------------------


def telegram_update(update_id: int, chat: int, **message: Any) -> bytes:
    """An Update with one private message (``text=``, ``location=``, ``photo=``, …)."""
    return json.dumps(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "from": {"id": chat, "is_bot": False, "first_name": "Siti", "language_code": "id"},
                "chat": {"id": chat, "first_name": "Siti", "type": "private"},
                "date": int(time.time()),
                **message,
            },
        }
    ).encode()


def telegram_photo(file_id: str, size: int) -> list[dict[str, Any]]:
    """A photo as Telegram lists it: several sizes, the largest last."""
    return [
        {
            "file_id": f"{file_id}-s",
            "file_unique_id": "s",
            "file_size": 1200,
            "width": 90,
            "height": 67,
        },
        {"file_id": file_id, "file_unique_id": "l", "file_size": size, "width": 640, "height": 480},
    ]


def whatsapp_delivery(
    *messages: dict[str, Any], statuses: list[dict[str, Any]] | None = None
) -> bytes:
    """A webhook POST of the Cloud API with ``messages`` from one person."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100001111", "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Siti"}, "wa_id": messages[0]["from"]}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}
            ],
        }
    ).encode()


def whatsapp_message(message_id: str, sender: str, kind: str, **content: Any) -> dict[str, Any]:
    return {
        "from": sender,
        "id": message_id,
        "timestamp": str(int(time.time())),
        "type": kind,
        **content,
    }


def whatsapp_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sms_event(event_id: str, sender: str, text: str) -> bytes:
    return json.dumps(
        {
            "deviceId": "ffffffffceb0b1db00000193991c27e5",
            "event": "sms:received",
            "id": event_id,
            "payload": {
                "messageId": hashlib.md5(text.encode()).hexdigest()[:8],  # noqa: S324  (the gateway's own content id)
                "message": text,
                "phoneNumber": sender,
                "simNumber": 1,
                "receivedAt": "2026-12-04T09:15:00.000+07:00",
            },
            "webhookId": "LreFUt-Z3sSq0JufY9uWB",
        }
    ).encode()


def sms_headers(body: bytes, key: str, stamp: int | None = None) -> dict[str, str]:
    when = str(stamp if stamp is not None else int(time.time()))
    signature = hmac.new(key.encode(), body + when.encode(), hashlib.sha256).hexdigest()
    return {"X-Signature": signature, "X-Timestamp": when}
