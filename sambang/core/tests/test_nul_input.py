"""A NUL character in a page form or a query string is refused with 400, naming the field,
before any view hands it to the database (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

import pytest
from django.test import Client

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
