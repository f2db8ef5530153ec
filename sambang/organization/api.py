"""JSON API for units (scoped lists with villages, officers and coverage) and directives."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.openapi import error_responses
from sambang.core.validators import field_lookup, plausible_date
from sambang.personnel.models import User

from . import selectors, services
from .models import Directive, DirectiveReceipt, Unit, UnitLevel
from .selectors import UnitRow, unit_and_children_rows, unit_rows, unit_villages


class UnitRowSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    level = serializers.CharField(source="unit.level")
    # Shadows Serializer.parent for the type checker only; DRF moves declared fields away.
    parent = serializers.CharField(  # type: ignore[assignment]
        source="unit.parent.code", allow_null=True, default=None
    )
    timezone = serializers.CharField(source="unit.timezone")
    villages = serializers.IntegerField(help_text="villages of the jurisdiction")
    covered = serializers.IntegerField(help_text="of those, with at least one active officer")
    officers = serializers.IntegerField(help_text="active officers, headquarters included")
    assigned = serializers.IntegerField(help_text="of those, covering at least one village")
    coverage = serializers.FloatField(allow_null=True, help_text="covered / villages (0-1)")
    villages_per_officer = serializers.FloatField(
        allow_null=True, help_text="active assignments / officers with a village"
    )
    officers_per_village = serializers.FloatField(
        allow_null=True, help_text="active assignments / villages with an officer"
    )


class UnitFiguresSerializer(serializers.Serializer[Any]):
    villages = serializers.IntegerField()
    covered = serializers.IntegerField()
    officers = serializers.IntegerField()
    assigned = serializers.IntegerField()


class UnitDetailSerializer(UnitRowSerializer):
    headquarters = serializers.SerializerMethodField(
        help_text="the unit's own officers and villages, not those of the units below "
        "(null when it has none of its own, or no units below it)"
    )

    @extend_schema_field(UnitFiguresSerializer(allow_null=True))
    def get_headquarters(self, row: UnitRow) -> dict[str, Any] | None:
        own = self.context.get("headquarters")
        return UnitFiguresSerializer(own).data if own is not None else None


class UnitVillageSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    district = serializers.CharField(source="parent.name")
    unit = serializers.CharField(source="jurisdiction.unit.code")
    officer_nrp = serializers.CharField(
        allow_null=True, help_text="the residents' contact among its active officers"
    )
    officer_name = serializers.CharField(allow_null=True)
    officer_count = serializers.IntegerField(help_text="active officers covering the village")


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
    serializer_class = UnitDetailSerializer

    def get(self, request: Request, code: str) -> Response:
        """One unit in the caller's scope, with counts over its subtree and those of its
        headquarters alone."""
        unit = access.access_unit(request.user, code)
        row, below = unit_and_children_rows(unit, within=access.units_for_user(request.user))
        headquarters = next((r for r in below if r.headquarters), None)
        return Response(UnitDetailSerializer(row, context={"headquarters": headquarters}).data)


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


# --- directives (Atensi Pimpinan) -----------------------------------------------------


class ReceiptSerializer(serializers.ModelSerializer[DirectiveReceipt]):
    officer = serializers.CharField(source="officer.nrp")
    officer_name = serializers.CharField(source="officer.name")

    class Meta:
        model = DirectiveReceipt
        fields = ["officer", "officer_name", "acknowledged_at", "completed_at", "note"]


class DirectiveSerializer(serializers.ModelSerializer[Directive]):
    unit = serializers.CharField(
        source="unit.code",
        help_text="the unit whose officers it reaches (to several units or to named officers: "
        "the lowest unit above them all)",
    )
    issuer = serializers.CharField(source="issuer.get_full_name")
    addressed_units: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        source="units",
        slug_field="code",
        many=True,
        read_only=True,
        help_text="when addressed to several units: their codes (each with the units below)",
    )
    named_officers = serializers.IntegerField(
        source="named",
        read_only=True,
        help_text="when addressed to named officers: how many were named",
    )
    officers = serializers.IntegerField(read_only=True)
    acknowledged = serializers.IntegerField(read_only=True)
    completed = serializers.IntegerField(read_only=True)

    class Meta:
        model = Directive
        fields = [
            "id",
            "title",
            "body",
            "unit",
            "issuer",
            "issued_at",
            "due_date",
            "to_partners",
            "addressed_units",
            "named_officers",
            "officers",
            "acknowledged",
            "completed",
        ]


class DirectiveDetailSerializer(DirectiveSerializer):
    receipts = serializers.SerializerMethodField(
        help_text="the officers it reached that the caller may see (an officer: their own)"
    )

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "receipts"]

    @extend_schema_field(ReceiptSerializer(many=True))
    def get_receipts(self, directive: Directive) -> list[Any]:
        reader = self.context["request"].user
        return list(
            ReceiptSerializer(selectors.directive_receipts(directive, reader), many=True).data
        )


class DirectiveIssueSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(
        max_length=40,
        required=False,
        help_text="to every officer of this unit and below: the code of a unit in your scope",
    )
    units = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=200,
        help_text="or to the officers of these units and below (codes in your scope)",
    )
    officers = serializers.ListField(
        child=serializers.CharField(max_length=8),
        required=False,
        max_length=500,
        help_text="or to these officers only (NRPs in your scope)",
    )
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=4000)
    due_date = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[plausible_date]
    )
    to_partners = serializers.BooleanField(
        required=False,
        default=False,
        help_text="also shown to the partners (Babinsa, village head, FKPM) of the villages "
        "of the officers it reaches",
    )


class CompleteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000)


def _directives(request: Request) -> QuerySet[Directive]:
    return selectors.progress_for(
        cast(User, request.user), access.directives_for_user(request.user)
    )


class DirectiveListView(generics.ListCreateAPIView[Directive]):
    """Directives the caller issued or that reach their units (an officer: those sent to them)."""

    serializer_class = DirectiveSerializer

    def get_queryset(self) -> QuerySet[Directive]:
        return _directives(self.request)

    @error_responses(404)
    @extend_schema(request=DirectiveIssueSerializer, responses={201: DirectiveDetailSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue a directive to the officers of a unit in the caller's scope (supervisors)."""
        if not access.can_review(request.user):
            raise PermissionDenied("Supervisors issue directives.")
        data = DirectiveIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = cast(User, request.user)
        code = values.pop("unit", "")
        unit = field_lookup("unit", lambda: access.access_unit(user, code)) if code else None
        codes, nrps = values.pop("units", []), values.pop("officers", [])
        units = field_lookup(
            "units", lambda: [access.access_unit(user, c) for c in dict.fromkeys(codes)]
        )
        officers = field_lookup(
            "officers", lambda: [access.access_officer(user, n) for n in dict.fromkeys(nrps)]
        )
        directive = services.directive_issue(
            issuer=user, unit=unit, units=units, officers=officers, **values
        )
        return Response(
            DirectiveDetailSerializer(
                _directives(request).get(pk=directive.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class DirectiveDetailView(generics.GenericAPIView[Directive]):
    serializer_class = DirectiveDetailSerializer

    def get(self, request: Request, pk: int) -> Response:
        """A directive with every officer's acknowledgment and completion."""
        directive = access.access_directive(request.user, pk)
        return Response(self.get_serializer(_directives(request).get(pk=directive.pk)).data)


class DirectiveAcknowledgeView(generics.GenericAPIView[DirectiveReceipt]):
    serializer_class = ReceiptSerializer

    @extend_schema(request=None)
    def post(self, request: Request, pk: int) -> Response:
        """The officer has read the directive."""
        directive = access.access_directive(request.user, pk)
        receipt = services.directive_acknowledge(
            receipt=access.own_receipt(request.user, directive)
        )
        return Response(ReceiptSerializer(receipt).data)


class DirectiveCompleteView(generics.GenericAPIView[Directive]):
    serializer_class = CompleteSerializer

    @extend_schema(responses={200: ReceiptSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """The officer reports the directive done."""
        directive = access.access_directive(request.user, pk)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = services.directive_complete(
            receipt=access.own_receipt(request.user, directive), note=data.validated_data["note"]
        )
        return Response(ReceiptSerializer(receipt).data)
