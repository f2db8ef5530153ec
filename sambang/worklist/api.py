"""JSON API of the work queue: what waits for the caller, as on their home page."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang.accounts.api import request_user

from .selectors import KINDS, work_queue

# ``label`` cannot be a serializer's attribute (every field has one): the schema is inline.
WORK_ITEM = inline_serializer(
    "WorkItem",
    {
        "kind": serializers.ChoiceField(
            KINDS, help_text=_("what kind of work (stable, for clients)")
        ),
        "label": serializers.CharField(help_text=_("what is counted, in the caller's language")),
        "count": serializers.IntegerField(help_text=_("how many wait (0: nothing)")),
        "url": serializers.CharField(help_text=_("the page where the work is done")),
        "since": serializers.CharField(
            allow_null=True, help_text=_("when the oldest began to wait (date or date-time)")
        ),
        "late": serializers.IntegerField(help_text=_("how many of them are late")),
        "late_means": serializers.CharField(help_text=_("what late means for this kind")),
        "at_least": serializers.BooleanField(
            help_text=_("more wait than count: counting stopped there")
        ),
    },
    many=True,
)


class QueueView(APIView):
    @extend_schema(responses={200: WORK_ITEM})
    def get(self, request: Request) -> Response:
        """What waits for the caller, in the order of their home page: every kind of work
        their role has, with its count (0 included) and the page where it is done. An
        officer: returned reports, today's plans, directives, residents' reports; a
        supervisor: reports to review, residents' reports, early-detection information,
        overdue directives, Anev months; an administrator: none."""
        items = work_queue(request_user(request))
        rows = [
            {**asdict(item), "since": item.since.isoformat() if item.since else None}
            for item in items
        ]
        return Response(rows)
