"""VAPID keys (RFC 8292): the pair that signs every push message, in the form browsers and
push services use (base64url, no padding): the private key as its 32-byte number, the
public key as its 65-byte uncompressed P-256 point (the page's ``applicationServerKey``).

Imports nothing of Django's apps: the settings read the demo's pair through it.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without its padding (ValueError when it is not)."""
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(key: ec.EllipticCurvePublicKey) -> str:
    return b64url(key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def new_key_pair() -> tuple[str, str]:
    """A new (public, private) pair."""
    private = ec.generate_private_key(ec.SECP256R1())
    number = private.private_numbers().private_value.to_bytes(32, "big")
    return public_key_text(private.public_key()), b64url(number)


def private_key_from_text(text: str) -> ec.EllipticCurvePrivateKey:
    """The private key of ``new_key_pair``'s second half (ValueError when it is not one)."""
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("a VAPID private key is 32 bytes")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def key_pair_problem(public: str, private: str) -> str | None:
    """Why the pair cannot sign (None: it can)."""
    try:
        key = private_key_from_text(private)
    except ValueError:
        return "SAMBANG_VAPID_PRIVATE_KEY is not a base64url P-256 private key (32 bytes)."
    if public_key_text(key.public_key()) != public.strip().rstrip("="):
        return "SAMBANG_VAPID_PUBLIC_KEY is not the public half of SAMBANG_VAPID_PRIVATE_KEY."
    return None


def demo_key_pair(path: Path) -> tuple[str, str]:
    """The demo's own pair, made once and kept in ``path`` (readable by its owner only), so
    that browsers subscribed to the demo stay subscribed across restarts."""
    try:
        stored = json.loads(path.read_text())
        return str(stored["public"]), str(stored["private"])
    except (OSError, ValueError, KeyError):
        pass
    public, private = new_key_pair()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump({"public": public, "private": private}, file)
    return public, private
