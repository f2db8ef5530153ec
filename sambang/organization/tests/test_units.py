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
    with CaptureQueriesContext(connection) as again:
        unit_rows(Unit.objects.all())
    # The units, the staffing stamp (for the totals, then for the counts), three counts; the
    # national row counts the villages outside every jurisdiction too: one query more, after
    # the stamp again. Asked again while nothing changed, the totals and that count are those
    # kept under the stamp.
    assert (len(few), len(many), len(again)) == (6, 8, 3)


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


def test_headquarters_officers_count_everywhere_and_every_total_agrees(world: World) -> None:
    """The Polres's own officers (its headquarters) are a row of their own; the unit page,
    the unit's Anev, its parent's row for it and the national row all count them."""
    from rest_framework.test import APIClient

    from sambang.personnel.models import Officer, OfficerStatus

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.NATIONAL]}")
    unit = api.get("/api/v1/units/POLRES-A1").json()
    expected = Officer.objects.filter(
        unit__path__startswith=world.units["polres_a1"].path, status=OfficerStatus.ACTIVE
    ).count()
    own = Officer.objects.filter(unit=world.units["polres_a1"]).count()
    assert own >= 1 and (unit["officers"], unit["headquarters"]["officers"]) == (expected, own)
    anev = api.get("/api/v1/evaluations/POLRES-A1/2026-09").json()
    assert anev["personnel_total"]["officers"] == expected
    assert sum(row["officers"] for row in anev["personnel"]) == expected
    assert [r["headquarters"] for r in anev["personnel"]].count(True) == 1
    parent = {r["code"]: r for r in api.get("/api/v1/units/?parent=POLDA-A").json()["results"]}
    assert parent["POLRES-A1"]["officers"] == expected
    national = api.get("/api/v1/units/MABES").json()
    every = Officer.objects.filter(status=OfficerStatus.ACTIVE).count()
    assert national["officers"] == every
    client = Client()
    client.force_login(world.users[Role.NATIONAL])
    page = client.get("/units/POLRES-A1/").content.decode()
    assert "headquarters" in page and f">{expected}<" in page


def test_one_officer_for_four_villages_and_six_officers_for_one_read_sensibly(
    world: World,
) -> None:
    """A rural officer covering four villages, and an urban kelurahan with six officers,
    each for a group of RW: coverage counts villages, the two ratios say the rest."""
    import datetime as dt

    from sambang.personnel import services
    from sambang.personnel.models import Education, Officer, Rank
    from sambang.territory.models import Region

    rural = world.units["polsek_a1b"]
    officer = world.officers["polsek_a1b"]
    villages = list(
        Region.objects.filter(jurisdiction__unit=rural, assignments__isnull=True).order_by("code")
    )[:3]
    for village in villages:
        services.assignment_start(officer=officer, village=village, start_date=dt.date(2025, 1, 1))
    row = unit_rows(Unit.objects.filter(pk=rural.pk))[0]
    assert (row.covered, row.officers, row.assigned) == (4, 1, 1)
    assert (row.villages_per_officer, row.officers_per_village) == (4.0, 1.0)
    assert row.coverage == pytest.approx(4 / row.villages)

    urban = world.units["polsek_a1a"]
    kelurahan = world.free_villages["polsek_a1a"]
    for number in range(6):
        extra = Officer.objects.create(
            nrp=f"8100000{number}",
            name=f"Urban {number}",
            rank=Rank.BRIGPOL,
            unit=urban,
            education=Education.SMA,
        )
        services.assignment_start(
            officer=extra,
            village=kelurahan,
            start_date=dt.date(2025, 1, 1),
            area=f"RW {number * 2 + 1:02d}-{number * 2 + 2:02d}",
        )
    row = unit_rows(Unit.objects.filter(pk=urban.pk))[0]
    # The officer, the colleague and the six: three villages covered, eight officers.
    assert (row.covered, row.officers, row.assigned, row.assignments) == (3, 8, 8, 8)
    assert (row.villages_per_officer, row.officers_per_village) == (1.0, 2.7)
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    html = page.get(f"/units/{urban.code}/").content.decode()
    assert "and 5 more" in html and ">2.7<" in html
