from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from .models import Jurisdiction, Unit
from .services import unit_path


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["code", "name", "level", "parent", "timezone"]
    list_filter = ["level", "timezone"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]
    raw_id_fields = ["parent"]

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        """Keep the materialized paths of the unit and its subtree in step with a move."""
        old_path = Unit.objects.get(pk=obj.pk).path if change else None
        obj.path = unit_path(obj.code, obj.parent)
        super().save_model(request, obj, form, change)
        if old_path and old_path != obj.path:
            for unit in Unit.objects.filter(path__startswith=old_path).exclude(pk=obj.pk):
                unit.path = obj.path + unit.path[len(old_path) :]
                unit.save(update_fields=["path"])


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin[Jurisdiction]):
    list_display = ["village", "unit"]
    search_fields = ["village__code", "village__name", "unit__code", "unit__name"]
    raw_id_fields = ["village", "unit"]
