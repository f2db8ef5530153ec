"""Web Push to the installed app: RFC 8030 delivery, signed with VAPID (RFC 8292), the
payload encrypted for the one device (aes128gcm, RFC 8291).

py-vapid signs and http-ece encrypts (the two libraries under pywebpush, whose own part is
the HTTP POST below: taking pywebpush would also bring aiohttp and six more packages for an
asynchronous client this code never uses).

A subscription names a URL of the browser's push service. The server POSTs there, so
only the push services' hosts (``SAMBANG_PUSH_SERVICE_HOSTS``) over HTTPS are accepted: a
subscription cannot make the server send requests into its own network. Redirects are not
followed; a push service that answers 404 or 410 has forgotten the device, whose
subscription is then deleted.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from py_vapid import Vapid02

from sambang.personnel.models import User

from ..events import Message
from ..keys import b64url_decode, key_pair_problem, private_key_from_text
from ..models import Channel, PushSubscription, Result
from . import Delivery

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10  # one push service's answer; the next device is not kept waiting longer
TIME_TO_LIVE = 24 * 3600  # a phone off for longer gets the work queue, not stale alerts
VAPID_LIFETIME = 12 * 3600  # the longest a push service accepts is 24 hours
GONE = (404, 410)


def push_available() -> bool:
    """Whether this server can send push: a valid key pair and a contact are set."""
    public, private = settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_PRIVATE_KEY
    return bool(settings.SAMBANG_VAPID_SUBJECT) and key_pair_problem(public, private) is None


def _allowed_host(host: str) -> bool:
    for allowed in settings.SAMBANG_PUSH_SERVICE_HOSTS:
        allowed = allowed.lower()
        if host == allowed.lstrip(".") or (allowed.startswith(".") and host.endswith(allowed)):
            return True
    return False


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_problem(endpoint: str) -> str | None:
    """Why ``endpoint`` is not a push service's URL this server will post to (None: it is).
    Plain HTTP is accepted only from a listed loopback host (a push service run by tests or
    on a developer's machine)."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018  (raises ValueError for a port that is not one)
    except ValueError:
        return _("This is not a URL.")
    if parts.username or parts.password or not host:
        return _("This is not a push service's URL.")
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(host)):
        return _("A push service's URL starts with https://.")
    if not _allowed_host(host):
        return _("This server does not send to this push service.")
    return None


def keys_problem(p256dh: str, auth: str) -> dict[str, str]:
    """The subscription's keys that are not what a browser makes, by field."""
    problems = {}
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(p256dh))
    except ValueError:
        problems["p256dh"] = _("This is not the browser's P-256 public key (base64url).")
    try:
        if len(b64url_decode(auth)) != 16:
            raise ValueError
    except ValueError:
        problems["auth"] = _("This is not the subscription's 16-byte secret (base64url).")
    return problems


def encrypt(payload: bytes, subscription: PushSubscription) -> bytes:
    """``payload`` encrypted for the subscription's device alone (aes128gcm)."""
    sender = ec.generate_private_key(ec.SECP256R1())  # a new key for every message
    body: bytes = http_ece.encrypt(
        payload,
        private_key=sender,
        dh=b64url_decode(subscription.p256dh),
        auth_secret=b64url_decode(subscription.auth),
        version="aes128gcm",
    )
    return body


def vapid_authorization(endpoint: str) -> str:
    """``vapid t=<JWT>,k=<public key>``: the JWT signed with the server's key, for the push
    service of ``endpoint`` (its origin), valid for a few hours."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + VAPID_LIFETIME,
        "sub": settings.SAMBANG_VAPID_SUBJECT,
    }
    signer = Vapid02(private_key_from_text(settings.SAMBANG_VAPID_PRIVATE_KEY))
    return str(signer.sign(claims)["Authorization"])


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is the push service's answer, not a new address to post to


_OPENER = urllib.request.build_opener(_NoRedirects)


def _post(endpoint: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the push service; its status (an HTTPError is an answer too)."""
    request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")  # noqa: S310  (endpoint_problem allows https, or http to loopback only)
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def send_one(subscription: PushSubscription, message: Message) -> Delivery:
    """Push ``message`` to one device; a device its push service has forgotten is deleted."""
    if problem := endpoint_problem(subscription.endpoint):
        return Delivery(Result.FAILED, problem[:200])
    headers = {
        "Authorization": vapid_authorization(subscription.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TIME_TO_LIVE),
        "Urgency": "normal",
    }
    if message.tag:
        headers["Topic"] = message.tag  # an undelivered older one is replaced
    body = encrypt(json.dumps(message.payload()).encode(), subscription)
    try:
        status = _post(subscription.endpoint, body, headers)
    except (OSError, ValueError) as error:  # refused, timed out, no route, bad TLS…
        logger.warning("push to %s failed: %s", urlsplit(subscription.endpoint).netloc, error)
        return Delivery(Result.FAILED, str(error)[:200])
    if 200 <= status < 300:
        subscription.last_success_at = timezone.now()
        subscription.save(update_fields=["last_success_at"])
        return Delivery(Result.SENT, str(status))
    if status in GONE:
        subscription.delete()
        return Delivery(Result.GONE, str(status))
    logger.warning("push to %s answered %s", urlsplit(subscription.endpoint).netloc, status)
    return Delivery(Result.FAILED, str(status))


class WebPush:
    name = Channel.WEBPUSH.value

    def available(self) -> bool:
        return push_available()

    def send(self, user: User, message: Message) -> list[Delivery]:
        return [send_one(s, message) for s in PushSubscription.objects.filter(user=user)]


CHANNEL = WebPush()
