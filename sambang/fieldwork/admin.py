"""Administrators keep the activity catalogue; field records are not master data."""

from __future__ import annotations

from django.contrib import admin

from .models import ActivityType


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin[ActivityType]):
    list_display = [
        "code",
        "name",
        "name_en",
        "group",
        "required_fields",
        "night_work",
        "sort_order",
        "active",
    ]
    list_editable = ["sort_order", "active"]
    list_filter = ["group", "night_work", "active"]
    search_fields = ["code", "name", "name_en"]
