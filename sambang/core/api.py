"""API basics: who am I, and unknown paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, upload_path


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


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text="CSV (UTF-8; comma, semicolon or tab) or XLSX: a header row, then one "
        "record a row"
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="check every row and count what would change; write nothing"
    )


class ImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text="records added (on a dry run: that would be)")
    updated = serializers.IntegerField(help_text="existing records changed")
    dry_run = serializers.BooleanField(help_text="true: nothing was written")


def import_upload(request: Request, run: Callable[[Path, bool], ImportResult]) -> ImportResult:
    """Run an import (``run(path, dry_run)``) on the request's uploaded file.

    Returns the result, or raises an ApplicationError (400) whose fields name each wrong
    row with its column and message (``{"row 3": ["village: …"]}``); then nothing was written.
    """
    data = ImportUploadSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    with upload_path(data.validated_data["file"]) as path:
        result = run(path, data.validated_data["dry_run"])
    if not result.ok:
        raise ApplicationError(
            _("%(count)s errors in the file; nothing was imported.")
            % {"count": len(result.errors.errors)},
            fields=result.errors.as_fields(),
        )
    return result


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request: Request, path: str = "") -> Response:
    """Unknown API paths answer in the error shape, even with DEBUG on."""
    raise NotFound
