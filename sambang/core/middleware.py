"""Deny by default: every page needs a login unless it is explicitly public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase


class LoginRequiredByDefaultMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, leaving the JSON API to its own authentication.

    Views open to anyone are marked with ``django.contrib.auth.decorators.login_not_required``.
    API views authenticate tokens inside DRF, which denies anonymous requests by default
    (``IsAuthenticated``) with the JSON error shape instead of a redirect.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
