"""JSON API of village knowledge: the profile (with its history) and its records."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.validators import plausible_date, storable_json
from sambang.territory.models import Region

from . import services
from .models import (
    Factor,
    KeyFigure,
    Level,
    Partner,
    PoskamlingPost,
    VillageProfile,
    VulnerabilityFactor,
    VulnerableSpot,
)


def _village(request: Request, code: str, *, edit: bool = False) -> Region:
    village = access.access_village(request.user, code)
    if edit and not access.can_edit_village(request.user):
        raise PermissionDenied(
            "Only the village's officer and supervisors change what is known of it."
        )
    return village


class FactorSerializer(serializers.Serializer[Any]):
    factor = serializers.ChoiceField(Factor.choices)
    level = serializers.ChoiceField(Level.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProfileSerializer(serializers.ModelSerializer[VillageProfile]):
    factors = FactorSerializer(many=True, required=False)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = VillageProfile
        fields = [
            "households", "rt_count", "rw_count", "livelihoods", "religions", "ethnic_groups",
            "geography", "access_notes", "updated_at", "factors",
        ]  # fmt: skip
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "religions": {"validators": [storable_json]},
            "ethnic_groups": {"validators": [storable_json]},
        }


class ProfileView(generics.GenericAPIView[VillageProfile]):
    serializer_class = ProfileSerializer

    def get(self, request: Request, code: str) -> Response:
        """A village's profile and vulnerability characteristics (Kakerda)."""
        village = _village(request, code)
        profile = VillageProfile.objects.filter(village=village).prefetch_related("factors").first()
        # A village nobody has described yet has an empty profile (never saved): the same
        # fields, empty, as the document says.
        return Response(self.get_serializer(profile or VillageProfile(village=village)).data)

    def put(self, request: Request, code: str) -> Response:
        """Change the profile; the history keeps who changed what."""
        village = _village(request, code, edit=True)
        data = self.get_serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        profile = services.profile_update(village=village, data=dict(data.validated_data))
        return Response(self.get_serializer(profile).data)


class ChangeSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(source="history_date")
    by = serializers.CharField(source="history_user.username", allow_null=True, default=None)
    kind = serializers.CharField()
    record = serializers.CharField()
    change = serializers.ChoiceField(["created", "changed", "deleted"])
    changed_fields = serializers.ListField(child=serializers.CharField(), source="fields")


_CHANGE = {"+": "created", "~": "changed", "-": "deleted"}


def profile_history(village: Region) -> list[dict[str, Any]]:
    """Every change to the profile and its checklist, newest first, with the fields changed."""
    rows: list[dict[str, Any]] = []
    sources: list[tuple[str, QuerySet[Any]]] = [
        ("profile", VillageProfile.history.filter(village_id=village.code)),
        ("factor", VulnerabilityFactor.history.filter(profile_id=village.code)),
    ]
    for kind, history in sources:
        for record in history.select_related("history_user").order_by("history_date"):
            previous = record.prev_record
            changed = [c.field for c in record.diff_against(previous).changes] if previous else []
            rows.append(
                {
                    "history_date": record.history_date,
                    "history_user": record.history_user,
                    "kind": kind,
                    "record": getattr(record, "factor", village.code),
                    "change": _CHANGE[record.history_type],
                    "fields": changed,
                }
            )
    return sorted(rows, key=lambda r: r["history_date"], reverse=True)


class ProfileHistoryView(generics.GenericAPIView[VillageProfile]):
    serializer_class = ChangeSerializer
    pagination_class = None

    @extend_schema(responses=ChangeSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        """Who changed the village profile and its checklist, when, and which fields."""
        return Response(ChangeSerializer(profile_history(_village(request, code)), many=True).data)


class FigureSerializer(serializers.ModelSerializer[KeyFigure]):
    class Meta:
        model = KeyFigure
        fields = ["id", "kind", "name", "role", "phone", "influence", "note"]


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    recent_reports = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            "id",
            "kind",
            "name",
            "contact",
            "phone",
            "members",
            "active",
            "note",
            "recent_reports",
        ]

    def get_recent_reports(self, partner: Partner) -> list[str]:
        """The partner's activity: the latest reports they took part in that the reader sees."""
        reader = self.context["request"].user
        reports = access.reports_for_user(reader).filter(partner_records=partner)
        return [
            str(u) for u in reports.order_by("-occurred_at").values_list("uuid", flat=True)[:20]
        ]


class PostSerializer(serializers.ModelSerializer[PoskamlingPost]):
    class Meta:
        model = PoskamlingPost
        fields = ["id", "name", "latitude", "longitude", "active", "roster"]
        extra_kwargs = {"roster": {"validators": [storable_json]}}


class SpotSerializer(serializers.ModelSerializer[VulnerableSpot]):
    class Meta:
        model = VulnerableSpot
        fields = ["id", "category", "level", "latitude", "longitude", "note", "last_reviewed"]
        extra_kwargs = {"last_reviewed": {"validators": [plausible_date]}}


def _records(model: type[Model], village: Region) -> QuerySet[Any]:
    return model._default_manager.filter(village=village)


class RecordListView(generics.GenericAPIView[Any]):
    """A village's records of one kind; the village's officer and supervisors add to them."""

    model: type[Model]
    pagination_class = None

    def get(self, request: Request, code: str) -> Response:
        village = _village(request, code)
        return Response(self.get_serializer(_records(self.model, village), many=True).data)

    def post(self, request: Request, code: str) -> Response:
        village = _village(request, code, edit=True)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.record_save(
            record=self.model(), village=village, data=dict(data.validated_data)
        )
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class RecordDetailView(generics.GenericAPIView[Any]):
    model: type[Model]

    def _record(
        self, request: Request, code: str, pk: int, *, edit: bool = False
    ) -> tuple[Region, Model]:
        village = _village(request, code, edit=edit)
        return village, access.access_village_record(village, self.model, pk)

    def get(self, request: Request, code: str, pk: int) -> Response:
        return Response(self.get_serializer(self._record(request, code, pk)[1]).data)

    def patch(self, request: Request, code: str, pk: int) -> Response:
        village, record = self._record(request, code, pk, edit=True)
        data = self.get_serializer(record, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.record_save(record=record, village=village, data=dict(data.validated_data))
        return Response(self.get_serializer(record).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, code: str, pk: int) -> Response:
        self._record(request, code, pk, edit=True)[1].delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def record_views(
    model: type[Model], serializer: type[serializers.ModelSerializer[Any]], label: str, kind: str
) -> tuple[Any, Any]:
    """The list and the detail view of one kind of village record."""
    names = {"model": model, "serializer_class": serializer}
    listing = cast(
        type[RecordListView],
        type(
            f"{model.__name__}ListView",
            (RecordListView,),
            {**names, "__doc__": f"A village's {label}."},
        ),
    )
    detail = cast(
        type[RecordDetailView],
        type(
            f"{model.__name__}DetailView",
            (RecordDetailView,),
            {**names, "__doc__": f"One of a village's {label}."},
        ),
    )
    listing = extend_schema_view(
        get=extend_schema(operation_id=f"village_{kind}_list", responses=serializer(many=True)),
        post=extend_schema(responses={201: serializer}),
    )(listing)
    return listing.as_view(), detail.as_view()


FIGURE_VIEWS = record_views(KeyFigure, FigureSerializer, "key figures", "figures")
PARTNER_VIEWS = record_views(Partner, PartnerSerializer, "partners", "partners")
POST_VIEWS = record_views(PoskamlingPost, PostSerializer, "poskamling posts", "posts")
SPOT_VIEWS = record_views(VulnerableSpot, SpotSerializer, "vulnerable spots", "spots")
