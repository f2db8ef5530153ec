"""Residents' reports: filed without an account, routed, answered, flagged when late."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from sambang.audit.models import AuditAction, AuditEvent
from sambang.personnel.models import Role
from sambang.public.models import CitizenAttachment, CitizenEvent, CitizenReport, CitizenStatus
from sambang.testing.fieldwork import photo_bytes
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": "crime",
        "description": "Motor tetangga dicuri tadi malam dari depan rumah.",
        "place": "Gang Melati dekat musala",
        "anonymous": "on",
    }
    values.update(overrides)
    return values


def file_on_page(
    world: World, key: str = "polsek_a1a", assigned: bool = True, **overrides: Any
) -> CitizenReport:
    village = (world.villages if assigned else world.free_villages)[key]
    response = Client().post(f"/lapor/{village.code}/", form(**overrides))
    assert response.status_code == 201, response.content.decode()[:2000]
    return CitizenReport.objects.latest("id")


def staff(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def test_a_resident_reports_from_the_village_link_and_follows_it_by_code(world: World) -> None:
    village = world.villages["polsek_a1a"]
    page = Client().get(f"/lapor/{village.code}/")
    assert page.status_code == 200
    assert world.officers["polsek_a1a"].name in page.content.decode()  # the officer's contact
    response = Client().post(f"/lapor/{village.code}/", form())
    assert response.status_code == 201
    report = CitizenReport.objects.get()
    assert report.tracking_code in response.content.decode()
    # Routed to the village's officer and its Polsek.
    assert (report.officer, report.unit) == (
        world.officers["polsek_a1a"],
        world.units["polsek_a1a"],
    )
    assert report.status == CitizenStatus.ASSIGNED
    assert report.due_at - report.received_at == dt.timedelta(hours=72)
    status = Client().get(f"/lapor/status/?code={report.tracking_code.lower()}", follow=True)
    assert "Assigned" in status.content.decode()
    assert "Motor tetangga" not in status.content.decode()
    assert Client().get("/lapor/status/NOTACODE00/").status_code == 404


def test_a_report_by_position_finds_its_village(world: World) -> None:
    village = world.villages["polsek_a1a"]
    response = APIClient().post(
        "/api/v1/public/citizen-reports",
        {
            "category": "disorder",
            "description": "Balap liar setiap malam Minggu.",
            "latitude": village.centroid_lat,
            "longitude": village.centroid_lng,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= {"tracking_code", "status", "answer"} and "reporter_name" not in body
    assert CitizenReport.objects.get().village == village
    followed = APIClient().get(f"/api/v1/public/citizen-reports/{body['tracking_code']}").json()
    assert followed["status"] == "assigned"


def test_a_village_without_an_officer_waits_for_the_polsek_to_assign(world: World) -> None:
    report = file_on_page(world, assigned=False)
    assert (report.status, report.officer, report.unit) == (
        CitizenStatus.RECEIVED,
        None,
        world.units["polsek_a1a"],
    )
    polsek = staff(world, Role.POLSEK)
    assert world.colleague is not None
    response = polsek.post(
        f"/api/v1/citizen-reports/{report.tracking_code}/assign",
        {"officer": world.colleague.nrp},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    other = world.officers["polsek_a1b"].nrp
    assert (
        polsek.post(
            f"/api/v1/citizen-reports/{report.tracking_code}/assign",
            {"officer": other},
            format="json",
        ).status_code
        == 400
    )
    assert (
        staff(world, Role.OFFICER)
        .post(
            f"/api/v1/citizen-reports/{report.tracking_code}/assign",
            {"officer": world.officers["polsek_a1a"].nrp},
            format="json",
        )
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": ""}, "category"),
        ({"description": "   "}, "description"),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at"),
        ({"anonymous": ""}, "reporter_name"),
        (
            {"anonymous": "", "reporter_name": "Ibu Sari", "reporter_phone": "call me"},
            "reporter_phone",
        ),
        ({"latitude": "-6.2"}, "latitude"),
    ],
)
def test_bad_input_names_the_field_keeps_the_text_and_saves_nothing(
    world: World, overrides: dict, field: str
) -> None:
    village = world.villages["polsek_a1a"]
    response = Client().post(f"/lapor/{village.code}/", form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="{field}-errors"' in html
    if overrides.get("description") is None:
        assert "Motor tetangga dicuri" in html
    assert not CitizenReport.objects.exists()


def test_an_unknown_village_or_position_is_a_field_error(world: World) -> None:
    api = APIClient()
    assert api.post(
        "/api/v1/public/citizen-reports",
        {"category": "crime", "description": "x", "village": "99.99.99.9999"},
        format="json",
    ).json()["error"]["fields"].keys() == {"village"}
    far = api.post(
        "/api/v1/public/citizen-reports",
        {"category": "crime", "description": "x", "latitude": -70.0, "longitude": 10.0},
        format="json",
    )
    assert "village" in far.json()["error"]["fields"]
    assert Client().get("/lapor/99.99.99.9999/").status_code == 404


def test_a_photo_that_fails_never_loses_the_report(world: World) -> None:
    village = world.villages["polsek_a1a"]
    files = [
        SimpleUploadedFile("virus.jpg", b"MZ not a photo", content_type="image/jpeg"),
        *(
            SimpleUploadedFile(f"p{n}.jpg", photo_bytes(n), content_type="image/jpeg")
            for n in range(4)
        ),
    ]
    response = Client().post(f"/lapor/{village.code}/", {**form(), "photos": files})
    assert response.status_code == 201
    html = response.content.decode()
    assert "virus.jpg" in html and "p3.jpg" in html  # the bad one, and the one over the limit
    assert CitizenReport.objects.count() == 1
    assert CitizenAttachment.objects.count() == 3  # p0–p2; the bad one and p3 were not kept


def test_too_many_reports_from_one_address_are_refused_and_the_text_kept(
    world: World, settings: Any
) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 2
    village = world.villages["polsek_a1a"]
    client = Client()
    assert client.post(f"/lapor/{village.code}/", form()).status_code == 201
    assert client.post(f"/lapor/{village.code}/", form()).status_code == 201
    third = client.post(f"/lapor/{village.code}/", form(description="Laporan ketiga yang panjang."))
    assert third.status_code == 429
    assert (
        "Too many reports" in third.content.decode()
        and "Laporan ketiga yang panjang." in third.content.decode()
    )
    api = APIClient().post(
        "/api/v1/public/citizen-reports",
        {"category": "crime", "description": "x", "village": village.code},
        format="json",
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"
    assert CitizenReport.objects.count() == 2


def test_a_bot_filling_the_hidden_field_saves_nothing(world: World) -> None:
    village = world.villages["polsek_a1a"]
    response = Client().post(f"/lapor/{village.code}/", form(website="http://spam.example"))
    assert response.status_code == 201
    api = APIClient().post(
        "/api/v1/public/citizen-reports",
        {"category": "crime", "description": "x", "village": village.code, "website": "x"},
        format="json",
    )
    assert api.status_code == 201 and api.json()["tracking_code"]
    assert not CitizenReport.objects.exists()


def test_handling_moves_forward_is_logged_and_answers_reach_the_reporter(world: World) -> None:
    report = file_on_page(world)
    officer = staff(world, Role.OFFICER)
    url = f"/api/v1/citizen-reports/{report.tracking_code}"
    assert officer.post(f"{url}/status", {"status": "closed"}, format="json").status_code == 400
    assert officer.post(f"{url}/status", {"status": "rejected"}, format="json").json()["error"][
        "fields"
    ].keys() == {"reason"}
    body = officer.post(
        f"{url}/status", {"status": "in_progress", "note": "Cek ke lokasi"}, format="json"
    ).json()
    assert body["status"] == "in_progress" and body["first_response_at"]
    officer.post(
        f"{url}/answer",
        {"note": "Kami sudah ke lokasi dan berkoordinasi dengan RT."},
        format="json",
    )
    officer.post(f"{url}/status", {"status": "resolved"}, format="json")
    status = APIClient().get(f"/api/v1/public/citizen-reports/{report.tracking_code}").json()
    assert status["status"] == "resolved" and "berkoordinasi" in status["answer"]
    steps = list(CitizenEvent.objects.filter(report=report).values_list("status_to", flat=True))
    assert steps == ["received", "assigned", "in_progress", "", "resolved"]


def test_a_rejection_tells_the_reporter_why(world: World) -> None:
    report = file_on_page(world)
    staff(world, Role.POLSEK).post(
        f"/api/v1/citizen-reports/{report.tracking_code}/status",
        {"status": "rejected", "reason": "Bukan wilayah hukum kami."},
        format="json",
    )
    page = Client().get(f"/lapor/status/{report.tracking_code}/").content.decode()
    assert "Rejected" in page and "Bukan wilayah hukum kami." in page


def test_a_rejection_without_a_reason_on_the_page_keeps_what_was_written(world: World) -> None:
    report = file_on_page(world)
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLSEK])
    note = "Sudah dicek ke lokasi bersama Babinsa; tidak ditemukan kejadian."
    page = supervisor.post(
        f"/citizen-reports/{report.tracking_code}/",
        {"action": "status", "status": "rejected", "note": note, "reason": ""},
        follow=True,
    ).content.decode()
    report.refresh_from_db()
    assert report.status != CitizenStatus.REJECTED
    assert 'class="message error">Say why the report is rejected.' in page
    assert f'id="note" rows="2" maxlength="2000">{note}</textarea>' in page
    assert '<option value="rejected" selected>' in page
    # Kept once: the page after that one starts empty again.
    again = supervisor.get(f"/citizen-reports/{report.tracking_code}/").content.decode()
    assert note not in again


def test_overdue_reports_are_flagged_up_the_tree(world: World) -> None:
    late = file_on_page(world)
    CitizenReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    file_on_page(world, key="polsek_a1b")  # not late
    for role in (Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL):
        overdue = staff(world, role).get("/api/v1/citizen-reports/?overdue=1").json()["results"]
        assert [r["tracking_code"] for r in overdue] == [late.tracking_code], role
    polres_page = Client()
    polres_page.force_login(world.users[Role.POLRES])
    html = polres_page.get("/citizen-reports/").content.decode()
    assert "Polsek A1A" in html and 'class="badge bad">1<' in html
    staff(world, Role.OFFICER).post(
        f"/api/v1/citizen-reports/{late.tracking_code}/answer",
        {"note": "Sedang ditangani."},
        format="json",
    )
    assert (
        staff(world, Role.POLRES).get("/api/v1/citizen-reports/?overdue=1").json()["results"] == []
    )


def test_the_reporters_identity_is_seen_in_scope_only_and_every_view_is_audited(
    world: World,
) -> None:
    report = file_on_page(
        world, anonymous="", reporter_name="Ibu Sari Contoh", reporter_phone="0812 3456 7890"
    )
    url = f"/api/v1/citizen-reports/{report.tracking_code}"
    for role in (Role.OFFICER, Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL):
        assert staff(world, role).get(url).json()["reporter_name"] == "Ibu Sari Contoh"
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.VIEW_REPORTER, object_id=str(report.pk)
        ).count()
        == 5
    )
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    assert (
        "Ibu Sari Contoh" in page.get(f"/citizen-reports/{report.tracking_code}/").content.decode()
    )
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_REPORTER).count() == 6
    event = AuditEvent.objects.latest("id")
    assert (event.username, event.path) == (
        world.users[Role.POLSEK].username,
        f"/citizen-reports/{report.tracking_code}/",
    )
    # Lists, the status page and other units never show it.
    assert (
        "Ibu Sari" not in staff(world, Role.POLSEK).get("/api/v1/citizen-reports/").content.decode()
    )
    assert "Ibu Sari" not in Client().get(f"/lapor/status/{report.tracking_code}/").content.decode()
    assert "Ibu Sari" not in page.get("/citizen-reports/").content.decode()
    for outsider in (Role.ADMIN,):
        assert staff(world, outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_REPORTER).count() == 6


def test_an_anonymous_report_stores_no_identity_and_audits_nothing(world: World) -> None:
    report = file_on_page(world, reporter_name="Should not be kept")
    assert (report.anonymous, report.reporter_name) == (True, "")
    staff(world, Role.POLSEK).get(f"/api/v1/citizen-reports/{report.tracking_code}")
    assert not AuditEvent.objects.exists()


def test_each_village_has_a_qr_code_to_its_form(world: World) -> None:
    village = world.villages["polsek_a1a"]
    response = Client().get(f"/lapor/{village.code}/qr.png")
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    found = Client().get("/lapor/?q=" + village.name[:5]).content.decode()
    assert f"/lapor/{village.code}/" in found


def test_behind_a_trusted_proxy_the_limit_counts_each_client_not_the_proxy(
    world: World, settings: Any
) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 1
    settings.SAMBANG_TRUSTED_PROXIES = 1
    village = world.villages["polsek_a1a"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def post(forwarded_for: str) -> int:
        return proxy.post(
            f"/lapor/{village.code}/", form(), HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert post("203.0.113.7") == 201
    assert post("203.0.113.8") == 201  # another resident through the same proxy
    # A client cannot escape the limit by writing its own X-Forwarded-For entry.
    assert post("198.51.100.1, 203.0.113.7") == 429
    settings.SAMBANG_TRUSTED_PROXIES = 0  # no proxy: the header is the client's word, ignored
    assert post("192.0.2.98") == 201
    assert post("192.0.2.99") == 429


def test_the_export_holds_the_units_reports_and_never_the_reporter(world: World) -> None:
    named = file_on_page(
        world,
        anonymous="",
        reporter_name="Siti Rahayu",
        reporter_phone="081234567890",
        place='=HYPERLINK("http://evil")',
    )
    elsewhere = file_on_page(world, key="polsek_b1a")
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    listing = page.get("/citizen-reports/")
    assert "?export=csv" in listing.content.decode()
    response = page.get("/citizen-reports/?export=csv&status=assigned")
    assert response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["tracking_code"] for row in rows] == [named.tracking_code]
    assert "Siti" not in text and "081234567890" not in text
    assert rows[0]["place"].startswith("'=")  # never a formula in a spreadsheet
    workbook = page.get("/citizen-reports/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.getvalue())).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "tracking_code" and [row[0] for row in values[1:]] == [
        named.tracking_code
    ]
    assert elsewhere.tracking_code not in str(values) and "Siti" not in str(values)
    assert isinstance(values[1][1], dt.datetime)
