"""The address a request came from, behind as many reverse proxies as the deployment says."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when unknown.

    With ``SAMBANG_TRUSTED_PROXIES = n`` (the load balancers and proxies in front of the app),
    the client is the n-th address from the right of ``X-Forwarded-For``: each trusted proxy
    appends the address it received from, and anything further left was written by the
    client and can be forged. With no trusted proxy the header is ignored.
    """
    trusted = settings.SAMBANG_TRUSTED_PROXIES
    if trusted > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR") or None
