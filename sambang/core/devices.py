"""Which browser or phone a request comes from, and from which network, so that officers
cannot vouch for themselves.

Every browser gets a random, long-lived cookie; API clients send the same kind of id
in the ``X-Sambang-Device`` header. Only a keyed hash of it, and of the address, is ever
stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from .addresses import client_address

COOKIE = "sambang_device"
HEADER = "HTTP_X_SAMBANG_DEVICE"
_MAX_AGE = 2 * 365 * 24 * 3600


def device_of(request: HttpRequest) -> str:
    """The hashed device id of a request ("" when it carries none)."""
    raw = (
        request.META.get(HEADER)
        or getattr(request, "_sambang_device", "")
        or request.COOKIES.get(COOKIE, "")
    )
    return salted_hmac("sambang.device", raw[:200]).hexdigest() if raw else ""


def network_of(request: HttpRequest) -> str:
    """The hashed address a request came from ("" when unknown): an officer's confirmations
    of his own visits would come from the networks he works from."""
    address = client_address(request)
    return salted_hmac("sambang.network", address).hexdigest() if address else ""


class DeviceCookieMiddleware:
    """Give every browser a device cookie on its first visit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        new = None
        if COOKIE not in request.COOKIES and HEADER not in request.META:
            new = secrets.token_urlsafe(24)
            request._sambang_device = new  # type: ignore[attr-defined]
        response = self.get_response(request)
        if new is not None:
            response.set_cookie(
                COOKIE,
                new,
                max_age=_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
