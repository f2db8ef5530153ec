"""JSON API of the monthly evaluation: a unit's Anev, an officer's month, the approval."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang import access
from sambang.core.api import ImportResultSerializer, ImportUploadSerializer, import_upload
from sambang.personnel.models import User

from . import maps, services
from .anev import Anev, anev
from .history_import import historical_counts_import
from .models import MonthlyEvaluation
from .reporting import INDICATORS, officer_month


def parse_month(value: str) -> dt.date:
    """``YYYY-MM`` as the month's first day; anything else is not found."""
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise NotFound("Give the month as YYYY-MM.") from error


def _ratio(key: str) -> str:
    indicator = INDICATORS[key]
    return f"%: {indicator.numerator} ÷ {indicator.denominator}"


class ReportingSerializer(serializers.Serializer[Any]):
    """A month's figures. Only trusted work (verified and plausible reports) counts towards
    completeness, timeliness, plan realization and activity; doubtful reports are counted
    beside it."""

    month = serializers.DateField()
    kept = serializers.BooleanField(
        help_text="False for a month before the unit kept reports in Sambang: no data, "
        "whatever the figures say"
    )
    expected = serializers.IntegerField(
        help_text="Assigned village-days of the month up to today (pro-rated)"
    )
    reported = serializers.IntegerField(
        help_text="Assigned village-days with at least one trusted report"
    )
    on_time = serializers.IntegerField(
        help_text="Assigned village-days with a trusted report sent within the grace period"
    )
    completeness = serializers.FloatField(allow_null=True, help_text=_ratio("completeness"))
    timeliness = serializers.FloatField(allow_null=True, help_text=_ratio("timeliness"))
    reports = serializers.IntegerField(help_text="Every submitted report, of any level")
    trusted = serializers.IntegerField(help_text="Verified and plausible reports")
    reports_on_time = serializers.IntegerField(help_text="Trusted reports sent on time")
    verified = serializers.IntegerField()
    plausible = serializers.IntegerField()
    doubtful = serializers.IntegerField()
    doubtful_share = serializers.FloatField(allow_null=True, help_text=_ratio("doubtful"))
    planned = serializers.IntegerField(help_text="Plan items of the month")
    realized = serializers.IntegerField(
        help_text="Plan items realized by a trusted report on their day"
    )
    realized_late = serializers.IntegerField(
        help_text="Plan items realized by a trusted report after their day"
    )
    realization = serializers.FloatField(allow_null=True, help_text=_ratio("realization"))
    officers_assigned = serializers.IntegerField(
        source="officers",
        help_text="Officers with at least one assigned village-day in the month (whose work "
        "the figures measure); the unit's officers are in personnel",
    )


class ChildSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    rank = serializers.IntegerField()
    figures = ReportingSerializer()


class OfficerRowSerializer(serializers.Serializer[Any]):
    nrp = serializers.CharField(source="officer.nrp")
    name = serializers.CharField(source="officer.name")
    level = serializers.CharField(help_text="Trusted reports per day with an assigned village")
    assigned_days = serializers.IntegerField()
    figures = ReportingSerializer()


class ActivitySerializer(serializers.Serializer[Any]):
    activity_type = serializers.CharField(source="type.code")
    reports = serializers.IntegerField()
    verified = serializers.IntegerField(required=False)
    doubtful = serializers.IntegerField(required=False)


class CitizenSerializer(serializers.Serializer[Any]):
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    median_response_hours = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()
    resolved = serializers.IntegerField()
    rejected = serializers.IntegerField()


class CountChangeSerializer(serializers.Serializer[Any]):
    current = serializers.IntegerField()
    previous = serializers.IntegerField()
    change_pct = serializers.FloatField(allow_null=True)
    p_value = serializers.FloatField(help_text="Exact Poisson (conditional binomial) test")
    significant = serializers.BooleanField()


class IncidentRowSerializer(serializers.Serializer[Any]):
    category = serializers.CharField(source="category.code")
    current = serializers.IntegerField()
    previous = serializers.IntegerField(
        allow_null=True, help_text="The same month a year before; null: no data for it"
    )
    dead = serializers.IntegerField()
    injured = serializers.IntegerField()
    change = CountChangeSerializer(allow_null=True, help_text="null: nothing to compare with")


class ConflictYearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    count = serializers.IntegerField(
        allow_null=True, help_text="social conflicts of the year; null: no data for it"
    )
    previous = serializers.IntegerField(allow_null=True, help_text="the year before")
    aggregate = serializers.BooleanField(help_text="counted, at least in part, on paper")
    so_far = serializers.BooleanField(help_text="the current year, up to the month")
    change = CountChangeSerializer(
        allow_null=True, help_text="null: the year or the one before has no data"
    )


class PersonnelSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(source="unit.code")
    headquarters = serializers.BooleanField(
        help_text="only the unit's own officers and villages, not those of the units below"
    )
    villages = serializers.IntegerField(help_text="villages of the jurisdiction")
    covered = serializers.IntegerField(help_text="of those, with at least one active officer")
    coverage = serializers.FloatField(allow_null=True, help_text="covered / villages, in %")
    officers = serializers.IntegerField(help_text="active officers, headquarters included")
    assigned = serializers.IntegerField(help_text="of those, covering at least one village")
    villages_per_officer = serializers.FloatField(
        allow_null=True, help_text="active assignments / officers with a village"
    )
    officers_per_village = serializers.FloatField(
        allow_null=True, help_text="active assignments / villages with an officer"
    )
    population_per_officer = serializers.FloatField(allow_null=True)
    area_per_officer = serializers.FloatField(allow_null=True)
    education = serializers.DictField(child=serializers.IntegerField())
    dikbangspes = serializers.IntegerField()
    trained = serializers.IntegerField()
    modules_done = serializers.IntegerField(
        help_text="active officers who passed every active training module"
    )
    dual_duties = serializers.IntegerField()


class DirectiveFiguresSerializer(serializers.Serializer[Any]):
    sent = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    completed = serializers.IntegerField()


class EquipmentRowSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    good = serializers.IntegerField()
    light = serializers.IntegerField(help_text="Lightly damaged")
    heavy = serializers.IntegerField(help_text="Heavily damaged")
    total = serializers.IntegerField()


class BudgetRowSerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    allocation = serializers.IntegerField(help_text="Rp, the month's fiscal year")
    realization = serializers.IntegerField(help_text="Rp")
    realized_pct = serializers.FloatField(allow_null=True)


class AllowanceSerializer(serializers.Serializer[Any]):
    per_officer = serializers.IntegerField(help_text="Rp per officer per month")
    officers = serializers.IntegerField(help_text="active officers, headquarters included")
    month_total = serializers.IntegerField(help_text="Rp")


class EvaluationSerializer(serializers.ModelSerializer[MonthlyEvaluation]):
    submitted_by = serializers.CharField(source="submitted_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    late_changes = serializers.IntegerField(source="late_changes.count")

    class Meta:
        model = MonthlyEvaluation
        fields = [
            "status", "summary", "figures", "submitted_by", "submitted_at", "decided_by",
            "decided_at", "decision_note", "late_changes",
        ]  # fmt: skip


class MonthTrendSerializer(serializers.Serializer[Any]):
    month = serializers.DateField()
    incidents = serializers.IntegerField(
        allow_null=True, help_text="null: the unit kept no incidents then (no data, not 0)"
    )
    citizen = serializers.IntegerField(
        allow_null=True, help_text="residents' reports; null: the unit kept none then"
    )


class BacklogSerializer(serializers.Serializer[Any]):
    reports = serializers.IntegerField(help_text="how many reports wait to be checked")
    since = serializers.DateTimeField(
        allow_null=True, help_text="when the longest-waiting one was accepted or changed"
    )


class AnevSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(source="unit.code")
    month = serializers.DateField()
    series = ReportingSerializer(many=True, help_text="The five months before, and the month")
    last_year = ReportingSerializer(
        allow_null=True,
        help_text="The same month a year before; null when the unit kept no reports then",
    )
    reports_since = serializers.DateField(
        help_text="From when the unit's whole subtree keeps reports in Sambang"
    )
    children = ChildSerializer(many=True)
    officers = OfficerRowSerializer(many=True, help_text="A Polsek's officers")
    activities = ActivitySerializer(many=True)
    citizen = CitizenSerializer()
    trends = MonthTrendSerializer(many=True, help_text="The five months before, and the month")
    incidents = IncidentRowSerializer(many=True)
    conflicts = ConflictYearSerializer(many=True)
    personnel = PersonnelSerializer(many=True)
    personnel_total = PersonnelSerializer(help_text="the unit's whole subtree")
    directives = DirectiveFiguresSerializer()
    equipment = EquipmentRowSerializer(many=True)
    budget = BudgetRowSerializer(many=True)
    allowance = AllowanceSerializer(allow_null=True)
    evaluation = serializers.SerializerMethodField()
    waiting = BacklogSerializer(
        help_text="how current the figures are: the unit's reports accepted and not yet checked "
        "by the worker, which the figures do not count yet"
    )

    def get_evaluation(self, value: Anev) -> dict[str, Any] | None:
        """The month's approval, when it has been submitted."""
        evaluation = MonthlyEvaluation.objects.filter(unit=value.unit, month=value.month).first()
        return EvaluationSerializer(evaluation).data if evaluation else None


class AnevView(APIView):
    """The monthly Anev of a unit in the caller's scope (supervisors)."""

    @extend_schema(responses=AnevSerializer)
    def get(self, request: Request, code: str, month: str) -> Response:
        unit = access.access_evaluation_unit(request.user, code)
        return Response(AnevSerializer(anev(unit, parse_month(month))).data)


class MapLayerView(APIView):
    """A map layer of a unit's month as GeoJSON.

    ``area``: villages (a Polres or Polsek; polygons where boundaries are loaded, else
    centroids) or the units below, valued by ``indicator`` (coverage, activity, incidents,
    reports). ``incidents``, ``citizen-reports``, ``spots``: points. ``heat``: incidents
    per H3 hexagon. ``hotspots``: hexagons with Gi* p < 0.05 over three months, with the
    Prediction Accuracy Index of the previous three months' hot spots. ``outlines``: the
    borders of the regencies (and, for a Polres or Polsek, districts) around the villages.
    """

    @extend_schema(
        parameters=[OpenApiParameter("indicator", str, enum=list(maps.INDICATORS), required=False)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, code: str, month: str, layer: str) -> Response:
        unit = access.access_evaluation_unit(request.user, code)
        if layer not in maps.LAYERS:
            raise NotFound("Unknown layer.")
        indicator = request.query_params.get("indicator", "coverage")
        if indicator not in maps.INDICATORS:
            raise serializers.ValidationError(
                {"indicator": [f"One of {', '.join(maps.INDICATORS)}."]}
            )
        return Response(maps.LAYERS[layer](unit, parse_month(month), indicator))


class SubmitSerializer(serializers.Serializer[Any]):
    summary = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


class DecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class SubmitView(APIView):
    """The unit's supervisor submits its month to the unit above."""

    @extend_schema(request=SubmitSerializer, responses={201: EvaluationSerializer})
    def post(self, request: Request, code: str, month: str) -> Response:
        unit = access.access_evaluation_unit(request.user, code)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = services.evaluation_submit(
            user=_user(request),
            unit=unit,
            month=parse_month(month),
            summary=data.validated_data["summary"],
        )
        return Response(EvaluationSerializer(evaluation).data, status=201)


class DecisionView(APIView):
    """The unit directly above approves (and locks) or returns a submitted month."""

    @extend_schema(request=DecisionSerializer, responses=EvaluationSerializer)
    def post(self, request: Request, code: str, month: str) -> Response:
        unit = access.access_evaluation_unit(request.user, code)
        evaluation = MonthlyEvaluation.objects.filter(unit=unit, month=parse_month(month)).first()
        if evaluation is None:
            raise NotFound("This month has not been submitted.")
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evaluation_decide(
            user=_user(request),
            evaluation=evaluation,
            approve=data.validated_data["approve"],
            note=data.validated_data["note"],
        )
        return Response(EvaluationSerializer(evaluation).data)


class DaySerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    reports = serializers.IntegerField(help_text="Every submitted report of the day")
    trusted = serializers.IntegerField(help_text="Verified and plausible reports")
    doubtful = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="Trusted reports sent on time")
    villages = serializers.IntegerField(help_text="Villages with a trusted report")


class ReasonSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="The integrity signal that failed")
    name = serializers.CharField()
    reports = serializers.IntegerField(help_text="Doubtful reports it failed")


class VillageDaysSerializer(serializers.Serializer[Any]):
    village = serializers.CharField(source="village.code")
    name = serializers.CharField(source="village.name")
    assigned_days = serializers.IntegerField()
    reported_days = serializers.IntegerField()


class OfficerMonthSerializer(serializers.Serializer[Any]):
    nrp = serializers.CharField(source="officer.nrp")
    name = serializers.CharField(source="officer.name")
    month = serializers.DateField()
    level = serializers.CharField(help_text=_ratio("level").removeprefix("%: "))
    figures = ReportingSerializer()
    days = DaySerializer(many=True)
    activities = ActivitySerializer(many=True)
    villages = VillageDaysSerializer(many=True)
    reasons = ReasonSerializer(
        many=True, help_text="Why the month's doubtful reports were doubtful"
    )


class OfficerMonthApiView(APIView):
    """An officer's month (the officer themself, or a supervisor above them)."""

    @extend_schema(responses=OfficerMonthSerializer)
    def get(self, request: Request, nrp: str, month: str) -> Response:
        officer = access.access_officer(request.user, nrp)
        if not (access.can_review(request.user) or officer.user_id == request.user.pk):
            raise PermissionDenied("An officer's month is for the officer and their supervisors.")
        return Response(OfficerMonthSerializer(officer_month(officer, parse_month(month))).data)


class HistoricalCountImportView(APIView):
    @extend_schema(request=ImportUploadSerializer, responses={200: ImportResultSerializer})
    def post(self, request: Request) -> Response:
        """Import incident counts kept on paper for years or months before Sambang.

        Columns: unit (code), year, category (code or name), count; optional month (empty:
        the whole year) and source. A period must end before the unit keeps its incidents in
        Sambang; the Anev shows these counts as such ("on paper"), apart from itemised
        incidents. A row for a period already recorded replaces its count. If any row is
        wrong nothing is written and the error names each row and column.
        """
        if not access.can_import_incidents(request.user):
            raise PermissionDenied("Counts kept on paper are entered by supervisors.")
        user = cast(User, request.user)
        result = import_upload(
            request,
            lambda path, dry_run: historical_counts_import(path=path, user=user, dry_run=dry_run),
        )
        return Response(ImportResultSerializer(result).data)
