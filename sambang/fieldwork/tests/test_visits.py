"""Proof of visit: the sticker's signed link, and a resident's one confirmation."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.core.devices import COOKIE
from sambang.fieldwork import selectors
from sambang.fieldwork.models import HouseholdVisit, VisitConfirmation
from sambang.testing.fieldwork import household, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(world: World, officer_api: APIClient) -> HouseholdVisit:
    payload = report_payload(world, activity_type="dds", household=household(), participants=None)
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    return HouseholdVisit.objects.get(report__uuid=payload["uuid"])


def test_the_sticker_prints_as_pdf_and_png_with_the_signed_link(
    world: World, visit: HouseholdVisit
) -> None:
    client = Client()
    client.force_login(world.users["officer"])
    pdf = client.get(f"/field/reports/{visit.report.uuid}/sticker.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    png = client.get(f"/field/reports/{visit.report.uuid}/sticker.png")
    assert png.content.startswith(b"\x89PNG")
    assert client.get(f"/field/reports/{visit.report.uuid}/sticker.svg").status_code == 404


def test_a_resident_confirms_once_and_rates_the_visit(visit: HouseholdVisit) -> None:
    token = selectors.visit_token(visit)
    resident = Client()
    page = resident.get(f"/v/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert visit.report.officer.name in html
    assert "Kampung Rawa" not in html and "Pencurian" not in html  # nothing of the household
    response = resident.post(f"/v/{token}/", {"rating": "4", "message": "Terima kasih, Pak."})
    assert response.status_code == 200
    assert "confirmed" in response.content.decode()
    confirmation = VisitConfirmation.objects.get()
    assert (confirmation.rating, confirmation.message) == (4, "Terima kasih, Pak.")
    again = Client().post(f"/v/{token}/", {"rating": "1"})
    assert again.status_code == 409
    assert VisitConfirmation.objects.get().rating == 4


def test_a_forged_or_altered_token_finds_nothing(visit: HouseholdVisit) -> None:
    token = selectors.visit_token(visit)
    assert Client().get(f"/v/{token[:-2]}xx/").status_code == 404
    assert Client().get(f"/v/{visit.report.uuid.hex}/").status_code == 404
    assert (
        APIClient()
        .post(f"/api/v1/public/visits/{token}x", {"rating": 5}, format="json")
        .status_code
        == 404
    )


def test_the_officer_cannot_confirm_their_own_visit(world: World, visit: HouseholdVisit) -> None:
    token = selectors.visit_token(visit)
    signed_in = Client()
    signed_in.force_login(world.users["officer"])
    assert signed_in.post(f"/v/{token}/", {"rating": "5"}).status_code == 403
    # The same phone, signed out: it filed the report, so it cannot vouch for it.
    phone = Client()
    phone.cookies[COOKIE] = "officer-phone-1"
    phone.force_login(world.users["officer"])
    payload = report_payload(world, activity_type="dds", household=household(), participants=None)
    assert (
        phone.post("/api/v1/reports/", payload, content_type="application/json").status_code == 201
    )
    phone.logout()
    phone.cookies[COOKIE] = "officer-phone-1"
    own = HouseholdVisit.objects.get(report__uuid=payload["uuid"])
    response = phone.post(f"/v/{selectors.visit_token(own)}/", {"rating": "5"})
    assert response.status_code == 403
    assert "own phone" in response.content.decode()
    assert not VisitConfirmation.objects.exists()


@pytest.mark.parametrize("rating", ["0", "6", "", "five"])
def test_a_rating_outside_one_to_five_is_refused(visit: HouseholdVisit, rating: str) -> None:
    response = Client().post(f"/v/{selectors.visit_token(visit)}/", {"rating": rating})
    assert response.status_code == 400
    assert not VisitConfirmation.objects.exists()
