"""Request types for views that only signed-in users reach (LoginRequiredMiddleware)."""

from __future__ import annotations

from django.http import HttpRequest

from sambang.personnel.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
