"""What every chat provider gives Sambang, whatever its API: one interface, so that a new
channel is one module.

A provider checks that a delivery comes from it (``verify``, on the raw body, before any
parsing), reads the messages in it (``parse``), fetches a photo a message names
(``media``) and sends a text back (``send``). Its HTTP calls go through ``http_call``: no
redirects followed, a time limit, a cap on what is read.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

TIMEOUT_SECONDS = 10
MAX_MEDIA_BYTES = 10 * 1024 * 1024  # the residents' form's own limit per photo


class Refused(Exception):
    """A delivery that is not the provider's (bad or missing signature): 403, nothing read."""


class ProviderError(Exception):
    """The provider answered with an error, or could not be reached."""


class TooLarge(ProviderError):
    """A photo (or an answer) larger than Sambang takes."""


@dataclass(frozen=True)
class Inbound:
    """One message (or delivery status) from a person, as any provider gives it."""

    message_id: str  # the provider's id: a delivery seen before is a no-op
    sender: str  # the address to answer: a phone number, a chat id
    kind: str  # text, location, image, status, other
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    media: str = ""  # the provider's reference to fetch the photo with
    status: str = ""  # for kind "status": delivered, read, failed
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sent:
    provider_id: str
    template: bool = False  # sent as an approved template (outside WhatsApp's 24 hours)


class Provider(Protocol):
    name: str

    def configured(self) -> bool: ...

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None: ...

    def parse(self, body: bytes) -> list[Inbound]: ...

    def media(self, reference: str) -> tuple[bytes, str]: ...

    def send(self, to: str, text: str, *, window_open: bool = True) -> Sent: ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise ProviderError(f"not JSON (HTTP {self.status})") from error


def http_call(
    method: str,
    url: str,
    *,
    payload: Any = None,
    headers: dict[str, str] | None = None,
    limit: int = 1024 * 1024,
) -> Answer:
    """One request to a provider's API (an HTTP error status is an answer too); at most
    ``limit`` bytes are read: a longer answer is a ProviderError."""
    body = None if payload is None else json.dumps(payload).encode()
    sent = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(  # noqa: S310  (the operator's configured API base)
        url, data=body, headers=sent | (headers or {}), method=method
    )
    try:
        response = _OPENER.open(request, timeout=TIMEOUT_SECONDS)
    except urllib.error.HTTPError as error:
        response = error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ProviderError(f"unreachable: {error}") from error  # no URL: it may hold a token
    with response:
        data = response.read(limit + 1)
        status = int(response.status if hasattr(response, "status") else response.code)
        content_type = response.headers.get("Content-Type", "")
    if len(data) > limit:
        raise TooLarge(f"answer over {limit} bytes")
    return Answer(status, data, content_type)
