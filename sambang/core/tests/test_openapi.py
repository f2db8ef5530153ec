"""The OpenAPI document describes every endpoint under /api/v1/."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver


@pytest.mark.django_db
def test_the_openapi_document_lists_every_api_route(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    assert isinstance(api, URLResolver)
    for pattern in api.url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):
            continue  # the catch-all that answers unknown paths with 404
        path = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}")
        assert path in documented, path
    assert "tokenAuth" in document["components"]["securitySchemes"]


@pytest.mark.django_db
def test_list_endpoints_are_documented_as_paginated(client: Client) -> None:
    document = client.get("/api/openapi.json").json()
    units = document["paths"]["/api/v1/units/"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    name = units["$ref"].rsplit("/", 1)[-1]
    assert "results" in document["components"]["schemas"][name]["properties"]


def test_the_schema_validates_without_warnings(tmp_path: object) -> None:
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", f"{tmp_path}/schema.yml")
