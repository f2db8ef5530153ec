"""JSON API for units: scoped lists with villages, officers and coverage."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.errors import ApplicationError

from .models import Unit, UnitLevel
from .selectors import unit_rows, unit_villages


class UnitRowSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    level = serializers.CharField(source="unit.level")
    # Shadows Serializer.parent for the type checker only; DRF moves declared fields away.
    parent = serializers.CharField(  # type: ignore[assignment]
        source="unit.parent.code", allow_null=True, default=None
    )
    timezone = serializers.CharField(source="unit.timezone")
    villages = serializers.IntegerField()
    covered = serializers.IntegerField()
    officers = serializers.IntegerField()
    coverage = serializers.FloatField(allow_null=True)


class UnitVillageSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    district = serializers.CharField(source="parent.name")
    unit = serializers.CharField(source="jurisdiction.unit.code")
    officer_nrp = serializers.CharField(allow_null=True)
    officer_name = serializers.CharField(allow_null=True)


class UnitListView(generics.GenericAPIView[Any]):
    serializer_class = UnitRowSerializer

    @extend_schema(
        responses=UnitRowSerializer(many=True),
        parameters=[
            OpenApiParameter("parent", str, description="only the children of this unit code"),
            OpenApiParameter("level", str, enum=UnitLevel.values),
        ],
    )
    def get(self, request: Request) -> Response:
        """Units in the caller's scope, each with counts over its subtree."""
        units: QuerySet[Unit] = access.units_for_user(request.user).select_related("parent")
        if parent := request.query_params.get("parent"):
            units = units.filter(parent__code=parent)
        if level := request.query_params.get("level"):
            if level not in UnitLevel.values:
                raise ApplicationError(
                    "Unknown level.",
                    fields={"level": [f"Use one of {', '.join(UnitLevel.values)}."]},
                )
            units = units.filter(level=level)
        page = self.paginate_queryset(units.order_by("path"))
        rows = unit_rows(units.filter(pk__in=[u.pk for u in page or []]).select_related("parent"))
        return self.get_paginated_response(UnitRowSerializer(rows, many=True).data)


class UnitDetailView(generics.GenericAPIView[Any]):
    serializer_class = UnitRowSerializer

    def get(self, request: Request, code: str) -> Response:
        """One unit in the caller's scope, with counts over its subtree."""
        unit = access.access_unit(request.user, code)
        row = unit_rows(Unit.objects.filter(pk=unit.pk).select_related("parent"))[0]
        return Response(UnitRowSerializer(row).data)


class UnitVillagesView(generics.GenericAPIView[Any]):
    serializer_class = UnitVillageSerializer

    @extend_schema(
        responses=UnitVillageSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "uncovered", bool, description="only villages without an active officer"
            )
        ],
    )
    def get(self, request: Request, code: str) -> Response:
        """The villages in a unit's jurisdiction subtree with their active officer."""
        unit = access.access_unit(request.user, code)
        villages = unit_villages(
            unit, uncovered_only=request.query_params.get("uncovered") in ("1", "true")
        )
        page = self.paginate_queryset(villages)
        return self.get_paginated_response(UnitVillageSerializer(page, many=True).data)
