from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Assignment, Officer, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    raw_id_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Role and unit"), {"fields": ["role", "unit"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Role and unit"), {"fields": ["role", "unit"]}),
    ]


class AssignmentInline(admin.TabularInline[Assignment, Officer]):
    model = Assignment
    raw_id_fields = ["village"]
    extra = 0


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin[Officer]):
    list_display = ["nrp", "name", "rank", "unit", "status", "dikbangspes_done"]
    list_filter = ["status", "rank", "education", "dikbangspes_done"]
    search_fields = ["nrp", "name"]
    raw_id_fields = ["unit", "user"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    list_display = ["officer", "village", "start_date", "end_date"]
    list_filter = ["end_date"]
    search_fields = ["officer__nrp", "officer__name", "village__code", "village__name"]
    raw_id_fields = ["officer", "village"]
