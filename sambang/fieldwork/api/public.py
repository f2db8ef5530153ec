"""JSON API for residents: the schedule board and visit confirmation (no login)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from sambang.core.devices import device_of, network_of
from sambang.core.openapi import error_responses
from sambang.organization.models import Unit, UnitLevel

from .. import selectors, services
from ..models import HouseholdVisit, VisitConfirmation


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


def board_json(unit: Unit, request: Request | HttpRequest) -> dict[str, Any]:
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
    visited = serializers.BooleanField(
        default=True, help_text="false: nobody visited this household (no rating then)"
    )
    rating = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True, default=None
    )
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

    @error_responses(403, 409)
    @extend_schema(responses={201: VisitSerializer})
    def post(self, request: Request, token: str) -> Response:
        visit = self._visit(token)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.visit_confirm(
            visit=visit,
            device=device_of(request),
            network=network_of(request),
            user=request.user,
            **data.validated_data,
        )
        return Response(visit_json(visit), status=status.HTTP_201_CREATED)
