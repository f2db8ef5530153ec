from __future__ import annotations

from django.contrib import admin

from .models import Activation, ApiToken


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

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "created_by", "created_at", "expires_at", "used_at", "revoked_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
