"""JSON API: the activity catalogue, plans, comments and plan vs. realization."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.openapi import error_responses
from sambang.core.validators import plausible_date

from .. import selectors, services
from ..models import ActivityType, PlanItem, PlanTarget
from .common import parse_date, request_officer, request_user


class ActivityTypeSerializer(serializers.ModelSerializer[ActivityType]):
    display_name = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = ActivityType
        fields = ["code", "display_name", "name", "name_en", "group", "required_fields"]


class ActivityTypeListView(generics.ListAPIView[ActivityType]):
    """The activity catalogue: each type with the fields its report needs."""

    serializer_class = ActivityTypeSerializer
    pagination_class = None
    queryset = ActivityType.objects.filter(active=True)


# --- plans -----------------------------------------------------------------------------


class PlanCommentSerializer(serializers.Serializer[Any]):
    author = serializers.CharField(source="author.get_full_name")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class PlanItemSerializer(serializers.ModelSerializer[PlanItem]):
    officer = serializers.CharField(source="officer.nrp")
    officer_name = serializers.CharField(source="officer.name")
    unit = serializers.CharField(source="unit.code")
    activity_type = serializers.CharField(source="activity_type.code")
    village_name = serializers.CharField(source="village.name")
    comments = PlanCommentSerializer(many=True)

    class Meta:
        model = PlanItem
        fields = [
            "uuid",
            "officer",
            "officer_name",
            "unit",
            "activity_type",
            "village",
            "village_name",
            "date",
            "start_time",
            "end_time",
            "target_kind",
            "target",
            "notes",
            "comments",
        ]


class PlanItemWriteSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField(help_text="made by the client; re-sending it is a no-op")
    activity_type = serializers.CharField(max_length=40)
    village = serializers.CharField(max_length=13)
    date = serializers.DateField(validators=[plausible_date])
    start_time = serializers.TimeField(required=False, allow_null=True)
    end_time = serializers.TimeField(required=False, allow_null=True)
    target_kind = serializers.ChoiceField(PlanTarget.choices, default=PlanTarget.OTHER)
    target = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


def _plans(request: Request) -> QuerySet[PlanItem]:
    plans = access.plans_for_user(request.user).select_related(
        "officer", "unit", "activity_type", "village"
    )
    params = request.query_params
    if value := params.get("officer"):
        plans = plans.filter(officer__nrp=value)
    if value := params.get("unit"):
        plans = plans.filter(unit__path__startswith=access.access_unit(request.user, value).path)
    if value := params.get("from"):
        plans = plans.filter(date__gte=parse_date(value, "from"))
    if value := params.get("to"):
        plans = plans.filter(date__lte=parse_date(value, "to"))
    return plans.prefetch_related("comments__author").order_by("date", "start_time", "id")


_PERIOD_PARAMS = [
    OpenApiParameter("officer", str, description="officer NRP"),
    OpenApiParameter("unit", str, description="only this unit's subtree (unit code)"),
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
]


class PlanListView(generics.ListCreateAPIView[PlanItem]):
    """Plan items in the caller's scope; an officer plans their own."""

    serializer_class = PlanItemSerializer

    @error_responses(404)
    @extend_schema(parameters=_PERIOD_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[PlanItem]:
        return _plans(self.request)

    @error_responses(409)
    @extend_schema(
        request=PlanItemWriteSerializer,
        responses={201: PlanItemSerializer, 200: PlanItemSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        officer = request_officer(request)
        data = PlanItemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item, created = services.plan_create(officer=officer, data=data.validated_data)
        return Response(
            PlanItemSerializer(item).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PlanDetailView(generics.GenericAPIView[PlanItem]):
    serializer_class = PlanItemSerializer

    def get_object(self) -> PlanItem:
        return access.access_plan(self.request.user, self.kwargs["uuid"])

    def get(self, request: Request, uuid: str) -> Response:
        """One plan item with its comments."""
        return Response(PlanItemSerializer(self.get_object()).data)

    @extend_schema(request=PlanItemWriteSerializer(partial=True))
    def patch(self, request: Request, uuid: str) -> Response:
        """Change one's own plan item."""
        item = self.get_object()
        data = PlanItemWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {k: v for k, v in data.validated_data.items() if k != "uuid"}
        item = services.plan_update(item=item, officer=request_officer(request), changes=changes)
        return Response(PlanItemSerializer(item).data)

    @error_responses(409)
    @extend_schema(responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        """Remove one's own plan item (not once a report realizes it)."""
        services.plan_delete(item=self.get_object(), officer=request_officer(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanCommentCreateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=2000)


class PlanCommentView(generics.GenericAPIView[PlanItem]):
    serializer_class = PlanCommentCreateSerializer

    @extend_schema(responses={201: PlanItemSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Comment on a plan item (its officer, or a supervisor above it)."""
        item = access.access_plan(request.user, uuid)
        if not (access.can_review(request.user) or item.officer.user_id == request.user.pk):
            raise PermissionDenied("Only supervisors and the planning officer comment on plans.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_comment_add(
            item=item, author=request_user(request), text=data.validated_data["text"]
        )
        return Response(
            PlanItemSerializer(access.access_plan(request.user, uuid)).data,
            status=status.HTTP_201_CREATED,
        )


class RealizationItemSerializer(serializers.Serializer[Any]):
    plan_item = serializers.UUIDField()
    date = serializers.DateField()
    activity_type = serializers.CharField()
    village = serializers.CharField()
    status = serializers.ChoiceField(list(selectors.Realization.LABELS))
    report = serializers.UUIDField(allow_null=True)


class RealizationSerializer(serializers.Serializer[Any]):
    officer = serializers.CharField()
    officer_name = serializers.CharField()
    planned = serializers.IntegerField()
    reported = serializers.IntegerField()
    late = serializers.IntegerField()
    missed = serializers.IntegerField()
    pending = serializers.IntegerField()
    rate = serializers.IntegerField(allow_null=True, help_text="% of due items reported")
    items = RealizationItemSerializer(many=True)


class RealizationView(generics.GenericAPIView[PlanItem]):
    serializer_class = RealizationSerializer
    pagination_class = None

    @error_responses(404)
    @extend_schema(parameters=_PERIOD_PARAMS, responses=RealizationSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Plan vs. realization per officer for a period (default: this month so far)."""
        today = timezone.localdate()
        params = request.query_params
        start = parse_date(params["from"], "from") if params.get("from") else today.replace(day=1)
        end = parse_date(params["to"], "to") if params.get("to") else today
        if end < start or (end - start).days > 366:
            raise serializers.ValidationError(
                {"to": ["Choose a period of at most a year, ending after it starts."]}
            )
        rows = selectors.plan_realization(_plans(request), start, end)
        return Response(
            [
                {
                    "officer": row.officer.nrp,
                    "officer_name": row.officer.name,
                    "planned": row.planned,
                    **row.counts,
                    "rate": row.rate,
                    "items": [
                        {
                            "plan_item": item.uuid,
                            "date": item.date,
                            "activity_type": item.activity_type.code,
                            "village": item.village_id,
                            "status": state,
                            "report": report.uuid if report else None,
                        }
                        for item, state, report in row.items
                    ],
                }
                for row in rows
            ]
        )
