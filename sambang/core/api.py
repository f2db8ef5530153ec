"""API basics: who am I, and unknown paths."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    officer_nrp = serializers.CharField(source="officer.nrp", allow_null=True, default=None)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        """The authenticated user, their role and unit."""
        return Response(MeSerializer(request.user).data)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request: Request, path: str = "") -> Response:
    """Unknown API paths answer in the error shape, even with DEBUG on."""
    raise NotFound
