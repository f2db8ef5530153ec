"""JSON API of residents' reports: filing and following (no login), and their handling."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.addresses import client_address
from sambang.core.openapi import error_responses
from sambang.core.parsers import JSONParser
from sambang.core.uploads import accepts_photos
from sambang.core.validators import plausible_date
from sambang.personnel.models import User

from . import selectors, services
from .models import CitizenCategory, CitizenReport, CitizenStatus


class CitizenSubmitSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(CitizenCategory.choices)
    description = serializers.CharField(max_length=4000)
    village = serializers.CharField(
        max_length=13,
        required=False,
        allow_blank=True,
        help_text="village code; or give a position",
    )
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(
        required=False, allow_null=True, validators=[plausible_date]
    )
    anonymous = serializers.BooleanField(default=True)
    reporter_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    reporter_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),  # refused as a photo, not the report
        required=False,
        default=list,
        help_text="up to 3 photos; a photo refused does not refuse the report",
    )
    submission = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "a UUID the client chooses for this report, to send it again safely: the same "
            "report sent again with it (after a lost answer) is the report it made, answered "
            "200 with its tracking code, not counted against the limit and its photos not "
            "looked at again (`attachment_problems` empty); another village, category or "
            "description with it is a 409"
        ),
    )
    # A field people never see: bots fill it in.
    website = serializers.CharField(
        required=False, allow_blank=True, default="", write_only=True, help_text="leave empty"
    )


class CitizenStatusSerializer(serializers.Serializer[Any]):
    """What anyone with the tracking code sees: progress, nothing personal."""

    tracking_code = serializers.CharField()
    category = serializers.CharField()
    status = serializers.ChoiceField(CitizenStatus.choices)
    received_at = serializers.DateTimeField()
    answer = serializers.CharField(source="public_note")
    rejection_reason = serializers.CharField()
    attachment_problems = serializers.ListField(child=serializers.CharField(), required=False)


def _files_refused(request: HttpRequest) -> bool:
    """An address that has used up its reports: its photos are not even kept for a while."""
    return services.reports_used_up(client_address(request) or "unknown")


# Residents' photos, on the form and the API: at most MAX_ATTACHMENTS are kept, none from
# an address that has used up its reports.
accepts_residents_photos = accepts_photos(
    "photos", services.MAX_ATTACHMENTS, files_refused=_files_refused
)


def status_json(report: CitizenReport, problems: list[str] | None = None) -> dict[str, Any]:
    body = dict(CitizenStatusSerializer(report).data)
    if problems is not None:
        body["attachment_problems"] = problems
    return body


class CitizenSubmitView(generics.GenericAPIView[CitizenReport]):
    """File a report without an account; the answer carries the tracking code. Sent again
    with the same `submission`, the answer is the report it made (200), not a second one."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = CitizenSubmitSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        responses={
            201: CitizenStatusSerializer,
            200: OpenApiResponse(
                CitizenStatusSerializer, description="this submission was sent before: its report"
            ),
            409: OpenApiResponse(
                description="this submission was sent before with another village, category "
                "or description"
            ),
            429: OpenApiResponse(description="too many reports from this address"),
        }
    )
    def post(self, request: Request) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        decoy = bool(values.pop("website"))  # the hidden field only bots fill in
        uploads = [services.Upload(f.name or "photo", f) for f in values.pop("photos")]
        result = services.citizen_report_submit(
            data=values,
            uploads=uploads,
            address=client_address(request) or "unknown",
            decoy=decoy,
        )
        return Response(
            status_json(result.report, result.attachment_problems),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class CitizenStatusView(generics.GenericAPIView[CitizenReport]):
    """A report's progress by its tracking code (no login, no personal data)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = CitizenStatusSerializer

    @extend_schema(
        responses={
            200: CitizenStatusSerializer,
            429: OpenApiResponse(description="too many unknown codes tried from this address"),
        }
    )
    def get(self, request: Request, code: str) -> Response:
        report = selectors.citizen_report_for_code(
            code.strip().upper(), address=client_address(request) or "unknown"
        )
        if report is None:
            raise Http404
        return Response(status_json(report))


# --- handling, for the police --------------------------------------------------------


class CitizenEventSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    status_from = serializers.CharField()
    status_to = serializers.CharField()
    officer = serializers.CharField(source="officer.nrp", allow_null=True, default=None)
    note = serializers.CharField()


class CitizenReportSerializer(serializers.ModelSerializer[CitizenReport]):
    village_name = serializers.CharField(source="village.name")
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    officer = serializers.CharField(source="officer.nrp", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = CitizenReport
        fields = [
            "tracking_code",
            "category",
            "description",
            "occurred_at",
            "village",
            "village_name",
            "latitude",
            "longitude",
            "place",
            "unit",
            "officer",
            "status",
            "public_note",
            "rejection_reason",
            "received_at",
            "due_at",
            "first_response_at",
            "closed_at",
            "overdue",
        ]

    def get_overdue(self, report: CitizenReport) -> bool:
        return selectors.is_overdue(report)


class CitizenReportDetailSerializer(CitizenReportSerializer):
    events = CitizenEventSerializer(many=True)

    class Meta(CitizenReportSerializer.Meta):
        fields = [
            *CitizenReportSerializer.Meta.fields,
            "anonymous",
            "reporter_name",
            "reporter_phone",
            "events",
        ]


def _user(request: Request) -> User:
    return cast(User, request.user)


class CitizenReportListView(generics.ListAPIView[CitizenReport]):
    """Residents' reports routed to the caller's units (without the reporters' identity)."""

    serializer_class = CitizenReportSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=CitizenStatus.values),
            OpenApiParameter("category", str, enum=CitizenCategory.values),
            OpenApiParameter(
                "overdue", bool, description="only open reports past their first-response time"
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CitizenReport]:
        return selectors.filter_citizen_reports(
            access.citizen_reports_for_user(self.request.user), self.request.query_params
        )


def audited_detail(request: Any, report: CitizenReport) -> CitizenReport:
    """The report with its reporter's identity; reading it is written to the audit log."""
    if not report.anonymous:
        audit_record(
            user=request.user, action=AuditAction.VIEW_REPORTER, target=report, request=request
        )
    return report


class CitizenReportDetailView(generics.GenericAPIView[CitizenReport]):
    serializer_class = CitizenReportDetailSerializer

    def get(self, request: Request, code: str) -> Response:
        """One report with its handling and the reporter's identity (the read is audited)."""
        report = access.access_citizen_report(request.user, code)
        return Response(self.get_serializer(audited_detail(request, report)).data)


class TransitionSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(CitizenStatus.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="required to reject",
    )


class AssignSerializer(serializers.Serializer[Any]):
    officer = serializers.CharField(max_length=8, help_text="NRP of an officer of the unit")


class AnswerSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)


def _summary(report: CitizenReport) -> dict[str, Any]:
    return dict(CitizenReportSerializer(report).data)


class CitizenTransitionView(generics.GenericAPIView[CitizenReport]):
    serializer_class = TransitionSerializer

    @error_responses(409)
    @extend_schema(responses={200: CitizenReportSerializer})
    def post(self, request: Request, code: str) -> Response:
        """Move a report on: in progress, resolved, closed, or rejected with a reason."""
        report = access.access_citizen_report(request.user, code)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.citizen_report_transition(
            report=report, user=_user(request), **data.validated_data
        )
        return Response(_summary(report))


class CitizenAssignView(generics.GenericAPIView[CitizenReport]):
    serializer_class = AssignSerializer

    @error_responses(409)
    @extend_schema(responses={200: CitizenReportSerializer})
    def post(self, request: Request, code: str) -> Response:
        """Give the report to an officer of the unit it was routed to (supervisors)."""
        report = access.access_citizen_report(request.user, code)
        if not access.can_review(request.user):
            raise PermissionDenied("Supervisors assign reports.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        officer = (
            access.officers_for_user(request.user)
            .filter(nrp=data.validated_data["officer"])
            .first()
        )
        if officer is None:
            raise serializers.ValidationError(
                {"officer": ["No officer with this NRP in your units."]}
            )
        services.citizen_report_assign(report=report, user=_user(request), officer=officer)
        return Response(_summary(report))


class CitizenAnswerView(generics.GenericAPIView[CitizenReport]):
    serializer_class = AnswerSerializer

    @error_responses(409)
    @extend_schema(responses={200: CitizenReportSerializer})
    def post(self, request: Request, code: str) -> Response:
        """Answer the reporter; the answer shows on the status page."""
        report = access.access_citizen_report(request.user, code)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.citizen_report_answer(
            report=report, user=_user(request), note=data.validated_data["note"]
        )
        return Response(_summary(report))
