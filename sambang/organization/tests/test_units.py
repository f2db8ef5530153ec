from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sambang.organization.models import Unit
from sambang.organization.selectors import unit_rows
from sambang.personnel.models import Role
from sambang.testing.world import World


def test_unit_rows_count_villages_coverage_and_officers_over_the_subtree(world: World) -> None:
    rows = {row.unit.code: row for row in unit_rows(Unit.objects.all())}
    cikarang_barat, setu = 11, 11  # villages of 32.16.08 and 32.16.18
    a1a = rows["POLSEK-A1A"]
    assert (a1a.villages, a1a.covered, a1a.officers) == (
        cikarang_barat,
        2,
        2,
    )  # officer + colleague
    a1 = rows["POLRES-A1"]
    assert (a1.villages, a1.covered, a1.officers) == (cikarang_barat + setu, 3, 4)
    assert a1.uncovered == a1.villages - 3
    assert a1.coverage == pytest.approx(3 / 22)
    assert rows["MABES"].officers == 11
    assert rows["POLRES-A2"].coverage == pytest.approx(1 / 8)


def test_a_unit_without_villages_has_no_coverage(world: World) -> None:
    assert unit_rows(Unit.objects.filter(code="POLDA-B"))[0].coverage == pytest.approx(1 / 4)
    lone = Unit.objects.create(
        code="POLSEK-EMPTY",
        name="Empty",
        level="polsek",
        parent=world.units["polres_a1"],
        path="MABES/POLDA-A/POLRES-A1/POLSEK-EMPTY/",
    )
    assert unit_rows(Unit.objects.filter(pk=lone.pk))[0].coverage is None


def test_unit_rows_use_a_fixed_number_of_queries(world: World) -> None:
    with CaptureQueriesContext(connection) as few:
        unit_rows(Unit.objects.filter(level="polsek"))
    with CaptureQueriesContext(connection) as many:
        unit_rows(Unit.objects.all())
    assert len(few) == len(many) == 3


def test_the_unit_page_lists_units_villages_and_officers(world: World, client: Client) -> None:
    client.force_login(world.users[Role.POLRES])
    response = client.get("/units/POLRES-A1/")
    html = response.content.decode()
    assert "Polsek A1A" in html and "Polsek A1B" in html
    assert world.villages["polsek_a1a"].name in html
    assert world.officers["polsek_a1b"].name in html
    uncovered = client.get("/units/POLRES-A1/?uncovered=1").content.decode()
    assert world.villages["polsek_a1a"].name not in uncovered
    assert world.free_villages["polsek_a1a"].name in uncovered


def test_the_unit_page_has_no_n_plus_one(world: World, client: Client) -> None:
    client.force_login(world.users[Role.NATIONAL])
    with CaptureQueriesContext(connection) as small:
        client.get("/units/POLSEK-A1A/")
    with CaptureQueriesContext(connection) as large:
        client.get("/units/MABES/")
    assert len(large) <= len(small) + 2


def test_units_redirects_to_the_top_of_the_scope(world: World, client: Client) -> None:
    client.force_login(world.users[Role.POLDA])
    assert client.get("/units/")["Location"] == "/units/POLDA-A/"
