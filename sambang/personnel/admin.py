from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _

from sambang.accounts import privileges
from sambang.accounts.admin import issue_enrolment_links
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.uploads import accepts_photos

from .forms import OfficerAdminForm
from .models import Assignment, Officer, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts. Their privileges (role, unit, staff and superuser status, groups and
    permissions) are changed only by an administrator, never on their own account, and
    every change is audited (``accounts.privileges``)."""

    list_display = ["username", "first_name", "last_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    raw_id_fields = ["unit"]
    actions = [issue_enrolment_links]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Role and unit"), {"fields": ["role", "unit"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Role and unit"), {"fields": ["role", "unit"]}),
    ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return privileges.checked_form(
            form,
            by=request.user,
            watched={*privileges.FIELDS, "groups", "user_permissions"},
            accounts=lambda account: [account if account.pk else None],
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(
                user=request.user,
                action=AuditAction.CREATE,
                target=obj,
                request=request,
                change="account_created",
                role=obj.role,
                unit=obj.unit.code if obj.unit else None,
                via="admin",
            )


class AssignmentInline(admin.TabularInline[Assignment, Officer]):
    model = Assignment
    raw_id_fields = ["village"]
    extra = 0


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin[Officer]):
    form = OfficerAdminForm  # the photo is stored re-encoded
    list_display = ["nrp", "name", "rank", "unit", "status", "dikbangspes_done"]
    list_filter = ["status", "rank", "education", "dikbangspes_done"]
    search_fields = ["nrp", "name"]
    raw_id_fields = ["unit", "user"]
    inlines = [AssignmentInline]

    def get_urls(self) -> list[URLPattern]:
        urls = super().get_urls()
        for url in urls:
            if url.name and url.name.endswith(("_add", "_change")):
                accepts_photos("photo", 1)(url.callback)  # its body bounded like every photo's
        return urls


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    list_display = ["officer", "village", "start_date", "end_date"]
    list_filter = ["end_date"]
    search_fields = ["officer__nrp", "officer__name", "village__code", "village__name"]
    raw_id_fields = ["officer", "village"]
