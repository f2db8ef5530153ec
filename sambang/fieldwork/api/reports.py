"""JSON API: reports, their photos, reviews, and escalated information."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
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
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.devices import device_of, network_of
from sambang.core.openapi import error_responses
from sambang.core.validators import plausible_date
from sambang.security import services as security_services
from sambang.security.models import (
    Credibility,
    HowObtained,
    InformationReport,
    ProblemKind,
    Reliability,
)

from .. import selectors, services
from ..models import (
    ActivityReport,
    Aspect,
    Frequency,
    HouseholdVisit,
    IntegrityLevel,
    Partner,
    PhotoKind,
    ReportPhoto,
    ReportState,
    Urgency,
)
from .common import LocalDateTimeField, parse_date, request_officer, request_user


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
    follow_up_date = serializers.DateField(
        required=False, allow_null=True, validators=[plausible_date]
    )
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
    partner_records = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="ids of the village's partners who took part",
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
            "state",
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


class ReportLinkSerializer(serializers.Serializer[Any]):
    """Another report: its UUID when the reader may open it, else null."""

    uuid = serializers.UUIDField(allow_null=True)
    visible = serializers.BooleanField(help_text="False: a report outside the reader's scope.")


class SignalExplanationSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()
    by = serializers.CharField()
    at = serializers.DateTimeField()


class SignalSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    status = serializers.ChoiceField(["pass", "warn", "fail"])
    reason = serializers.CharField()
    params = serializers.DictField(help_text="The figures behind the signal.")
    explained = serializers.BooleanField(
        help_text="A supervisor explained it: it does not count towards the level."
    )
    explanation = SignalExplanationSerializer(required=False)
    report = ReportLinkSerializer(
        required=False, help_text="text_copy: the earlier report this text copies."
    )


class IntegritySerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(
        IntegrityLevel.choices,
        allow_blank=True,
        help_text="empty until the report is first checked",
    )
    checked = serializers.BooleanField(
        help_text="false while the report is accepted and being checked (its latest version: "
        "level and signals are then the previous version's, or empty for a new report)"
    )
    signals = SignalSerializer(many=True)
    copies = ReportLinkSerializer(many=True, help_text="Later reports that copy this one's text.")


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


class PartnerRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()


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
    recorded_late_by = serializers.CharField(
        source="recorded_by.get_username",
        allow_null=True,
        default=None,
        help_text="The supervisor who recorded it late (null: the officer sent it)",
    )
    integrity = serializers.SerializerMethodField()
    photos = PhotoSerializer(many=True)
    partner_records = PartnerRefSerializer(many=True)
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
            "partner_records",
            "outcome",
            "state",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "recorded_late_by",
            "late_reason",
            "integrity",
            "photos",
            "household",
            "information",
            "problem",
        ]

    @extend_schema_field(IntegritySerializer)
    def get_integrity(self, report: ActivityReport) -> dict[str, Any]:
        return selectors.integrity_view(report, self.context["request"].user)

    @extend_schema_field(HouseholdReadSerializer(allow_null=True))
    def get_household(self, report: ActivityReport) -> Any:
        visit = getattr(report, "household", None)
        return HouseholdReadSerializer(visit).data if visit else None

    @extend_schema_field(InformationReadSerializer(allow_null=True))
    def get_information(self, report: ActivityReport) -> Any:
        info = getattr(report, "information", None)
        return InformationReadSerializer(info).data if info else None

    @extend_schema_field(ProblemSerializer(allow_null=True))
    def get_problem(self, report: ActivityReport) -> Any:
        problem = getattr(report, "problem", None)
        return ProblemSerializer(problem).data if problem else None


class IntegritySummaryHeadSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(IntegrityLevel.choices, allow_blank=True)
    checked = serializers.BooleanField(
        help_text="false: accepted, being checked (a new report: always, in this answer)"
    )


class ReportAcceptedSerializer(serializers.Serializer[Any]):
    """What filing a report answers: accepted, and where to read it (no re-read of the
    report and its details: the answer costs nothing beyond the write)."""

    uuid = serializers.UUIDField()
    state = serializers.ChoiceField(ReportState.choices)
    accepted_at = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField(help_text="the report, with its integrity once checked")
    integrity = serializers.SerializerMethodField()

    def get_url(self, report: ActivityReport) -> str:
        return reverse("api:report_detail", args=[report.uuid])

    @extend_schema_field(IntegritySummaryHeadSerializer)
    def get_integrity(self, report: ActivityReport) -> dict[str, Any]:
        return {"level": report.integrity_level, "checked": selectors.is_checked(report)}


class IntegritySummarySerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(IntegrityLevel.choices, allow_blank=True)
    checked = serializers.BooleanField(help_text="false while being checked")
    signals = SignalSerializer(many=True, help_text="Without links to other reports.")


class ReportListSerializer(ReportSerializer):
    @extend_schema_field(IntegritySummarySerializer)
    def get_integrity(self, report: ActivityReport) -> dict[str, Any]:
        return selectors.integrity_summary(report)

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
    OpenApiParameter(
        "q", str, description="officer name (contains, any case) or the start of the NRP"
    ),
    OpenApiParameter(
        "escalated",
        str,
        enum=["waiting"],
        description="waiting: early-detection information escalated to the caller's unit or "
        "one below it, not yet acknowledged (what the caller may acknowledge)",
    ),
    OpenApiParameter(
        "order",
        str,
        enum=["newest", "oldest"],
        description="by date and time of the activity (default: newest first)",
    ),
    OpenApiParameter("village", str, description="village code"),
    OpenApiParameter("type", str, description="activity type code"),
    OpenApiParameter("unit", str, description="only this unit's subtree (unit code)"),
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
]


class ReportListView(generics.ListCreateAPIView[ActivityReport]):
    """Reports in the caller's scope (an officer: their own), newest first (or oldest)."""

    serializer_class = ReportListSerializer

    @error_responses(404)
    @extend_schema(parameters=_REPORT_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[ActivityReport]:
        reports = access.reports_for_user(self.request.user)
        params = self.request.query_params
        for name in ("from", "to"):
            if params.get(name):
                parse_date(params[name], name)
        if value := params.get("unit"):
            reports = reports.filter(
                unit__path__startswith=access.access_unit(self.request.user, value).path
            )
        reports = selectors.filter_reports(reports, params, reader=self.request.user)
        return selectors.report_list(reports, order=params.get("order")).select_related("unit")

    @extend_schema(
        request=ReportWriteSerializer,
        responses={
            201: ReportAcceptedSerializer,
            200: OpenApiResponse(
                ReportAcceptedSerializer, description="the same report was already here"
            ),
            409: OpenApiResponse(description="a different report already has this UUID"),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """File a report (or a draft). Re-sending it is safe: same UUID and content → 200.

        The answer says the report is accepted and where to read it: its integrity is
        checked, and it is counted, by the report worker a moment later (``checked``)."""
        officer = request_officer(request)
        data = ReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, created = services.report_create(
            officer=officer,
            data=data.validated_data,
            device=device_of(request),
            network=network_of(request),
        )
        return Response(
            ReportAcceptedSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class LateReportSerializer(ReportWriteSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the report is recorded late")


class LateReportCreateView(generics.GenericAPIView[ActivityReport]):
    serializer_class = LateReportSerializer

    @extend_schema(
        responses={
            201: ReportSerializer,
            200: OpenApiResponse(ReportSerializer, description="the same report was already here"),
            403: OpenApiResponse(description="not a supervisor, or one's own report"),
            409: OpenApiResponse(description="a different report already has this UUID"),
        },
    )
    def post(self, request: Request, nrp: str) -> Response:
        """Record a report an officer's phone can no longer send (older than 45 days, up to a
        year), with the reason: a supervisor above the officer; marked late and audited."""
        officer = access.access_officer(request.user, nrp)
        if not access.can_review(request.user):
            raise PermissionDenied("Only supervisors record late reports.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reason = values.pop("reason")
        report, created = services.report_record_late(
            supervisor=request_user(request), officer=officer, data=values, reason=reason
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

    @error_responses(409)
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
            report=report,
            officer=request_officer(request),
            changes=changes,
            device=device_of(request),
            network=network_of(request),
        )
        return Response(self.get_serializer(selectors.report_detail(report)).data)


class ReviewSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(["approve", "return"])
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportReviewView(generics.GenericAPIView[ActivityReport]):
    serializer_class = ReviewSerializer

    @error_responses(409)
    @extend_schema(responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Approve a sent report, or return it to its officer with a comment."""
        report = access.access_report(request.user, uuid)
        if not access.can_review(request.user):
            raise PermissionDenied("Only supervisors review reports.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.report_review(report=report, reviewer=request_user(request), **data.validated_data)
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data
        )


class BulkReviewSerializer(serializers.Serializer[Any]):
    reports = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        max_length=100,
        error_messages={"empty": _("Choose at least one report.")},
        help_text="UUIDs of sent reports to approve (each must be one the caller can see)",
    )


class BulkOutcomeSerializer(serializers.Serializer[Any]):
    report = serializers.UUIDField(source="report.uuid")
    outcome = serializers.SerializerMethodField()
    code = serializers.CharField(
        help_text="why it was skipped: not_sent, doubtful, unchecked (integrity not yet "
        "checked) or forbidden (e.g. one's own report); empty when approved"
    )
    reason = serializers.CharField(help_text="the same for people, in the caller's language")

    @extend_schema_field(serializers.ChoiceField(["approved", "skipped"]))
    def get_outcome(self, outcome: services.BulkOutcome) -> str:
        return "approved" if outcome.approved else "skipped"


class BulkReviewAnswerSerializer(serializers.Serializer[Any]):
    approved = serializers.IntegerField(help_text="how many reports were approved")
    results = BulkOutcomeSerializer(many=True, help_text="each report named, in the order sent")


class ReportBulkReviewView(generics.GenericAPIView[ActivityReport]):
    serializer_class = BulkReviewSerializer

    @extend_schema(operation_id="reports_approve", responses={200: BulkReviewAnswerSerializer})
    def post(self, request: Request) -> Response:
        """Approve several sent reports at once (a supervisor). A doubtful report, or one
        not yet checked, is skipped (it is reviewed on its own, its reasons read), as is one
        no longer sent; the answer says for each report what was done. A UUID naming no
        report the caller can see is refused, and then nothing is approved."""
        if not access.can_review(request.user):
            raise PermissionDenied("Only supervisors review reports.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        reports = selectors.reports_by_uuid(
            access.reports_for_user(request.user), data.validated_data["reports"]
        )
        outcomes = services.reports_approve(reports=reports, reviewer=request_user(request))
        answer = {"approved": sum(o.approved for o in outcomes), "results": outcomes}
        return Response(BulkReviewAnswerSerializer(answer).data)


class ExplainSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, help_text="Why the signal does not count")


class SignalExplainView(generics.GenericAPIView[ActivityReport]):
    serializer_class = ExplainSerializer

    @error_responses(403)
    @extend_schema(responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str, code: str) -> Response:
        """Explain a warning or failed signal of a report (a supervisor, audited): it stays
        shown, and no longer counts towards the report's level or the evaluation."""
        report = access.access_report(request.user, uuid)
        if not access.can_review(request.user):
            raise PermissionDenied("Only supervisors explain signals.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.signal_explain(
            report=report, code=code, supervisor=request_user(request), **data.validated_data
        )
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
        officer = request_officer(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        photo, created = services.photo_add(
            report=report,
            officer=officer,
            photo_uuid=photo_uuid,
            data=upload,
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

    @error_responses(409)
    @extend_schema(responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Escalate early-detection information to the Polsek or a unit above."""
        report = access.access_report(request.user, uuid)
        officer = request_officer(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        security_services.information_escalate(
            information=_information(report), officer=officer, unit_code=data.validated_data["unit"]
        )
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data
        )


class AcknowledgeView(generics.GenericAPIView[ActivityReport]):
    serializer_class = ReportSerializer

    @error_responses(409)
    @extend_schema(request=None, responses={200: ReportSerializer})
    def post(self, request: Request, uuid: str) -> Response:
        """Acknowledge escalated information (the unit it went to, or above)."""
        report = access.access_report(request.user, uuid)
        security_services.information_acknowledge(
            information=_information(report), user=request_user(request)
        )
        return Response(
            ReportSerializer(selectors.report_detail(report), context={"request": request}).data
        )
