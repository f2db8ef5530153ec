"""The officer's and the supervisor's pages, through the HTTP client a browser uses."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sambang.fieldwork.models import ActivityReport, HouseholdVisit, PlanItem, ReportState
from sambang.personnel.models import Role
from sambang.security.models import InformationReport
from sambang.testing.fieldwork import photo_bytes
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def form(world: World, **overrides: object) -> dict[str, object]:
    village = world.villages["polsek_a1a"]
    local = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))) - dt.timedelta(minutes=30)
    values: dict[str, object] = {
        "uuid": str(uuid.uuid4()),
        "activity_type": "dds",
        "village": village.code,
        "occurred_at": local.strftime("%Y-%m-%dT%H:%M"),
        "latitude": str(village.centroid_lat),
        "longitude": str(village.centroid_lng),
        "accuracy_m": "8",
        "narrative": "Sambang ke rumah warga membahas keamanan lingkungan dan ronda malam.",
        "partners": ["babinsa"],
        "household-rt": "002",
        "household-rw": "004",
        "household-house_number": "7",
        "concern-0-description": "Jalan gelap tanpa lampu",
        "concern-0-aspect": "security",
        "concern-0-urgency": "medium",
        "concern-0-frequency": "often",
        "household-advice": "Melapor ke kepala desa untuk lampu jalan.",
    }
    values.update(overrides)
    return values


def test_the_officer_files_a_household_visit_with_a_photo_from_the_form(world: World) -> None:
    client = signed_in(world, Role.OFFICER)
    page = client.get("/field/reports/new/")
    assert page.status_code == 200
    assert 'capture="environment"' in page.content.decode()
    photo = SimpleUploadedFile("kunjungan.jpg", photo_bytes(40), content_type="image/jpeg")
    response = client.post("/field/reports/new/", {**form(world), "photos": [photo]})
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ActivityReport.objects.get()
    assert response["Location"] == f"/field/reports/{report.uuid}/"
    assert report.photos.count() == 1
    visit = HouseholdVisit.objects.get(report=report)
    assert (visit.rt, visit.concerns.get().description) == ("002", "Jalan gelap tanpa lampu")
    detail = client.get(response["Location"]).content.decode()
    assert "Jalan gelap tanpa lampu" in detail and "sticker.pdf" in detail
    assert "Review" not in detail  # the officer does not review their own report


def test_a_form_with_errors_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    client = signed_in(world, Role.OFFICER)
    response = client.post(
        "/field/reports/new/",
        form(world, **{"household-rt": "abc", "occurred_at": "2099-01-01T10:00"}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This time is in the future." in html
    assert "Jalan gelap tanpa lampu" in html and "Sambang ke rumah warga" in html
    assert ActivityReport.objects.count() == 0


def test_double_submitting_the_form_files_one_report(world: World) -> None:
    client = signed_in(world, Role.OFFICER)
    values = form(world)
    assert client.post("/field/reports/new/", values).status_code == 302
    assert client.post("/field/reports/new/", values).status_code == 302
    assert ActivityReport.objects.count() == 1


def test_the_phones_outbox_sends_a_kept_report_and_a_resend_changes_nothing(
    world: World,
) -> None:
    client = signed_in(world, Role.OFFICER)
    values = form(world)

    def send(**extra: object) -> Any:
        photo = SimpleUploadedFile("kunjungan.jpg", photo_bytes(41), content_type="image/jpeg")
        return client.post(
            "/field/reports/new/", {**values, **extra, "photos": [photo]}, HTTP_X_SAMBANG_SYNC="1"
        )

    first = send()
    assert first.status_code == 201, first.content.decode()[:500]
    report = ActivityReport.objects.get()
    assert first.json() == {"uuid": str(report.uuid), "url": f"/field/reports/{report.uuid}/"}
    # The answer was lost on the way: the phone sends the same report and photo again.
    assert send().status_code == 201
    assert (ActivityReport.objects.count(), report.photos.count()) == (1, 1)
    # The same id with other content is refused, and says why.
    conflict = send(narrative="Isi yang lain sama sekali untuk laporan yang sama.")
    assert conflict.status_code == 409 and conflict.json()["error"]["message"]
    bad = client.post(
        "/field/reports/new/",
        form(world, uuid=str(uuid.uuid4()), occurred_at="2099-01-01T10:00"),
        HTTP_X_SAMBANG_SYNC="1",
    )
    assert bad.status_code == 400 and "occurred_at" in bad.json()["error"]["fields"]


def test_the_officer_edits_and_the_supervisor_returns_then_approves(world: World) -> None:
    officer = signed_in(world, Role.OFFICER)
    officer.post("/field/reports/new/", form(world))
    report = ActivityReport.objects.get()
    edit = officer.get(f"/field/reports/{report.uuid}/edit/")
    assert edit.status_code == 200 and "Jalan gelap tanpa lampu" in edit.content.decode()
    polsek = signed_in(world, Role.POLSEK)
    assert "Approve" in polsek.get(f"/field/reports/{report.uuid}/").content.decode()
    polsek.post(
        f"/field/reports/{report.uuid}/review/",
        {"decision": "return", "comment": "Foto belum ada."},
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    changed = form(
        world,
        uuid=str(report.uuid),
        narrative="Sambang ke rumah warga, lampu jalan dibahas bersama RT.",
    )
    assert officer.post(f"/field/reports/{report.uuid}/edit/", changed).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SENT and "lampu jalan" in report.narrative
    polsek.post(f"/field/reports/{report.uuid}/review/", {"decision": "approve"})
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert officer.get(f"/field/reports/{report.uuid}/edit/").status_code == 403


def test_photos_are_added_on_the_report_page_and_bad_files_say_why(world: World) -> None:
    officer = signed_in(world, Role.OFFICER)
    officer.post("/field/reports/new/", form(world))
    report = ActivityReport.objects.get()
    bad = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    good = SimpleUploadedFile("ok.jpg", photo_bytes(41), content_type="image/jpeg")
    response = officer.post(
        f"/field/reports/{report.uuid}/photos/", {"photos": [bad, good]}, follow=True
    )
    assert "virus.jpg" in response.content.decode()
    assert report.photos.count() == 1


def test_plans_pages_add_comment_and_measure(world: World) -> None:
    officer = signed_in(world, Role.OFFICER)
    day = dt.date.today() + dt.timedelta(days=1)
    response = officer.post(
        f"/field/plans/?period=week&date={day}",
        {
            "uuid": str(uuid.uuid4()),
            "activity_type": "dds",
            "village": world.villages["polsek_a1a"].code,
            "date": day.isoformat(),
            "target_kind": "household",
            "target": "Rumah Bu Sari",
        },
    )
    assert response.status_code == 302
    item = PlanItem.objects.get()
    listing = officer.get(f"/field/plans/?period=week&date={day}").content.decode()
    assert "Rumah Bu Sari" in listing
    polsek = signed_in(world, Role.POLSEK)
    polsek.post(f"/field/plans/{item.uuid}/", {"text": "Ajak Babinsa."})
    assert "Ajak Babinsa." in officer.get(f"/field/plans/{item.uuid}/").content.decode()
    bad = officer.post(
        "/field/plans/",
        {"activity_type": "dds", "village": "34.71.01.1001", "date": day.isoformat()},
    )
    assert bad.status_code == 400 and PlanItem.objects.count() == 1
    assert officer.get("/field/realization/").status_code == 200
    assert polsek.get("/field/realization/").status_code == 200
    today = officer.get("/field/")
    assert today.status_code == 200
    assert "<title>Today · Sambang</title>" in today.content.decode()
    assert polsek.get("/field/")["Location"].startswith("/field/reports/")


def test_the_report_list_costs_the_same_queries_for_many_reports(world: World, file_report) -> None:
    polsek = signed_in(world, Role.POLSEK)
    file_report()
    with CaptureQueriesContext(connection) as few:
        assert polsek.get("/field/reports/").status_code == 200
    for n in range(6):
        file_report(
            narrative=f"Kegiatan nomor {n} bersama warga membahas hal yang berbeda setiap kali {n * 7}."
        )
    with CaptureQueriesContext(connection) as many:
        polsek.get("/field/reports/")
    assert len(many) == len(few)


def test_information_is_escalated_and_acknowledged_on_the_page(world: World) -> None:
    officer = signed_in(world, Role.OFFICER)
    response = officer.post(
        "/field/reports/new/",
        form(
            world,
            activity_type="deteksi-dini",
            **{
                "information-subject": "Rencana aksi massa",
                "information-place": "Lapangan desa",
                "information-how_obtained": "resident",
                "information-aspect": "politics",
                "information-urgency": "high",
                "information-reliability": "C",
                "information-credibility": "3",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = ActivityReport.objects.get()
    assert not HouseholdVisit.objects.exists()  # the household section was not for this type
    polres = world.units["polres_a1"]
    officer.post(f"/field/reports/{report.uuid}/escalate/", {"unit": polres.code})
    info = InformationReport.objects.get()
    assert info.escalated_to == polres
    polsek = signed_in(world, Role.POLSEK)
    polsek.post(f"/field/reports/{report.uuid}/acknowledge/")
    info.refresh_from_db()
    assert info.acknowledged_at is None  # Polsek is below the Polres it went to
    signed_in(world, Role.POLRES).post(f"/field/reports/{report.uuid}/acknowledge/")
    info.refresh_from_db()
    assert info.acknowledged_by == world.users[Role.POLRES]


def test_the_officer_changes_a_plan_item_on_its_page(world: World) -> None:
    officer = signed_in(world, Role.OFFICER)
    day = dt.date.today() + dt.timedelta(days=2)
    village = world.villages["polsek_a1a"].code
    officer.post(
        "/field/plans/",
        {
            "uuid": str(uuid.uuid4()),
            "activity_type": "dds",
            "village": village,
            "date": day.isoformat(),
            "start_time": "09:00",
        },
    )
    item = PlanItem.objects.get()
    page = officer.get(f"/field/plans/{item.uuid}/").content.decode()
    assert "Change this plan item" in page
    changed = {
        "save": "1",
        "activity_type": "penyuluhan",
        "village": village,
        "date": day.isoformat(),
        "start_time": "",
        "target": "Karang taruna",
    }
    assert officer.post(f"/field/plans/{item.uuid}/", changed).status_code == 302
    item.refresh_from_db()
    assert (item.activity_type.code, item.start_time, item.target) == (
        "penyuluhan",
        None,
        "Karang taruna",
    )
    bad = officer.post(
        f"/field/plans/{item.uuid}/", {**changed, "start_time": "12:00", "end_time": "10:00"}
    )
    assert (
        bad.status_code == 400 and "The end time is before the start time." in bad.content.decode()
    )
    polsek = signed_in(world, Role.POLSEK)
    assert polsek.post(f"/field/plans/{item.uuid}/", changed).status_code == 403
    assert "Change this plan item" not in polsek.get(f"/field/plans/{item.uuid}/").content.decode()


def test_the_form_offers_the_village_partners_and_keeps_the_choice(world: World) -> None:
    from sambang.community.models import Partner as VillagePartner

    partner = VillagePartner.objects.create(
        village=world.villages["polsek_a1a"], kind="babinsa", name="Serda Contoh"
    )
    client = signed_in(world, Role.OFFICER)
    assert "Serda Contoh" in client.get("/field/reports/new/").content.decode()
    bad = client.post(
        "/field/reports/new/",
        form(world, partner_records=[str(partner.pk)], **{"household-rt": "x"}),
    )
    assert bad.status_code == 400 and f'value="{partner.pk}" checked' in bad.content.decode()
    assert (
        client.post(
            "/field/reports/new/", form(world, partner_records=[str(partner.pk)])
        ).status_code
        == 302
    )
    assert list(ActivityReport.objects.get().partner_records.all()) == [partner]


def test_unreadable_dates_in_the_report_filters_are_ignored_on_the_page(
    world: World, file_report
) -> None:
    file_report()
    page = signed_in(world, Role.POLSEK).get("/field/reports/?from=someday&to=2026-13-45")
    assert page.status_code == 200 and "Village activity" in page.content.decode()


def test_the_report_page_writes_figures_and_partners_in_the_readers_language(
    world: World,
) -> None:
    """Issue 19, edges 5 and 7: a signal's figures with the language's decimal comma, and
    the partners present by their names, never a stored code such as ``village_head``."""
    officer = signed_in(world, Role.OFFICER)
    assert officer.post("/field/reports/new/", form(world)).status_code == 302
    report = ActivityReport.objects.get()
    ActivityReport.objects.filter(pk=report.pk).update(
        partners=["babinsa", "village_head"],
        integrity_signals=[
            {"code": "photo_time", "status": "warn", "params": {"hours": 0.5}},
            {
                "code": "travel",
                "status": "fail",
                "params": {"km": 18.6, "minutes": 10, "kmh": 111.6},
            },
        ],
    )
    officer.cookies["django_language"] = "id"
    page = officer.get(f"/field/reports/{report.uuid}/").content.decode()
    assert "0,5 jam" in page and "18,6 km" in page and "111,6 km/jam" in page
    assert "Babinsa" in page and "village_head" not in page
    officer.cookies["django_language"] = "en"
    page = officer.get(f"/field/reports/{report.uuid}/").content.decode()
    assert "0.5 h" in page and "18.6 km" in page and "Village head" in page


def test_a_concern_needs_its_field_urgency_and_frequency_chosen_by_the_officer(
    world: World,
) -> None:
    """Issue 19, edge 8: nothing is chosen for the officer; the form shows one concern and
    opens the others on request."""
    officer = signed_in(world, Role.OFFICER)
    empty = officer.get("/field/reports/new/").content.decode()
    for name in ("aspect", "urgency", "frequency"):
        select = re.search(rf'<select name="concern-0-{name}">(.*?)</select>', empty, re.S)
        assert select is not None and "selected" not in select.group(1), name
    assert empty.count('<details class="concern-more">') == 2  # closed, below the first
    unchosen = form(
        world, **{"concern-0-aspect": "", "concern-0-urgency": "", "concern-0-frequency": ""}
    )
    answer = officer.post("/field/reports/new/", unchosen)
    assert answer.status_code == 400
    assert not ActivityReport.objects.exists()
    page = answer.content.decode()
    assert page.count('class="field-errors"') >= 3 and "Jalan gelap tanpa lampu" in page
    chosen = officer.post("/field/reports/new/", form(world))
    assert chosen.status_code == 302
    concern = HouseholdVisit.objects.get().concerns.get()
    assert (concern.aspect, concern.urgency, concern.frequency) == ("security", "medium", "often")
