"""JSON API of the incident register and of persons of interest (restricted, audited)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.validators import plausible_date
from sambang.fieldwork.selectors import date_param
from sambang.personnel.models import User

from . import incidents as services
from .models import Incident, IncidentCategory, IncidentStatus, PersonOfInterest


def _user(request: Request) -> User:
    return cast(User, request.user)


class CategorySerializer(serializers.ModelSerializer[IncidentCategory]):
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None)
    display_name = serializers.CharField(source="label")

    class Meta:
        model = IncidentCategory
        fields = ["code", "display_name", "name", "name_en", "parent_code", "social_conflict"]


class CategoryListView(generics.ListAPIView[IncidentCategory]):
    """The incident category tree, parents first."""

    serializer_class = CategorySerializer
    pagination_class = None
    queryset = IncidentCategory.objects.select_related("parent").order_by("parent__code", "code")


class _IncidentListSerializer(serializers.ListSerializer[Incident]):
    def to_representation(self, data: Any) -> list[Any]:
        incidents = list(data.all() if hasattr(data, "all") else data)
        assert isinstance(self.child, IncidentSerializer)
        self.child.find_visible_links(incidents)
        return super().to_representation(incidents)


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    category = serializers.CharField(source="category.code")
    village_name = serializers.CharField(source="village.name")
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    reports = serializers.SerializerMethodField()
    citizen_reports = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        list_serializer_class = _IncidentListSerializer
        fields = [
            "id", "category", "occurred_at", "village", "village_name", "unit", "latitude",
            "longitude", "description", "modus_operandi", "groups_involved", "dead", "injured",
            "losses_idr", "status", "reports", "citizen_reports", "recorded_at",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._visible: tuple[set[Any], set[int]] | None = None

    def find_visible_links(self, incidents: list[Incident]) -> None:
        """Which linked records of ``incidents`` the reader may open: two queries for a
        whole page, rather than two per incident."""
        reader = self.context["request"].user
        reports = [r.pk for incident in incidents for r in incident.reports.all()]
        citizen = [r.pk for incident in incidents for r in incident.citizen_reports.all()]
        self._visible = (
            set(
                access.reports_for_user(reader)
                .filter(pk__in=reports)
                .values_list("uuid", flat=True)
            ),
            set(
                access.citizen_reports_for_user(reader)
                .filter(pk__in=citizen)
                .values_list("pk", flat=True)
            ),
        )

    def _visible_links(self, incident: Incident) -> tuple[set[Any], set[int]]:
        if self._visible is None:  # one incident, not a list
            self.find_visible_links([incident])
        assert self._visible is not None
        return self._visible

    def get_reports(self, incident: Incident) -> list[str]:
        """Linked activity reports (among them mediations and early-detection reports) that
        the reader may open."""
        visible, _citizen = self._visible_links(incident)
        return [str(r.uuid) for r in incident.reports.all() if r.uuid in visible]

    def get_citizen_reports(self, incident: Incident) -> list[str]:
        """Tracking codes of the residents' reports about this incident that the reader may
        open."""
        _reports, visible = self._visible_links(incident)
        return [r.tracking_code for r in incident.citizen_reports.all() if r.pk in visible]


class IncidentWriteSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(max_length=40)
    occurred_at = serializers.DateTimeField(validators=[plausible_date])
    village = serializers.CharField(max_length=13)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    description = serializers.CharField(max_length=4000)
    modus_operandi = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    groups_involved = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    dead = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    injured = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    losses_idr = serializers.IntegerField(min_value=0, max_value=10**15, required=False)
    status = serializers.ChoiceField(IncidentStatus.choices, required=False)
    reports = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="UUIDs of activity reports"
    )
    citizen_reports = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        help_text="Tracking codes of residents' reports",
    )


def _incidents(request: Request) -> QuerySet[Incident]:
    incidents = access.incidents_for_user(request.user).select_related(
        "category", "village", "unit"
    )
    params = request.query_params
    if value := params.get("category"):
        incidents = incidents.filter(Q(category__code=value) | Q(category__parent__code=value))
    if value := params.get("status"):
        incidents = incidents.filter(status=value)
    for name, lookup in (("from", "occurred_at__date__gte"), ("to", "occurred_at__date__lte")):
        if params.get(name):
            day = date_param(params, name)
            if day is None:
                raise serializers.ValidationError({name: ["Use a date as YYYY-MM-DD."]})
            incidents = incidents.filter(**{lookup: day})
    return incidents.prefetch_related("reports", "citizen_reports").order_by("-occurred_at", "-id")


class IncidentListView(generics.ListCreateAPIView[Incident]):
    """Incidents of the caller's units (an officer: of their villages)."""

    serializer_class = IncidentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "category", str, description="a category code, with its sub-categories"
            ),
            OpenApiParameter("status", str, enum=IncidentStatus.values),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Incident]:
        return _incidents(self.request)

    @extend_schema(request=IncidentWriteSerializer, responses={201: IncidentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record an incident in one of the caller's villages."""
        if not access.can_edit_village(request.user):
            raise PermissionDenied("Administrators do not record incidents.")
        data = IncidentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        incident = services.incident_record(user=_user(request), data=dict(data.validated_data))
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)


class IncidentDetailView(generics.GenericAPIView[Incident]):
    serializer_class = IncidentSerializer

    def get(self, request: Request, pk: int) -> Response:
        """One incident with its links."""
        return Response(self.get_serializer(access.access_incident(request.user, pk)).data)

    @extend_schema(request=IncidentWriteSerializer(partial=True))
    def patch(self, request: Request, pk: int) -> Response:
        """Change an incident as it is handled."""
        incident = access.access_incident(request.user, pk)
        data = IncidentWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.incident_update(
            incident=incident, user=_user(request), changes=dict(data.validated_data)
        )
        return Response(self.get_serializer(incident).data)


class PersonSerializer(serializers.ModelSerializer[PersonOfInterest]):
    village_name = serializers.CharField(source="village.name")
    unit = serializers.CharField(source="unit.code")
    incidents: serializers.PrimaryKeyRelatedField[Incident] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = PersonOfInterest
        fields = [
            "id",
            "name",
            "alias",
            "village",
            "village_name",
            "unit",
            "note",
            "incidents",
            "recorded_at",
            "retain_until",
        ]


# Record ids are 64-bit (BigAutoField): a larger number names no record, and the
# database cannot even compare it.
DATABASE_ID_MAX = 2**63 - 1


class PersonWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    alias = serializers.CharField(max_length=120, required=False, allow_blank=True)
    village = serializers.CharField(max_length=13)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    incidents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=DATABASE_ID_MAX), required=False
    )


def _require_persons(request: Request) -> None:
    if not access.sees_persons(request.user):
        raise PermissionDenied("Persons of interest are for Polres and above.")


def audited(request: Any, persons: list[PersonOfInterest]) -> list[PersonOfInterest]:
    """Write one audit event for each person whose record is shown."""
    for person in persons:
        audit_record(
            user=request.user, action=AuditAction.VIEW_RESTRICTED, target=person, request=request
        )
    return persons


class PersonListView(generics.ListCreateAPIView[PersonOfInterest]):
    """Persons of interest of the caller's units (Polres and above; each read is audited)."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[PersonOfInterest]:
        return (
            access.persons_for_user(self.request.user)
            .select_related("village", "unit")
            .prefetch_related("incidents")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_persons(request)
        page = self.paginate_queryset(self.get_queryset())
        rows = audited(request, list(page or []))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_persons(request)
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_record(user=_user(request), data=dict(data.validated_data))
        audit_record(user=request.user, action=AuditAction.CREATE, target=person, request=request)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailView(generics.GenericAPIView[PersonOfInterest]):
    serializer_class = PersonSerializer

    def get(self, request: Request, pk: int) -> Response:
        """One person of interest; the read is written to the audit log."""
        _require_persons(request)
        person = access.access_person(request.user, pk)
        return Response(self.get_serializer(audited(request, [person])[0]).data)
