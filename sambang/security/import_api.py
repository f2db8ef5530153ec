"""JSON API: importing incidents kept on paper from a CSV or XLSX file (supervisors)."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang import access
from sambang.core.api import ImportResultSerializer, ImportUploadSerializer, import_upload
from sambang.personnel.models import User

from .imports import IncidentImportResult, incidents_import


class IncidentImportResultSerializer(ImportResultSerializer):
    unchanged = serializers.IntegerField(help_text="rows matching an incident already recorded")


class IncidentImportView(APIView):
    @extend_schema(request=ImportUploadSerializer, responses={200: IncidentImportResultSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Import incidents from a file (multipart), one a row, into the caller's villages.

        Columns: village (code), occurred_at (local to the village's Polsek), category
        (code or name), description; optional modus_operandi, groups_involved, dead,
        injured, losses_idr, status, latitude, longitude. Each row is checked as a single
        incident is; if any row is wrong nothing is written and the error names each row
        and column. A row matching an incident already recorded (village, time, category,
        description) updates it: importing a file twice adds nothing.
        """
        if not access.can_import_incidents(request.user):
            raise PermissionDenied("Incidents are imported by supervisors.")
        user = cast(User, request.user)
        result = cast(
            IncidentImportResult,
            import_upload(
                request,
                lambda path, dry_run: incidents_import(path=path, user=user, dry_run=dry_run),
            ),
        )
        return Response(IncidentImportResultSerializer(result).data)
