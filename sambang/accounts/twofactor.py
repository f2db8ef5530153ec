"""Two-factor authentication with time-based one-time codes (TOTP, RFC 6238).

Supervisors, national staff and administrators must use it, and enrol it only through a
one-time link (``enrolment``); officers may, from their security page. A device is
an authenticator app (Google Authenticator, Aegis, FreeOTP…) holding a shared secret;
django-otp checks codes, tolerates one step of clock drift, refuses a code used twice
and slows down guessing after wrong codes.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def requires_two_factor(user: Any) -> bool:
    """Whether ``user`` must pass a second factor to sign in. Demo accounts, whose password
    is published, are spared so that the demo can be walked without an authenticator."""
    return user.role in settings.SAMBANG_TWO_FACTOR_ROLES and not user.is_demo


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The device an officer (whose role leaves it optional) sets up on the security page:
    created on first need, confirmed by a first good code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def check_code(device: TOTPDevice, code: str) -> str | None:
    """None when ``code`` is right; otherwise why it was refused."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return _("Too many wrong codes. Wait a minute, then try again.")
    if not device.verify_token(code.strip().replace(" ", "")):
        return _("That code is not right. Enter the 6 digits your authenticator shows now.")
    return None


def setup_context(device: TOTPDevice) -> dict[str, Any]:
    """What a page needs to enrol ``device``: a QR code and the secret for typing in."""
    qr = segno.make(device.config_url, error="m")
    return {
        "qr_svg": qr.svg_inline(scale=4, dark="#111", light="#fff"),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }
