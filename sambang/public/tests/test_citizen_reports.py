"""Residents' reports: filed without an account, routed, answered, flagged when late."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
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
    assert response.status_code == 303, response.content.decode()[:2000]
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
    response = Client().post(f"/lapor/{village.code}/", form(), follow=True)
    assert response.redirect_chain[0][1] == 303
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
    resident = Client()
    response = resident.post(f"/lapor/{village.code}/", {**form(), "photos": files}, follow=True)
    assert response.redirect_chain[0][1] == 303
    html = response.content.decode()
    assert "virus.jpg" in html and "p3.jpg" in html  # the bad one, and the one over the limit
    # Said once: the page seen again is the report's status.
    assert "virus.jpg" not in resident.get(response.redirect_chain[0][0]).content.decode()
    assert CitizenReport.objects.count() == 1
    assert CitizenAttachment.objects.count() == 3  # p0–p2; the bad one and p3 were not kept


def test_too_many_reports_from_one_address_are_refused_and_the_text_kept(
    world: World, settings: Any
) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 2
    village = world.villages["polsek_a1a"]
    client = Client()
    assert client.post(f"/lapor/{village.code}/", form()).status_code == 303
    assert client.post(f"/lapor/{village.code}/", form()).status_code == 303
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
    assert response.status_code == 303
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

    assert post("203.0.113.7") == 303
    assert post("203.0.113.8") == 303  # another resident through the same proxy
    # A client cannot escape the limit by writing its own X-Forwarded-For entry.
    assert post("198.51.100.1, 203.0.113.7") == 429
    settings.SAMBANG_TRUSTED_PROXIES = 0  # no proxy: the header is the client's word, ignored
    assert post("192.0.2.98") == 303
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


# --- sent once: post/redirect/get, and the form's one-time token ---------------------------


def form_token(page: Any) -> str:
    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', page.content.decode())
    assert found is not None, "the form carries no submission token"
    return found[1]


def test_a_sent_form_redirects_to_its_code_shown_once_and_a_reload_sends_nothing(
    world: World,
) -> None:
    village = world.villages["polsek_a1a"]
    resident = Client()
    values = {**form(), "submission": form_token(resident.get(f"/lapor/{village.code}/"))}
    sent = resident.post(f"/lapor/{village.code}/", values)
    report = CitizenReport.objects.get()
    assert sent.status_code == 303
    assert sent["Location"] == f"/lapor/status/{report.tracking_code}/"
    shown = resident.get(sent["Location"]).content.decode()
    assert "Report received" in shown and "Write it down" in shown
    assert f'class="tracking-code"><strong>{report.tracking_code}</strong>' in shown
    assert "Assigned" in shown  # and how it stands already
    # The page reloaded is the report's status, with its code; nothing is sent again.
    again = resident.get(sent["Location"]).content.decode()
    assert "Report received" not in again and report.tracking_code in again
    assert CitizenReport.objects.count() == 1


def test_the_same_form_sent_again_is_the_same_report_and_not_counted(
    world: World, settings: Any
) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 1
    village = world.villages["polsek_a1a"]
    resident = Client()
    values = {**form(), "submission": form_token(resident.get(f"/lapor/{village.code}/"))}
    first = resident.post(f"/lapor/{village.code}/", values)
    # A double tap, a reload after an answer that never came, the back button: the same
    # form again, from this browser or with its cookies lost.
    for client in (resident, Client()):
        again = client.post(f"/lapor/{village.code}/", values, follow=True)
        assert again.redirect_chain[0] == (first["Location"], 303)
        assert "Report received" in again.content.decode()
    report = CitizenReport.objects.get()
    assert report.events.count() == 2  # received, assigned: once
    # Sending it again used none of the address's hour; a new report is refused as before.
    values["submission"] = form_token(resident.get(f"/lapor/{village.code}/"))
    assert values["submission"] != str(report.submission)
    assert resident.post(f"/lapor/{village.code}/", values).status_code == 429
    assert CitizenReport.objects.count() == 1


def test_an_old_copy_of_the_form_with_other_text_becomes_a_new_report_on_one_more_tap(
    world: World,
) -> None:
    village = world.villages["polsek_a1a"]
    resident = Client()
    token = form_token(resident.get(f"/lapor/{village.code}/"))
    resident.post(f"/lapor/{village.code}/", {**form(), "submission": token})
    # The same page, kept by the browser, used later for something else.
    other = {**form(description="Lampu jalan di gang mati sejak seminggu."), "submission": token}
    refused = resident.post(f"/lapor/{village.code}/", other)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "already sent with other text" in html and "Lampu jalan di gang mati" in html
    assert CitizenReport.objects.count() == 1
    fresh = form_token(refused)
    assert fresh != token
    assert (
        resident.post(f"/lapor/{village.code}/", {**other, "submission": fresh}).status_code == 303
    )
    assert list(CitizenReport.objects.order_by("id").values_list("description", flat=True)) == [
        form()["description"],
        "Lampu jalan di gang mati sejak seminggu.",
    ]


def test_the_api_answers_a_resent_submission_with_the_same_report(world: World) -> None:
    village = world.villages["polsek_a1a"]
    api = APIClient()
    body = {
        "category": "crime",
        "description": "Motor dicuri di depan warung.",
        "village": village.code,
        "submission": "6f1c2a4e-8d0b-4c55-9a3e-2b7d1f0c9e11",
    }
    first = api.post("/api/v1/public/citizen-reports", body, format="json")
    assert first.status_code == 201
    again = api.post("/api/v1/public/citizen-reports", body, format="json")
    assert again.status_code == 200 and again.json() == first.json()
    other = api.post(
        "/api/v1/public/citizen-reports", {**body, "description": "Lain."}, format="json"
    )
    assert other.status_code == 409 and other.json()["error"]["fields"].keys() == {"submission"}
    assert CitizenReport.objects.get().submission == uuid.UUID(body["submission"])
    # Without a submission, each report is its own, as before.
    del body["submission"]
    assert api.post("/api/v1/public/citizen-reports", body, format="json").status_code == 201
    assert CitizenReport.objects.count() == 2


# --- choices nobody made -------------------------------------------------------------------


def test_the_form_is_not_anonymous_until_the_resident_ticks_it(world: World) -> None:
    village = world.villages["polsek_a1a"]
    page = Client().get(f"/lapor/{village.code}/").content.decode()
    checkbox = re.search(r'<input type="checkbox" name="anonymous"[^>]*>', page)
    assert checkbox is not None and "checked" not in checkbox[0]
    assert "Only the police unit handling your report sees your name and phone." in page
    named = {**form(reporter_name="Ibu Sari Contoh"), "anonymous": ""}
    assert Client().post(f"/lapor/{village.code}/", named).status_code == 303
    assert CitizenReport.objects.get().reporter_name == "Ibu Sari Contoh"


def test_the_next_status_is_chosen_never_preselected(world: World) -> None:
    report = file_on_page(world)
    staff(world, Role.POLSEK).post(
        f"/api/v1/citizen-reports/{report.tracking_code}/status",
        {"status": "resolved"},
        format="json",
    )
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLSEK])
    url = f"/citizen-reports/{report.tracking_code}/"
    page = supervisor.get(url).content.decode()
    select = re.search(r'<select name="status" id="status"[^>]*>.*?</select>', page, re.S)
    assert select is not None
    assert "required" in select[0].split(">")[0]
    assert select[0].split(">")[1].startswith('<option value=""')  # "Choose…" comes first
    assert " selected" not in select[0]  # so "Closed" is never sent by accident
    # Sent without a choice, nothing changes.
    refused = supervisor.post(url, {"action": "status", "status": ""}, follow=True)
    assert 'class="message error"' in refused.content.decode()
    report.refresh_from_db()
    assert report.status == CitizenStatus.RESOLVED


def test_assigning_the_officer_who_has_the_report_changes_and_logs_nothing(world: World) -> None:
    report = file_on_page(world)
    holder = world.officers["polsek_a1a"]
    assert report.officer == holder and world.colleague is not None
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLSEK])
    url = f"/citizen-reports/{report.tracking_code}/"
    events = report.events.count()
    same = supervisor.post(url, {"action": "assign", "officer": holder.nrp}, follow=True)
    assert f"{holder.name} already has this report: nothing changed." in same.content.decode()
    api = staff(world, Role.POLSEK).post(f"/api/v1{url[:-1]}/assign", {"officer": holder.nrp})
    assert api.status_code == 200 and api.json()["officer"] == holder.nrp
    assert report.events.count() == events
    # Another officer is a change, and logged.
    other = supervisor.post(
        url, {"action": "assign", "officer": world.colleague.nrp}, follow=True
    ).content.decode()
    assert "Saved." in other
    logged = report.events.latest("id")
    assert (report.events.count(), logged.officer, logged.actor) == (
        events + 1,
        world.colleague,
        world.users[Role.POLSEK],
    )


def test_the_history_speaks_the_readers_language(world: World) -> None:
    """Issue 19, edge 5: statuses by their names and the system's own steps in words, in
    the reader's language, never the stored codes or the English of the day it happened."""
    village = world.villages["polsek_a1a"].code
    sent = APIClient().post(
        "/api/v1/public/citizen-reports",
        {"category": "disorder", "description": "Balap liar tiap malam.", "village": village},
        format="json",
    )
    code = sent.json()["tracking_code"]
    staff(world, Role.OFFICER).post(
        f"/api/v1/citizen-reports/{code}/status",
        {"status": "in_progress", "note": "Cek ke lokasi"},
        format="json",
    )
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    page.cookies["django_language"] = "id"
    html = page.get(f"/citizen-reports/{code}/").content.decode()
    history = html[html.index('<ul class="comments">') :]
    assert "Diteruskan ke petugas → Sedang ditangani" in history
    assert "Cek ke lokasi" in history
    for raw in ("in_progress", "assigned →", "– → received", "Routed to the village"):
        assert raw not in history, raw
    page.cookies["django_language"] = "en"
    history = page.get(f"/citizen-reports/{code}/").content.decode()
    assert "Assigned → In progress" in history and "Routed to the village" in history
