from __future__ import annotations

from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "level", "kind", "population"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    readonly_fields = [
        "centroid_cell",
        "bbox_min_lat",
        "bbox_min_lng",
        "bbox_max_lat",
        "bbox_max_lng",
    ]
    raw_id_fields = ["parent"]
    show_full_result_count = False
