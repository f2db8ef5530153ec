"""The API's one pagination: ``limit`` and ``offset``, both bounded."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.request import Request

MAX_LIMIT = 500
# Far beyond any table's rows, and far below what a database's bigint holds.
MAX_OFFSET = 10**9


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's ``limit``/``offset`` pagination, with ``limit`` capped at ``MAX_LIMIT`` and
    ``offset`` at ``MAX_OFFSET``.

    Uncapped, any integer went into the query: ``?limit=99999999999999999999`` became
    ``LIMIT 99999999999999999999``, which PostgreSQL refuses (bigint out of range) with a
    500. A larger ``limit`` is answered with ``MAX_LIMIT`` rows and a ``next`` link, as DRF
    does with its ``max_limit``; a text or negative value falls back to the default, and an
    offset past the end is an empty page.
    """

    max_limit = MAX_LIMIT
    limit_query_description = cast(str, _("Number of results to return per page (at most 500)."))

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)
