"""API token authentication against hashed keys, and the sign-in lock-out backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from sambang.personnel.auth import demo_refused

from . import lockout
from .models import ApiToken, key_digest

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's SHA-256 digest."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        # The officer (and unit) of the user come with it: every officer's request needs them.
        # get(), not first(): the digest is unique, and first() would sort (by creation).
        tokens = ApiToken.objects.select_related("user__officer__unit")
        try:
            token = tokens.get(digest=key_digest(key))
        except ApiToken.DoesNotExist:
            token = None
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if demo_refused(token.user):
            raise exceptions.AuthenticationFailed(_("Demo accounts work only in demo mode."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


class LockoutBackend(AxesStandaloneBackend):
    """The checks before any password is compared: django-axes' locks (an account from an
    address, an address) and the account's progressive delay (``lockout``, where the choice
    is explained). Sign-ins without a request (a shell, the test client's ``login``) are not
    network attempts and are left to the other backends."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        try:
            super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, lockout.REFUSED, True)
            raise
        wait = lockout.wait_seconds(request, username or "")
        if wait:
            setattr(request, lockout.REFUSED, True)
            setattr(request, lockout.RETRY_AFTER, wait)
            request.axes_locked_out = True  # type: ignore[attr-defined]  # AxesMiddleware answers
            raise AxesBackendPermissionDenied("the account's delay after failed sign-ins")
        return None
