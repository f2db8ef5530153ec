"""A NUL character in a page form or a query string is refused with 400, naming the field,
and one in the path with 404, before any view hands it to the database (PostgreSQL refuses
NUL in text). Every path parameter of every route: ``sambang/tests/test_bad_paths.py``."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.public.models import CitizenReport
from sambang.testing.world import World


@pytest.mark.django_db
def test_a_form_field_with_nul_is_refused_by_name_and_nothing_is_kept(
    world: World, client: Client
) -> None:
    response = client.post("/lapor/", {"description": "Jalan rusak\x00", "name": "Warga"})
    assert response.status_code == 400
    assert "description" in response.content.decode()
    assert not CitizenReport.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_form_and_a_page_query_with_nul_are_refused(
    world: World, client: Client
) -> None:
    client.force_login(world.users[Role.POLSEK])
    answer = client.post("/directives/", {"title": "Patroli\x00"})
    assert answer.status_code == 400 and "title" in answer.content.decode()
    assert client.get("/officers/?q=a%00b").status_code == 400
    assert client.get("/officers/?q=ab").status_code == 200


@pytest.mark.django_db
def test_a_path_with_nul_is_a_404_in_the_error_shape_of_each_side(world: World) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    answer = api.get("/api/v1/units/POLRES-A1%00")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    page = Client()
    page.force_login(world.users[Role.POLRES])
    shown = page.get("/units/POLRES-A1%00/")
    assert shown.status_code == 404 and b"<h1>404</h1>" in shown.content
    # Public routes too, before any login check.
    assert Client().get("/lapor/status/AB%00CD/").status_code == 404
    assert Client().get("/officers/8%00/")["Content-Type"].startswith("text/html")
