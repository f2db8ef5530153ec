from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from sambang import access
from sambang.core.errors import ApplicationError, error_text
from sambang.personnel.models import User

from . import enrolment, privileges, provisioning
from .models import Activation, ApiToken
from .provisioning_views import printed_enrolments


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Administrators see every token and revoke one by deleting it; keys are never shown."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Activation)
class ActivationAdmin(admin.ModelAdmin[Activation]):
    """Issued activations, read only: they are made by ``sambang accounts`` and the
    supervisors' pages (which audit them), and their codes are never stored."""

    list_display = [
        "user",
        "purpose",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    list_select_related = ["user", "created_by"]
    list_filter = ["purpose"]
    search_fields = ["user__username"]
    readonly_fields = [
        "user",
        "purpose",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    """Authenticators, never their secrets. An administrator resets one (a lost phone) by
    deleting it, which issues the enrolment link for the next (``enrolment``); nobody adds
    or edits one here, since whoever chose its key would hold the second factor."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        if not access.can_provision_accounts(request.user):
            return False
        if obj is None:
            return True
        by = cast(User, request.user)
        return obj.user.is_active and provisioning.authority_problem(by, obj.user) is None

    def get_actions(self, request: HttpRequest) -> Any:
        # One at a time: each reset prints its own link.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        request._sambang_issued = enrolment.two_factor_reset(  # type: ignore[attr-defined]
            device=obj, by=cast(User, request.user), request=request
        )

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> HttpResponse:
        issued = getattr(request, "_sambang_issued", None)
        if issued is None:
            return super().response_delete(request, obj_display, obj_id)
        return printed_enrolments(request, [issued])


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups; a change of a group's permissions is a change of its members' privileges
    (``privileges``): refused to its members, audited."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return privileges.checked_form(
            form,
            by=request.user,
            watched={"permissions"},
            accounts=lambda group: list(group.user_set.all()) if group.pk else [None],
        )


@admin.action(description=gettext_lazy("Issue two-factor enrolment links"))
def issue_enrolment_links(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: Any
) -> HttpResponse | None:
    """The Django admin's action on accounts: a two-factor enrolment link for each (an
    account without a usable password: a full activation), printed once."""
    issued = []
    for account in queryset:
        try:
            issued.append(
                enrolment.enrolment_issue(
                    user=account, by=cast(User, request.user), request=request
                )
            )
        except ApplicationError as error:
            messages.error(request, f"{account.username}: {error_text(error)}")
    if not issued:
        return None
    return printed_enrolments(request, issued)
