"""Partners are held to their pages.

A partner's account (Babinsa, village head, FKPM chair) opens the public pages, its own
account's pages and the partners' pages, nothing else: every other page answers 403
whatever it would show them (``PartnerRoutesMiddleware``), and the JSON API refuses them
(``NotPartner``, the API's default permission). What a partners' page shows is in turn
limited to the partner's villages by ``sambang.access``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rest_framework.permissions import IsAuthenticated

from sambang.personnel.models import Role

PARTNER_PAGES = frozenset(
    {
        "core:home",  # to the partners' home
        "logout",
        "password_change",
        "password_change_done",
        "accounts:security",
        "accounts:two_factor_enable",
        "accounts:two_factor_disable",
        "partners:home",
        "partners:village",
        "partners:activity",
        "partners:note_new",
    }
)


def _is_partner(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.role == Role.PARTNER)


class PartnerRoutesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if not _is_partner(getattr(request, "user", None)):
            return None
        if request.path_info.startswith("/api/"):
            return None  # the API's own permission refuses them (``NotPartner``)
        if getattr(view_func, "login_required", True) is False:
            return None  # public: open to anyone
        match = request.resolver_match
        if match is not None and match.view_name in PARTNER_PAGES:
            return None
        raise PermissionDenied


class NotPartner(IsAuthenticated):
    """The API's default permission: signed in, and not a partner."""

    message = "Partners use the partners' pages; the API is not open to them."

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and not _is_partner(request.user)
