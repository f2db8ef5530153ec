"""A push service on 127.0.0.1 for tests, and a browser's side of a subscription.

``LocalPushService`` is a small HTTP server in a thread that accepts what a real push
service accepts (a POST per message) and keeps each request, answering 201 or whatever a
test asks for a path. ``Browser`` is what a browser holds for one subscription: its own
P-256 key pair and authentication secret; it checks the VAPID signature of a request and
decrypts its body, as the push service and the browser would.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SOCKET_TIMEOUT = 10  # seconds: no request of a test may hang the suite


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Received:
    path: str
    headers: Message  # its names are case-insensitive, as in HTTP
    body: bytes


@dataclass
class LocalPushService:
    origin: str = ""
    received: list[Received] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)  # path → status (default 201)

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def to(self, endpoint: str) -> list[Received]:
        path = urlsplit(endpoint).path
        return [r for r in self.received if r.path == path]


@contextmanager
def local_push_service() -> Iterator[LocalPushService]:
    service = LocalPushService()

    class Handler(BaseHTTPRequestHandler):
        timeout = SOCKET_TIMEOUT

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            service.received.append(Received(self.path, self.headers, body))
            self.send_response(service.answers.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = SOCKET_TIMEOUT
    service.origin = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=SOCKET_TIMEOUT)


@dataclass
class Browser:
    """One browser's subscription keys (what ``pushManager.subscribe`` makes)."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @staticmethod
    def key_bytes(text: str) -> bytes:
        return unb64url(text)

    def subscription(self) -> dict[str, Any]:
        """``PushSubscription.toJSON()``."""
        public = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)},
        }

    def decrypt(self, received: Received) -> dict[str, Any]:
        """The payload, decrypted with this browser's private key (aes128gcm)."""
        assert received.headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            received.body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        payload: dict[str, Any] = json.loads(plain)
        return payload


def verified_vapid_claims(received: Received, server_public_key: str) -> dict[str, Any]:
    """The claims of the request's ``Authorization: vapid t=<JWT>,k=<key>`` after checking
    that ``k`` is the server's public key and the JWT's ES256 signature is made with it
    (checked here with ``cryptography`` alone, not with the library that signed it)."""
    scheme, _, params = received.headers["Authorization"].partition(" ")
    assert scheme == "vapid", received.headers["Authorization"]
    parts = dict(item.strip().split("=", 1) for item in params.split(","))
    assert parts["k"].rstrip("=") == server_public_key.rstrip("=")
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    assert json.loads(unb64url(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64url(signature_b64)
    assert len(signature) == 64
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    key.verify(  # raises InvalidSignature
        encode_dss_signature(int.from_bytes(signature[:32]), int.from_bytes(signature[32:])),
        f"{header_b64}.{claims_b64}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims: dict[str, Any] = json.loads(unb64url(claims_b64))
    assert claims["exp"] > time.time()
    return claims
