"""Proof of visit: the sticker's signed link, and a resident's one confirmation."""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from PIL import Image
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
    # The picture is the whole A6 sticker (issue 19, edge 9), not a bare QR code; both
    # download rather than open in the browser's own viewer.
    picture = Image.open(io.BytesIO(png.content))
    assert picture.size == (840, 1184)
    grey = picture.convert("L")
    top, qr_band = grey.crop((0, 0, 840, 300)), grey.crop((180, 400, 660, 880))
    darkest, _lightest = top.getextrema()
    assert (
        isinstance(darkest, int) and darkest < 100
    )  # text: the title, the officer, the village, the date
    assert qr_band.histogram()[0] > 20_000  # the QR code's black modules
    for answer, kind in ((pdf, "pdf"), (png, "png")):
        assert answer["Content-Disposition"] == (
            f'attachment; filename="sambang-visit-{visit.report.uuid}.{kind}"'
        )
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


NARRATIVES = iter(
    f"Sambang ke rumah warga nomor {n}: membahas {topic} dan menyimpan nomor telepon Polsek."
    for n in range(1, 1000)
    for topic in ("ronda malam", "pencurian motor", "banjir", "judi online")
)


def dds(api: APIClient, world: World, **address: str) -> HouseholdVisit:
    """A household visit filed from the officer's phone (his network: 127.0.0.1)."""
    payload = report_payload(
        world,
        narrative=next(NARRATIVES),
        activity_type="dds",
        household=household(**address),
        participants=None,
        accuracy_m=900,  # a warning: only a resident's confirmation makes it verified
    )
    assert api.post("/api/v1/reports/", payload, format="json").status_code == 201
    return HouseholdVisit.objects.get(report__uuid=payload["uuid"])


def level_and_confirmation(visit: HouseholdVisit) -> tuple[str, dict[str, Any]]:
    report = visit.report
    report.refresh_from_db()
    signal = next(s for s in report.integrity_signals if s["code"] == "confirmed")
    return report.integrity_level, signal


class TestWhoCanConfirm:
    """The officer's own phone, browser or network cannot produce a counted confirmation."""

    def test_the_officer_confirming_from_a_fresh_client_on_his_network_does_not_count(
        self, world: World, officer_api: APIClient
    ) -> None:
        """The attack: the sticker carries the link; any client without his cookie or token
        used to count as a resident. From the network he works from, it does not count."""
        visit = dds(officer_api, world)
        fresh = APIClient()  # no token, no device id, the officer's own address
        token = selectors.visit_token(visit)
        response = fresh.post(f"/api/v1/public/visits/{token}", {"rating": 5}, format="json")
        assert response.status_code == 201  # thanked, but not believed
        level, signal = level_and_confirmation(visit)
        assert (level, signal["status"]) == ("plausible", "warn")
        assert signal["params"]["network_seen"] is True

    def test_a_resident_on_their_own_network_verifies_the_visit(
        self, world: World, officer_api: APIClient
    ) -> None:
        visit = dds(officer_api, world)
        resident = Client(REMOTE_ADDR="10.20.30.40")
        assert (
            resident.post(f"/v/{selectors.visit_token(visit)}/", {"rating": "5"}).status_code == 200
        )
        level, signal = level_and_confirmation(visit)
        assert (level, signal["status"]) == ("verified", "pass")

    def test_one_device_confirming_visits_to_several_households_is_a_pattern(
        self, world: World, officer_api: APIClient
    ) -> None:
        first = dds(officer_api, world, rt="001", house_number="4")
        second = dds(officer_api, world, rt="009", house_number="17")
        device = Client(REMOTE_ADDR="10.99.0.1")
        device.cookies[COOKIE] = "one-phone-for-every-household"
        for visit in (first, second):
            assert (
                device.post(f"/v/{selectors.visit_token(visit)}/", {"rating": "5"}).status_code
                == 200
            )
        for visit in (first, second):
            level, signal = level_and_confirmation(visit)
            assert (level, signal["status"], signal["params"]) == (
                "doubtful",
                "fail",
                {"same_device": 2},
            )

    def test_a_household_visited_twice_confirms_both_visits_from_its_phone(
        self, world: World, officer_api: APIClient
    ) -> None:
        visits = [dds(officer_api, world, rt="002", house_number="8") for _ in range(2)]
        phone = Client(REMOTE_ADDR="10.99.0.2")
        phone.cookies[COOKIE] = "the-households-phone"
        for visit in visits:
            assert (
                phone.post(f"/v/{selectors.visit_token(visit)}/", {"rating": "4"}).status_code
                == 200
            )
        assert [level_and_confirmation(v)[0] for v in visits] == ["verified", "verified"]

    def test_a_resident_saying_nobody_came_makes_the_report_doubtful_for_the_polsek(
        self, world: World, officer_api: APIClient
    ) -> None:
        visit = dds(officer_api, world)
        resident = Client(REMOTE_ADDR="10.20.30.41")
        page = resident.get(f"/v/{selectors.visit_token(visit)}/").content.decode()
        assert "Nobody visited me" in page
        response = resident.post(
            f"/v/{selectors.visit_token(visit)}/",
            {"visited": "no", "message": "Tidak ada yang datang."},
        )
        assert response.status_code == 200
        assert "the Polsek will look into it" in response.content.decode()
        level, signal = level_and_confirmation(visit)
        assert (level, signal["status"], signal["params"]) == ("doubtful", "fail", {"denied": True})
        # The Polsek sees it among the visits residents denied.
        polsek = Client()
        polsek.force_login(world.users["polsek"])
        listed = polsek.get("/field/reports/?denied=1").content.decode()
        assert f"/field/reports/{visit.report.uuid}/" in listed
        month = visit.report.occurred_at.astimezone(ZoneInfo("Asia/Jakarta"))
        anev = polsek.get(f"/anev/POLSEK-A1A/{month:%Y-%m}/").content.decode()
        assert "Visits residents say never happened" in anev
        assert polsek.get("/field/reports/?denied=1&unit=POLSEK-A1B").content.decode().count(
            "/field/reports/"
        ) < listed.count("/field/reports/")
