from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from sambang.core.errors import ApplicationError
from sambang.personnel import services
from sambang.personnel.models import Assignment, OfficerStatus, Role
from sambang.testing.world import World


def test_a_village_has_one_contact_and_an_officer_covers_it_once_even_in_the_database(
    world: World,
) -> None:
    second_contact = {
        "officer": world.officers["polsek_a1b"],
        "village": world.villages["polsek_a1a"],
        "start_date": dt.date(2025, 1, 1),
        "is_contact": True,
    }
    again = {
        "officer": world.officers["polsek_a1a"],
        "village": world.villages["polsek_a1a"],
        "start_date": dt.date(2025, 1, 1),
    }
    for values in (second_contact, again):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.create(**values)


def test_a_village_may_have_several_officers_and_one_contact_for_residents(
    world: World, client: Client
) -> None:
    village = world.villages["polsek_a1a"]
    first = world.assignments["polsek_a1a"]
    colleague = world.colleague
    assert colleague is not None
    second = services.assignment_start(
        officer=colleague, village=village, start_date=dt.date(2025, 1, 1), area="RW 06-10"
    )
    assert (first.is_contact, second.is_contact, second.area) == (True, False, "RW 06-10")
    # The residents' page names the contact.
    page = client.get(f"/lapor/{village.code}/").content.decode()
    assert world.officers["polsek_a1a"].name in page and colleague.name not in page
    # The contact changes hands on request; ending the contact's assignment hands it on.
    services.assignment_make_contact(assignment=second)
    first.refresh_from_db()
    assert not first.is_contact
    assert colleague.name in client.get(f"/lapor/{village.code}/").content.decode()
    services.assignment_end(assignment=second, end_date=dt.date(2025, 3, 1))
    first.refresh_from_db()
    assert first.is_contact


def test_a_supervisor_adds_a_second_officer_and_moves_the_contact_on_the_village_page(
    world: World, client: Client
) -> None:
    client.force_login(world.users[Role.POLSEK])
    village = world.villages["polsek_a1a"]
    colleague = world.colleague
    assert colleague is not None
    response = client.post(
        f"/villages/{village.code}/assign/",
        {"officer": colleague.nrp, "start_date": "2025-03-01", "area": "RW 06-10"},
        follow=True,
    )
    html = response.content.decode()
    assert "now covers" in html and "RW 06-10" in html
    added = Assignment.objects.get(officer=colleague, village=village, end_date__isnull=True)
    client.post(f"/officers/assignments/{added.pk}/contact/")
    assert Assignment.objects.get(village=village, is_contact=True, end_date__isnull=True) == added


def test_an_officer_may_cover_several_villages(world: World) -> None:
    officer = world.officers["polsek_a1a"]
    services.assignment_start(
        officer=officer, village=world.free_villages["polsek_a1a"], start_date=dt.date(2025, 1, 1)
    )
    assert officer.assignments.filter(end_date__isnull=True).count() == 2


def test_transfers_keep_the_history(world: World) -> None:
    village = world.villages["polsek_a1a"]
    services.assignment_end(
        assignment=world.assignments["polsek_a1a"], end_date=dt.date(2025, 1, 31)
    )
    successor = world.colleague
    assert successor is not None
    services.assignment_start(officer=successor, village=village, start_date=dt.date(2025, 2, 1))
    history = list(
        village.assignments.order_by("start_date").values_list("officer__nrp", "end_date")
    )
    assert history == [
        (world.officers["polsek_a1a"].nrp, dt.date(2025, 1, 31)),
        (successor.nrp, None),
    ]


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("covered already", "village"),
        ("outside", "village"),
        ("overlap", "start_date"),
        ("inactive", "officer"),
    ],
)
def test_invalid_assignments_name_the_field(world: World, case: str, field: str) -> None:
    officer = world.officers["polsek_a1a"]
    village = world.free_villages["polsek_a1a"]
    start = dt.date(2025, 1, 1)
    if case == "covered already":
        village = world.villages["polsek_a1a"]
    elif case == "outside":
        village = world.free_villages["polsek_b1a"]
    elif case == "overlap":
        Assignment.objects.create(
            officer=officer,
            village=village,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2025, 6, 30),
        )
    elif case == "inactive":
        officer.status = OfficerStatus.RETIRED
        officer.save()
    with pytest.raises(ApplicationError) as error:
        services.assignment_start(officer=officer, village=village, start_date=start)
    assert field in error.value.fields


def test_ending_before_the_start_or_twice_is_refused(world: World) -> None:
    assignment = world.assignments["polsek_a1a"]
    with pytest.raises(ApplicationError) as early:
        services.assignment_end(assignment=assignment, end_date=dt.date(2023, 1, 1))
    assert "end_date" in early.value.fields
    services.assignment_end(assignment=assignment, end_date=dt.date(2025, 1, 1))
    with pytest.raises(ApplicationError):
        services.assignment_end(assignment=assignment, end_date=dt.date(2025, 2, 1))


def test_a_supervisor_assigns_from_the_village_page(world: World, client: Client) -> None:
    client.force_login(world.users[Role.POLSEK])
    village = world.free_villages["polsek_a1a"]
    response = client.post(
        f"/villages/{village.code}/assign/",
        {"officer": world.officers["polsek_a1a"].nrp, "start_date": "2025-03-01"},
        follow=True,
    )
    assert "now covers" in response.content.decode()
    assert Assignment.objects.filter(village=village, end_date__isnull=True).exists()


def test_a_bad_assignment_on_the_page_explains_itself_and_saves_nothing(
    world: World, client: Client
) -> None:
    client.force_login(world.users[Role.POLSEK])
    village = world.free_villages["polsek_a1a"]
    response = client.post(
        f"/villages/{village.code}/assign/",
        {"officer": world.officers["polsek_b1a"].nrp, "start_date": "not a date"},
        follow=True,
    )
    html = response.content.decode()
    assert "No officer with this NRP in your units." in html
    assert "Enter a valid date." in html
    assert not Assignment.objects.filter(village=village).exists()


def test_the_api_ends_an_assignment(world: World) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    assignment = world.assignments["polsek_a1b"]
    response = api.post(
        f"/api/v1/assignments/{assignment.pk}/end", {"end_date": "2025-04-01"}, format="json"
    )
    assert response.status_code == 200 and response.json()["active"] is False
    again = api.post(
        f"/api/v1/assignments/{assignment.pk}/end", {"end_date": "2025-04-02"}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_the_api_assigns_a_part_of_a_village_and_moves_the_contact(world: World) -> None:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLSEK]}")
    colleague = world.colleague
    assert colleague is not None
    village = world.villages["polsek_a1a"]
    created = api.post(
        "/api/v1/assignments/",
        {
            "officer": colleague.nrp,
            "village": village.code,
            "start_date": "2025-02-01",
            "area": "RW 06-10",
            "contact": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (created.json()["area"], created.json()["is_contact"]) == ("RW 06-10", True)
    world.assignments["polsek_a1a"].refresh_from_db()
    assert not world.assignments["polsek_a1a"].is_contact
    back = api.post(f"/api/v1/assignments/{world.assignments['polsek_a1a'].pk}/contact")
    assert back.status_code == 200 and back.json()["is_contact"] is True
