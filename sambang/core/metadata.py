"""What the API answers to ``OPTIONS``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata

if TYPE_CHECKING:  # DRF imports this module while it defines APIView
    from rest_framework.request import Request
    from rest_framework.views import APIView


class Metadata(SimpleMetadata):
    """The view's name and description and the media types it renders and parses; no
    "actions".

    DRF's default also describes the fields each write takes, and to do so calls the
    view's ``get_object()`` and permission checks as though a PUT or POST had been sent.
    Our views look their record up themselves, through ``sambang.access``, and have no
    ``queryset``: DRF's ``get_object()`` failed on an assertion, a 500 (the village profile
    and the photo upload were the first found). The OpenAPI document
    (``/api/openapi.json``) describes every operation's fields.
    """

    def determine_actions(self, request: Request, view: APIView) -> dict[str, Any]:
        return {}
