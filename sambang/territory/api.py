"""JSON API for regions (master data) and villages (scoped, with their officers)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.openapi import error_responses
from sambang.personnel.api import AssignmentSerializer
from sambang.personnel.selectors import village_assignments

from .models import Region, RegionLevel
from .selectors import locate_village


class RegionSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "level",
            "kind",
            "parent",
            "centroid_lat",
            "centroid_lng",
            "population",
            "area_km2",
            "has_boundary",
        ]


class RegionDetailSerializer(RegionSerializer):
    bbox = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "bbox", "boundary"]

    def get_bbox(self, region: Region) -> list[float] | None:
        """[min_lng, min_lat, max_lng, max_lat], as in GeoJSON."""
        if region.bbox_min_lat is None:
            return None
        return [region.bbox_min_lng, region.bbox_min_lat, region.bbox_max_lng, region.bbox_max_lat]  # type: ignore[list-item]


class RegionListView(generics.ListAPIView[Region]):
    """Kemendagri regions (public master data): filter by parent, level or name."""

    serializer_class = RegionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("parent", str, description="children of this region code"),
            OpenApiParameter("level", str, enum=RegionLevel.values),
            OpenApiParameter("q", str, description="name contains"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Region]:
        regions = Region.objects.defer("boundary")
        params = self.request.query_params
        if parent := params.get("parent"):
            regions = regions.filter(parent_id=parent)
        if level := params.get("level"):
            regions = regions.filter(level=level)
        if q := params.get("q"):
            regions = regions.filter(name__icontains=q)
        return regions.order_by("code")


class RegionDetailView(generics.RetrieveAPIView[Region]):
    serializer_class = RegionDetailSerializer
    queryset = Region.objects.all()
    lookup_field = "code"


class LocateSerializer(serializers.Serializer[Any]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class LocatedSerializer(serializers.Serializer[Any]):
    village = RegionSerializer()
    method = serializers.ChoiceField(choices=["boundary", "centroid"])
    distance_m = serializers.FloatField()


class LocateView(generics.GenericAPIView[Region]):
    serializer_class = LocateSerializer

    @error_responses(404)
    @extend_schema(parameters=[LocateSerializer], responses=LocatedSerializer)
    def get(self, request: Request) -> Response:
        """The village a GPS fix lies in (by boundary, else the nearest centroid)."""
        params = LocateSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        located = locate_village(params.validated_data["lat"], params.validated_data["lng"])
        if located is None:
            raise ApplicationError(
                _("No village lies at or near this point."), code="not_found", status_code=404
            )
        return Response(LocatedSerializer(located).data)


class VillageSerializer(RegionSerializer):
    unit = serializers.CharField(source="jurisdiction.unit.code", default=None, allow_null=True)
    assignments = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "unit", "assignments"]

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, village: Region) -> Any:
        return AssignmentSerializer(village_assignments(village), many=True).data


class VillageDetailView(generics.RetrieveAPIView[Region]):
    """A village in the caller's scope, its covering unit and its officers over time."""

    serializer_class = VillageSerializer

    def get_object(self) -> Region:
        return access.access_village(self.request.user, self.kwargs["code"])
