"""JSON API: importing equipment, budget, allowance and training from CSV or XLSX."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang import access
from sambang.core.api import ImportResultSerializer, ImportUploadSerializer, import_upload
from sambang.personnel.models import User

from .services import KINDS, resources_import


class ResourceImportView(APIView):
    kind_name = ""  # one of KINDS, set for each route

    @extend_schema(request=ImportUploadSerializer, responses={200: ImportResultSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Import records of this kind from a file (multipart), within the caller's units.

        The columns are those of the resources page (units by code, officers by NRP). A row
        matching an existing record by its key (unit, officer and kind for equipment; unit,
        year and category for budget; unit and year for allowance; officer, course and start
        date for training) updates it. If any row is wrong nothing is written and the error
        names each row and column.
        """
        if not access.can_keep_resources(request.user):
            raise PermissionDenied("Resources are kept by supervisors and administrators.")
        kind, user = KINDS[self.kind_name], cast(User, request.user)
        result = import_upload(
            request,
            lambda path, dry_run: resources_import(
                kind=kind, path=path, user=user, dry_run=dry_run
            ),
        )
        return Response(ImportResultSerializer(result).data)
