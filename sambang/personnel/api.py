"""JSON API for officers and their village assignments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.openapi import error_responses
from sambang.core.validators import field_lookup, plausible_date

from . import services
from .models import Assignment, Officer, OfficerStatus
from .selectors import officer_assignments


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    officer_nrp = serializers.CharField(source="officer.nrp")
    officer_name = serializers.CharField(source="officer.name")
    village_name = serializers.CharField(source="village.name")
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "officer_nrp",
            "officer_name",
            "village",
            "village_name",
            "area",
            "is_contact",
            "start_date",
            "end_date",
            "active",
        ]


class OfficerSerializer(serializers.ModelSerializer[Officer]):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    village_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Officer
        fields = [
            "nrp",
            "name",
            "rank",
            "unit",
            "unit_name",
            "phone",
            "education",
            "dikbangspes_done",
            "dikbangspes_year",
            "trainings",
            "other_duties",
            "status",
            "village_count",
        ]


class OfficerDetailSerializer(OfficerSerializer):
    assignments = serializers.SerializerMethodField()

    class Meta(OfficerSerializer.Meta):
        fields = [*OfficerSerializer.Meta.fields, "assignments"]

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, officer: Officer) -> Any:
        return AssignmentSerializer(officer_assignments(officer), many=True).data


def _officers(request: Request) -> QuerySet[Officer]:
    return (
        access.officers_for_user(request.user)
        .select_related("unit")
        .annotate(village_count=Count("assignments", filter=Q(assignments__end_date__isnull=True)))
        .order_by("name")
    )


class OfficerListView(generics.ListAPIView[Officer]):
    """Officers in the caller's scope (an officer: only themselves)."""

    serializer_class = OfficerSerializer

    @error_responses(404)
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="name contains, or NRP starts with"),
            OpenApiParameter("unit", str, description="only this unit's subtree (unit code)"),
            OpenApiParameter("status", str, enum=OfficerStatus.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Officer]:
        officers = _officers(self.request)
        params = self.request.query_params
        if q := params.get("q"):
            officers = officers.filter(Q(name__icontains=q) | Q(nrp__startswith=q))
        if unit := params.get("unit"):
            officers = officers.filter(
                unit__path__startswith=access.access_unit(self.request.user, unit).path
            )
        if state := params.get("status"):
            officers = officers.filter(status=state)
        return officers


class OfficerDetailView(generics.RetrieveAPIView[Officer]):
    """One officer in the caller's scope, with the assignment history."""

    serializer_class = OfficerDetailSerializer

    def get_object(self) -> Officer:
        officer = access.access_officer(self.request.user, self.kwargs["nrp"])
        return _officers(self.request).get(pk=officer.pk)


class AssignmentStartSerializer(serializers.Serializer[Any]):
    officer = serializers.CharField(max_length=8, help_text="the officer's NRP")
    village = serializers.CharField(max_length=13, help_text="the village code")
    start_date = serializers.DateField(validators=[plausible_date])
    area = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="the part of the village covered (e.g. RW 01-05); empty: the whole village",
    )
    contact = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="make this officer the village's contact for residents (default: only "
        "when the village has none)",
    )


class AssignmentEndSerializer(serializers.Serializer[Any]):
    end_date = serializers.DateField(default=dt.date.today, validators=[plausible_date])


def _require_manager(request: Request) -> None:
    if not access.can_manage_assignments(request.user):
        raise PermissionDenied("Only supervisors assign officers to villages.")


class AssignmentCreateView(generics.GenericAPIView[Assignment]):
    serializer_class = AssignmentStartSerializer

    @error_responses(404)
    @extend_schema(responses={201: AssignmentSerializer})
    def post(self, request: Request) -> Response:
        """Make an officer a Bhabinkamtibmas of a village (both in the caller's scope); a
        village may have several, one of them its contact for residents."""
        _require_manager(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        officer = field_lookup(
            "officer", lambda: access.access_officer(request.user, values["officer"])
        )
        village = field_lookup(
            "village", lambda: access.access_village(request.user, values["village"])
        )
        assignment = services.assignment_start(
            officer=officer,
            village=village,
            start_date=values["start_date"],
            area=values["area"],
            contact=values["contact"],
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentEndView(generics.GenericAPIView[Assignment]):
    serializer_class = AssignmentEndSerializer

    @error_responses(409)
    @extend_schema(responses=AssignmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """End an active assignment; it stays in the history."""
        _require_manager(request)
        assignment = access.access_assignment(request.user, pk)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assignment_end(assignment=assignment, end_date=data.validated_data["end_date"])
        return Response(AssignmentSerializer(assignment).data)


class AssignmentContactView(generics.GenericAPIView[Assignment]):
    serializer_class = AssignmentSerializer

    @error_responses(409)
    @extend_schema(request=None, responses=AssignmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Make an active assignment's officer the village's contact for residents."""
        _require_manager(request)
        assignment = access.access_assignment(request.user, pk)
        services.assignment_make_contact(assignment=assignment)
        return Response(AssignmentSerializer(assignment).data)
