"""JSON API for field work: the catalogue, plans, reports, photos, reviews, proof of visit."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.devices import device_of
from sambang.organization.models import Unit, UnitLevel
from sambang.personnel.models import Officer, User
from sambang.security import services as security_services
from sambang.security.models import (
    Credibility,
    HowObtained,
    InformationReport,
    ProblemCase,
    ProblemKind,
    Reliability,
)

from . import integrity, selectors, services
from .models import (
    ActivityReport,
    ActivityType,
    Aspect,
    Frequency,
    HouseholdVisit,
    IntegrityLevel,
    Partner,
    PhotoKind,
    PlanItem,
    PlanTarget,
    ReportPhoto,
    ReportState,
    Urgency,
    VisitConfirmation,
)


def _user(request: Request) -> User:
    """The signed-in user of an API view (DRF has already refused anonymous callers)."""
    return cast(User, request.user)


def _officer(request: Request) -> Officer:
    officer = access.officer_of(request.user)
    if officer is None:
        raise PermissionDenied("Only officers plan and file reports.")
    return officer


class LocalDateTimeField(serializers.DateTimeField):
    """A date/time as the client sent it: without an offset, it is read in the unit's zone."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


# --- catalogue -------------------------------------------------------------------------


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
    date = serializers.DateField()
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
        plans = plans.filter(date__gte=_date(value, "from"))
    if value := params.get("to"):
        plans = plans.filter(date__lte=_date(value, "to"))
    return plans.prefetch_related("comments__author").order_by("date", "start_time", "id")


def _date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: ["Use a date as YYYY-MM-DD."]}) from None


_PERIOD_PARAMS = [
    OpenApiParameter("officer", str, description="officer NRP"),
    OpenApiParameter("unit", str, description="only this unit's subtree (unit code)"),
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
]


class PlanListView(generics.ListCreateAPIView[PlanItem]):
    """Plan items in the caller's scope; an officer plans their own."""

    serializer_class = PlanItemSerializer

    @extend_schema(parameters=_PERIOD_PARAMS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[PlanItem]:
        return _plans(self.request)

    @extend_schema(
        request=PlanItemWriteSerializer,
        responses={201: PlanItemSerializer, 200: PlanItemSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        officer = _officer(request)
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
        item = services.plan_update(item=item, officer=_officer(request), changes=changes)
        return Response(PlanItemSerializer(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, uuid: str) -> Response:
        """Remove one's own plan item (not once a report realizes it)."""
        services.plan_delete(item=self.get_object(), officer=_officer(request))
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
            item=item, author=_user(request), text=data.validated_data["text"]
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

    @extend_schema(parameters=_PERIOD_PARAMS, responses=RealizationSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Plan vs. realization per officer for a period (default: this month so far)."""
        today = dt.date.today()
        params = request.query_params
        start = _date(params["from"], "from") if params.get("from") else today.replace(day=1)
        end = _date(params["to"], "to") if params.get("to") else today
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


# --- reports ---------------------------------------------------------------------------


class ConcernSerializer(serializers.Serializer[Any]):
    aspect = serializers.ChoiceField(Aspect.choices)
    description = serializers.CharField(max_length=2000)
    urgency = serializers.ChoiceField(Urgency.choices)
    frequency = serializers.ChoiceField(Frequency.choices)


class HouseholdSerializer(serializers.Serializer[Any]):
    rt = serializers.CharField(max_length=3)
    rw = serializers.CharField(max_length=3)
    house_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    street = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(default=False)
    head_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    head_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    advice = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    concerns = ConcernSerializer(many=True, required=False, default=list)


class InformationSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField(max_length=300)
    place = serializers.CharField(max_length=300)
    happened_at = LocalDateTimeField(required=False, allow_null=True)
    how_obtained = serializers.ChoiceField(HowObtained.choices)
    aspect = serializers.ChoiceField(Aspect.choices)
    urgency = serializers.ChoiceField(Urgency.choices)
    reliability = serializers.ChoiceField(Reliability.choices)
    credibility = serializers.ChoiceField(Credibility.choices)


class ProblemSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(ProblemKind.choices)
    parties = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    witnesses = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    agreement = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    agency = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    follow_up_date = serializers.DateField(required=False, allow_null=True)
    follow_up_outcome = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )


class ReportWriteSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField(
        help_text="made by the client; re-sending the same report is a no-op"
    )
    activity_type = serializers.CharField(max_length=40)
    village = serializers.CharField(max_length=13)
    occurred_at = LocalDateTimeField(help_text="local time of the unit unless an offset is given")
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    accuracy_m = serializers.FloatField(
        min_value=0, max_value=100_000, required=False, allow_null=True
    )
    narrative = serializers.CharField(max_length=10_000, allow_blank=True)
    participants = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, allow_null=True
    )
    partners = serializers.ListField(
        child=serializers.ChoiceField(Partner.choices), required=False, default=list
    )
    partners_other = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    plan_item = serializers.UUIDField(required=False, allow_null=True)
    state = serializers.ChoiceField([ReportState.DRAFT, ReportState.SENT], default=ReportState.SENT)
    household = HouseholdSerializer(required=False, allow_null=True)
    information = InformationSerializer(required=False, allow_null=True)
    problem = ProblemSerializer(required=False, allow_null=True)


class PhotoSerializer(serializers.ModelSerializer[ReportPhoto]):
    url = serializers.FileField(source="image", use_url=True)
    thumbnail_url = serializers.FileField(source="thumbnail", use_url=True)

    class Meta:
        model = ReportPhoto
        fields = [
            "uuid",
            "kind",
            "url",
            "thumbnail_url",
            "content_type",
            "size",
            "width",
            "height",
            "taken_at",
            "latitude",
            "longitude",
        ]


class SignalSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    status = serializers.ChoiceField(["pass", "warn", "fail"])
    reason = serializers.CharField()


class IntegritySerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(IntegrityLevel.choices)
    signals = SignalSerializer(many=True)


class HouseholdReadSerializer(HouseholdSerializer):
    confirmed = serializers.SerializerMethodField()
    sticker_url = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "rating": {"type": "integer"},
                "message": {"type": "string"},
                "confirmed_at": {"type": "string", "format": "date-time"},
            },
        }
    )
    def get_confirmed(self, visit: HouseholdVisit) -> dict[str, Any] | None:
        confirmation = getattr(visit, "confirmation", None)
        if confirmation is None:
            return None
        return {
            "rating": confirmation.rating,
            "message": confirmation.message,
            "confirmed_at": confirmation.confirmed_at,
        }

    def get_sticker_url(self, visit: HouseholdVisit) -> str:
        return reverse("fieldwork:sticker", args=[visit.report.uuid, "pdf"])


class InformationReadSerializer(InformationSerializer):
    grade = serializers.CharField()
    escalated_to = serializers.CharField(source="escalated_to.code", allow_null=True, default=None)
    escalated_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class ReportSerializer(serializers.ModelSerializer[ActivityReport]):
    officer = serializers.CharField(source="officer.nrp")
    officer_name = serializers.CharField(source="officer.name")
    unit = serializers.CharField(source="unit.code")
    activity_type = serializers.CharField(source="activity_type.code")
    activity_label = serializers.CharField(source="activity_type.label")
    village_name = serializers.CharField(source="village.name")
    plan_item = serializers.UUIDField(source="plan_item.uuid", allow_null=True, default=None)
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_full_name", allow_null=True, default=None
    )
    integrity = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True)
    household = serializers.SerializerMethodField()
    information = serializers.SerializerMethodField()
    problem = serializers.SerializerMethodField()

    class Meta:
        model = ActivityReport
        fields = [
            "uuid",
            "officer",
            "officer_name",
            "unit",
            "activity_type",
            "activity_label",
            "village",
            "village_name",
            "plan_item",
            "occurred_at",
            "latitude",
            "longitude",
            "accuracy_m",
            "narrative",
            "participants",
            "partners",
            "partners_other",
            "outcome",
            "state",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "integrity",
            "photos",
            "household",
            "information",
            "problem",
        ]

    @extend_schema_field(IntegritySerializer)
    def get_integrity(self, report: ActivityReport) -> dict[str, Any]:
        return {
            "level": report.integrity_level,
            "signals": [
                {**s, "reason": integrity.describe(s)}
                for s in report.integrity_signals
                if isinstance(s, dict)
            ],
        }

    @extend_schema_field(HouseholdReadSerializer(allow_null=True))
    def get_household(self, report: ActivityReport) -> Any:
        visit = (
            HouseholdVisit.objects.filter(report=report).first()
            if not hasattr(report, "household")
            else report.household
        )
        return HouseholdReadSerializer(visit).data if visit else None

    @extend_schema_field(InformationReadSerializer(allow_null=True))
    def get_information(self, report: ActivityReport) -> Any:
        info = (
            InformationReport.objects.filter(report=report).select_related("escalated_to").first()
        )
        return InformationReadSerializer(info).data if info else None

    @extend_schema_field(ProblemSerializer(allow_null=True))
    def get_problem(self, report: ActivityReport) -> Any:
        problem = ProblemCase.objects.filter(report=report).first()
        return ProblemSerializer(problem).data if problem else None


class ReportListSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        fields = [
            "uuid",
            "officer",
            "officer_name",
            "unit",
            "activity_type",
            "activity_label",
            "village",
            "village_name",
            "occurred_at",
            "state",
            "submitted_at",
            "integrity",
        ]


_REPORT_FILTERS = [
    OpenApiParameter("state", str, enum=ReportState.values),
    OpenApiParameter("integrity", str, enum=IntegrityLevel.values),
    OpenApiParameter("officer", str, description="officer NRP"),
    OpenApiParameter("village", str, description="village code"),
    OpenApiParameter("type", str, description="activity type code"),
    OpenApiParameter("unit", str, description="only this unit's subtree (unit code)"),
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
]


class ReportListView(generics.ListCreateAPIView[ActivityReport]):
    """Reports in the caller's scope (an officer: their own), newest first."""

    serializer_class = ReportListSerializer

    @extend_schema(parameters=_REPORT_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ActivityReport]:
        reports = access.reports_for_user(self.request.user)
        params = self.request.query_params
        for name in ("from", "to"):
            if params.get(name):
                _date(params[name], name)
        if value := params.get("unit"):
            reports = reports.filter(
                unit__path__startswith=access.access_unit(self.request.user, value).path
            )
        return selectors.report_list(selectors.filter_reports(reports, params)).select_related(
            "unit"
        )

    @extend_schema(
        request=ReportWriteSerializer,
        responses={
            201: ReportSerializer,
            200: OpenApiResponse(ReportSerializer, description="the same report was already here"),
            409: OpenApiResponse(description="a different report already has this UUID"),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File a report (or a draft). Re-sending it is safe: same UUID and content → 200."""
        officer = _officer(request)
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, created = services.report_create(
            officer=officer, data=data.validated_data, device=device_of(request)
        )
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ReportDetailView(generics.GenericAPIView[ActivityReport]):
    serializer_class = ReportSerializer

    def get_object(self) -> ActivityReport:
        return access.access_report(self.request.user, self.kwargs["uuid"])

    def get(self, request: Request, uuid: str) -> Response:
        """One report with its photos, details and integrity signals."""
        return Response(self.get_serializer(selectors.report_detail(self.get_object())).data)

    @extend_schema(request=ReportWriteSerializer(partial=True))
    def patch(self, request: Request, uuid: str) -> Response:
        """Change one's own report until it is approved (a returned one is sent again)."""
        report = self.get_object()
        data = ReportWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {
            k: v for k, v in data.validated_data.items() if k in request.data and k != "uuid"
        }
        services.report_update(
            report=report, officer=_officer(request), changes=changes, device=device_of(request)
        )
        return Response(self.get_serializer(selectors.report_detail(report)).data)


class ReviewSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(["approve", "return"])
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportReviewView(generics.GenericAPIView[ActivityReport]):
    serializer_class = ReviewSerializer

    @extend_schema(responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Approve a sent report, or return it to its officer with a comment."""
        report = access.access_report(request.user, uuid)
        if not access.can_review(request.user):
            raise PermissionDenied("Only supervisors review reports.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_review(report=report, reviewer=_user(request), **data.validated_data)
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data
        )


class PhotoUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    kind = serializers.ChoiceField(PhotoKind.choices, default=PhotoKind.PHOTO)


class PhotoUploadView(generics.GenericAPIView[ActivityReport]):
    serializer_class = PhotoUploadSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        responses={
            201: PhotoSerializer,
            200: PhotoSerializer,
            409: OpenApiResponse(description="another photo has this UUID"),
        }
    )
    def put(self, request: Request, uuid: str, photo_uuid: uuid_lib.UUID) -> Response:
        """Upload one photo of a report; retrying the same upload is safe."""
        report = access.access_report(request.user, uuid)
        officer = _officer(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        photo, created = services.photo_add(
            report=report,
            officer=officer,
            photo_uuid=photo_uuid,
            data=upload.read(),
            kind=data.validated_data["kind"],
        )
        return Response(
            PhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class EscalateSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(
        max_length=40, help_text="code of the officer's unit or one above it"
    )


def _information(report: ActivityReport) -> InformationReport:
    info = (
        InformationReport.objects.filter(report=report)
        .select_related("report__officer", "escalated_to")
        .first()
    )
    if info is None:
        raise Http404
    return info


class EscalateView(generics.GenericAPIView[ActivityReport]):
    serializer_class = EscalateSerializer

    @extend_schema(responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Escalate early-detection information to the Polsek or a unit above."""
        report = access.access_report(request.user, uuid)
        officer = _officer(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = Unit.objects.filter(code=data.validated_data["unit"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": ["Unknown unit."]})
        security_services.information_escalate(
            information=_information(report), officer=officer, unit=unit
        )
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data
        )


class AcknowledgeView(generics.GenericAPIView[ActivityReport]):
    serializer_class = ReportSerializer

    @extend_schema(request=None, responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Acknowledge escalated information (the unit it went to, or above)."""
        report = access.access_report(request.user, uuid)
        security_services.information_acknowledge(
            information=_information(report), user=_user(request)
        )
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data
        )


# --- public ----------------------------------------------------------------------------


class BoardRowSerializer(serializers.Serializer[Any]):
    officer_name = serializers.CharField()
    rank = serializers.CharField()
    phone = serializers.CharField()
    photo_url = serializers.CharField(allow_null=True)
    village = serializers.CharField()
    village_name = serializers.CharField()


class BoardDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    visits = BoardRowSerializer(many=True)


class BoardSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    days = BoardDaySerializer(many=True)


def board_json(unit: Unit, request: Request) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "unit_name": unit.name,
        "days": [
            {
                "date": day.date,
                "visits": [
                    {
                        "officer_name": row["officer"].name,
                        "rank": row["officer"].get_rank_display(),
                        "phone": row["officer"].phone,
                        "photo_url": request.build_absolute_uri(row["officer"].photo.url)
                        if row["officer"].photo
                        else None,
                        "village": row["village"].code,
                        "village_name": row["village"].name,
                    }
                    for row in day.rows
                ],
            }
            for day in selectors.schedule_board(unit)
        ],
    }


class ScheduleBoardView(generics.GenericAPIView[Any]):
    """The public visit schedule of a Polsek for the coming week (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = BoardSerializer

    def get(self, request: Request, code: str) -> Response:
        unit = Unit.objects.filter(code=code, level=UnitLevel.POLSEK).first()
        if unit is None:
            raise Http404
        return Response(board_json(unit, request))


class VisitSerializer(serializers.Serializer[Any]):
    officer_name = serializers.CharField()
    village_name = serializers.CharField()
    date = serializers.DateField()
    confirmed = serializers.BooleanField()


class ConfirmSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    message = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


def visit_json(visit: HouseholdVisit) -> dict[str, Any]:
    report = visit.report
    return {
        "officer_name": f"{report.officer.get_rank_display()} {report.officer.name}",
        "village_name": report.village.name,
        "date": report.occurred_at.date(),
        "confirmed": VisitConfirmation.objects.filter(visit=visit).exists(),
    }


class VisitConfirmView(generics.GenericAPIView[Any]):
    """A household visit by its sticker token: what a resident sees, and their confirmation."""

    permission_classes = [AllowAny]
    serializer_class = ConfirmSerializer

    def _visit(self, token: str) -> HouseholdVisit:
        visit = selectors.visit_for_token(token)
        if visit is None:
            raise Http404
        return visit

    @extend_schema(responses=VisitSerializer)
    def get(self, request: Request, token: str) -> Response:
        return Response(visit_json(self._visit(token)))

    @extend_schema(responses={201: VisitSerializer})
    def post(self, request: Request, token: str) -> Response:
        visit = self._visit(token)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.visit_confirm(
            visit=visit, device=device_of(request), user=request.user, **data.validated_data
        )
        return Response(visit_json(visit), status=status.HTTP_201_CREATED)
