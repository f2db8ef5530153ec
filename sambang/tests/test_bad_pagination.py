"""Every list operation × the bad ``limit``/``offset`` values of the catalogue.

The list operations are those of the OpenAPI document that take ``limit``; a new list is
tried here without a line added. Each bad value is answered with a page (200) of at most
``MAX_LIMIT`` rows, never a server error: ``?limit=99999999999999999999`` once reached
PostgreSQL as ``LIMIT 99999999999999999999`` (bigint out of range, a 500).
"""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from sambang.core.pagination import MAX_LIMIT
from sambang.personnel.models import Role
from sambang.testing.bad_inputs import BAD_PAGINATION
from sambang.testing.world import World
from sambang.tests.test_route_coverage import openapi_operations

pytestmark = pytest.mark.django_db


def list_operations() -> list[str]:
    """The paths of the GET operations that take ``limit`` (no path parameter: the lists
    under a record are tried with the world's records below)."""
    return sorted(
        key.split(" ", 1)[1]
        for key, operation in openapi_operations().items()
        if key.startswith("GET ")
        and any(p.get("name") == "limit" for p in operation.get("parameters", []))
    )


def test_the_lists_are_found_in_the_openapi_document() -> None:
    found = list_operations()
    assert {"/api/v1/units/", "/api/v1/reports/", "/api/v1/incidents/"} <= set(found)


def test_a_huge_or_odd_limit_or_offset_is_answered_with_a_bounded_page(world: World) -> None:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    values = {"code": world.units["polres_a1"].code}
    wrong: list[str] = []
    for path in list_operations():
        path = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], path)
        for label, query in BAD_PAGINATION:
            answer = client.get(f"{path}?{query}")
            if answer.status_code != 200:
                wrong.append(f"GET {path}?{query[:60]} ({label}): {answer.status_code}")
            elif len(answer.json()["results"]) > MAX_LIMIT:
                wrong.append(f"GET {path}?{query[:60]} ({label}): more than {MAX_LIMIT} rows")
    assert not wrong, "\n".join(wrong)


def test_a_limit_above_the_largest_gives_the_largest_page_and_a_next_link(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.NATIONAL]}")
    answer = client.get("/api/v1/regions/", {"limit": str(10**30)})
    assert answer.status_code == 200
    body = answer.json()
    assert len(body["results"]) == min(body["count"], MAX_LIMIT)
    if body["count"] > MAX_LIMIT:
        assert f"limit={MAX_LIMIT}" in body["next"]
