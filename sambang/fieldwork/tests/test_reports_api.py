"""Filing reports through the API: idempotent re-sends, conflicts, bad input, edits, reviews."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from sambang.fieldwork.models import (
    ActivityReport,
    HouseholdConcern,
    HouseholdVisit,
    ReportPhoto,
    ReportState,
)
from sambang.personnel.models import Role
from sambang.security.models import InformationReport, ProblemCase
from sambang.testing.fieldwork import household, photo_bytes, report_payload
from sambang.testing.world import World

from .conftest import ClientFor, upload

pytestmark = pytest.mark.django_db


def test_an_officer_files_a_report_and_sees_it_with_its_integrity(
    world: World, officer_api: APIClient
) -> None:
    payload = report_payload(world)
    response = officer_api.post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uuid"] == payload["uuid"]
    assert body["state"] == "sent"
    # Accepted: the worker checks it a moment later (here, once the request is over).
    assert body["integrity"] == {"level": "", "checked": False}
    assert body["url"] == f"/api/v1/reports/{payload['uuid']}"
    body = officer_api.get(body["url"]).json()
    assert body["unit"] == "POLSEK-A1A"
    assert body["integrity"]["checked"] is True
    assert body["integrity"]["level"] in ("verified", "plausible")
    assert {s["code"] for s in body["integrity"]["signals"]} >= {"gps", "sent", "text_copy"}
    assert all(s["reason"] for s in body["integrity"]["signals"])
    listed = officer_api.get("/api/v1/reports/").json()["results"]
    assert [r["uuid"] for r in listed] == [payload["uuid"]]


def test_resending_the_same_report_is_a_no_op(world: World, officer_api: APIClient) -> None:
    payload = report_payload(world)
    first = officer_api.post("/api/v1/reports/", payload, format="json")
    again = officer_api.post("/api/v1/reports/", payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["uuid"] == payload["uuid"]
    assert ActivityReport.objects.count() == 1


def test_the_same_uuid_with_other_content_is_a_conflict(
    world: World, officer_api: APIClient
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    changed = {**payload, "narrative": payload["narrative"] + " Ditambah kalimat lain."}
    response = officer_api.post("/api/v1/reports/", changed, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "already sent with this id" in error["message"]
    assert ActivityReport.objects.get().narrative == payload["narrative"]


def test_a_resend_without_an_offset_matches_the_local_time(
    world: World, officer_api: APIClient
) -> None:
    """Offline phones send local time; the same moment with or without the offset is one report."""
    local = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).replace(microsecond=0)
    payload = report_payload(world, occurred_at=local.isoformat())
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    naive = {**payload, "occurred_at": local.replace(tzinfo=None).isoformat()}
    assert officer_api.post("/api/v1/reports/", naive, format="json").status_code == 200


def test_another_officers_uuid_is_a_conflict_that_reveals_nothing(
    world: World, officer_api: APIClient, file_report
) -> None:
    theirs = file_report("polsek_a1b")
    payload = report_payload(world, uuid=str(theirs.uuid))
    response = officer_api.post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 409
    assert theirs.narrative not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": 95.0}, "latitude"),
        ({"longitude": 181.0}, "longitude"),
        ({"latitude": -6.2, "longitude": None}, "longitude"),
        ({"accuracy_m": -5}, "accuracy_m"),
        ({"occurred_at": "2099-01-01T10:00:00+07:00"}, "occurred_at"),
        ({"occurred_at": "2001-01-01T10:00:00+07:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"village": "99.99.99.9999"}, "village"),
        ({"village": "34.71.01.1001"}, "village"),  # a real village, not the officer's
        ({"activity_type": "no-such-type"}, "activity_type"),
        ({"narrative": "   "}, "narrative"),
        ({"narrative": "x" * 10_001}, "narrative"),
        ({"participants": None}, "participants"),  # a village activity needs them
        ({"partners": ["martians"]}, "partners"),
        ({"plan_item": str(uuid.uuid4())}, "plan_item"),
        ({"household": household()}, "household"),  # not a household visit
        ({"activity_type": "dds"}, "household"),  # a household visit without its household
        ({"activity_type": "dds", "household": household(rt="abc")}, "household.rt"),
        (
            {"activity_type": "dds", "household": household(head_name="Pak Budi")},
            "household.__all__",
        ),
        (
            {
                "activity_type": "dds",
                "household": household(
                    concerns=[
                        {
                            "aspect": "weather",
                            "description": "x",
                            "urgency": "low",
                            "frequency": "once",
                        }
                    ]
                ),
            },
            "household.concerns.0.aspect",
        ),
        ({"uuid": "not-a-uuid"}, "uuid"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world: World, officer_api: APIClient, overrides: dict, field: str
) -> None:
    response = officer_api.post(
        "/api/v1/reports/", report_payload(world, **overrides), format="json"
    )
    assert response.status_code == 400, response.json()
    fields = response.json()["error"]["fields"]
    assert any(name == field or name.startswith(f"{field}.") for name in fields), fields
    assert ActivityReport.objects.count() == 0
    assert HouseholdVisit.objects.count() == 0


def test_a_household_visit_keeps_address_concerns_and_names_only_with_consent(
    world: World, officer_api: APIClient
) -> None:
    visit = household(consent=True, head_name="Pak Budi Santoso", head_phone="081234567890")
    payload = report_payload(world, activity_type="dds", household=visit, participants=None)
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    body = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert body["household"]["rt"] == "003"
    assert body["household"]["head_name"] == "Pak Budi Santoso"
    assert body["household"]["concerns"][0]["aspect"] == "security"
    assert body["household"]["sticker_url"].endswith(".pdf")
    assert HouseholdConcern.objects.count() == 1
    assert "nik" not in {f.name for f in HouseholdVisit._meta.get_fields()}


def test_early_detection_and_problem_solving_keep_their_sections(
    world: World, officer_api: APIClient
) -> None:
    information = {
        "subject": "Rencana tawuran pelajar sepulang sekolah",
        "place": "Jembatan dekat SMK",
        "happened_at": None,
        "how_obtained": "informant",
        "aspect": "security",
        "urgency": "high",
        "reliability": "B",
        "credibility": 2,
    }
    accepted = officer_api.post(
        "/api/v1/reports/",
        report_payload(world, activity_type="deteksi-dini", information=information),
        format="json",
    ).json()
    body = officer_api.get(accepted["url"]).json()
    assert body["information"]["grade"] == "B2"
    problem = {"kind": "referred", "parties": "Warga RT 3 dan pengembang", "agency": ""}
    response = officer_api.post(
        "/api/v1/reports/",
        report_payload(world, activity_type="problem-solving", problem=problem),
        format="json",
    )
    assert response.status_code == 400
    assert "problem.__all__" in response.json()["error"]["fields"]
    problem["agency"] = "Kantor Pertanahan"
    response = officer_api.post(
        "/api/v1/reports/",
        report_payload(world, activity_type="problem-solving", problem=problem),
        format="json",
    )
    assert response.status_code == 201
    assert officer_api.get(response.json()["url"]).json()["problem"]["agency"] == (
        "Kantor Pertanahan"
    )
    assert (InformationReport.objects.count(), ProblemCase.objects.count()) == (1, 1)


def test_a_draft_is_sent_later_and_edited_until_approved(
    world: World, officer_api: APIClient, client_for: ClientFor
) -> None:
    payload = report_payload(world, state="draft")
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    body = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert (body["state"], body["submitted_at"]) == ("draft", None)
    url = f"/api/v1/reports/{payload['uuid']}"
    body = officer_api.patch(url, {"state": "sent"}, format="json").json()
    assert body["state"] == "sent" and body["submitted_at"]
    polsek = client_for(Role.POLSEK)
    response = polsek.post(f"{url}/review", {"decision": "return"}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()["error"]["fields"]
    body = polsek.post(
        f"{url}/review",
        {"decision": "return", "comment": "Tambahkan foto kegiatan."},
        format="json",
    ).json()
    assert (body["state"], body["review_comment"]) == ("returned", "Tambahkan foto kegiatan.")
    body = officer_api.patch(url, {"outcome": "Jadwal ronda disepakati."}, format="json").json()
    assert body["state"] == "sent"
    body = polsek.post(f"{url}/review", {"decision": "approve"}, format="json").json()
    assert body["state"] == "approved"
    response = officer_api.patch(url, {"outcome": "Diubah setelah disetujui."}, format="json")
    assert response.status_code == 409
    assert ActivityReport.objects.get().outcome == "Jadwal ronda disepakati."
    again = polsek.post(f"{url}/review", {"decision": "approve"}, format="json")
    assert again.status_code == 409


def test_an_edit_with_bad_input_changes_nothing(world: World, officer_api: APIClient) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    response = officer_api.patch(
        f"/api/v1/reports/{payload['uuid']}",
        {"narrative": "Isi baru", "occurred_at": "2099-01-01T00:00:00+07:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()["error"]["fields"]
    assert ActivityReport.objects.get().narrative == payload["narrative"]


def test_only_supervisors_review_and_only_the_officer_edits(
    world: World, officer_api: APIClient, client_for: ClientFor, file_report
) -> None:
    mine = report_payload(world)
    officer_api.post("/api/v1/reports/", mine, format="json")
    response = officer_api.post(f"/api/v1/reports/{mine['uuid']}/review", {"decision": "approve"})
    assert response.status_code == 403
    admin = client_for(Role.ADMIN)
    assert (
        admin.post(f"/api/v1/reports/{mine['uuid']}/review", {"decision": "approve"}).status_code
        == 404  # administrators do not see field work
    )
    polres = client_for(Role.POLRES)
    assert (
        polres.patch(f"/api/v1/reports/{mine['uuid']}", {"outcome": "x"}, format="json").status_code
        == 403
    )
    assert ActivityReport.objects.get(uuid=mine["uuid"]).state == ReportState.SENT


def test_photos_upload_separately_and_retries_are_safe(
    world: World, officer_api: APIClient
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    photo_uuid = uuid.uuid4()
    url = f"/api/v1/reports/{payload['uuid']}/photos/{photo_uuid}"
    taken = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))) - dt.timedelta(minutes=50)
    data = photo_bytes(1, taken_at=taken, position=(payload["latitude"], payload["longitude"]))
    first = officer_api.put(url, upload(data), format="multipart")
    assert first.status_code == 201, first.json()
    body = first.json()  # stored as sent, its header checked: the worker decodes it
    assert (body["state"], body["url"], body["content_type"]) == ("received", None, "image/jpeg")
    again = officer_api.put(url, upload(data), format="multipart")
    assert again.status_code == 200
    other = officer_api.put(url, upload(photo_bytes(2)), format="multipart")
    assert other.status_code == 409
    assert ReportPhoto.objects.count() == 1
    report = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert len(report["photos"]) == 1
    photo = report["photos"][0]  # decoded by the worker: its EXIF read, a thumbnail made
    assert photo["state"] == "ready"
    assert photo["thumbnail_url"].endswith(".jpg")
    assert photo["latitude"] == pytest.approx(payload["latitude"], abs=1e-4)
    assert photo["taken_at"] is not None


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "script.jpg"),
        (b"%PDF-1.4 not a photo", "scan.jpg"),
        (b"", "empty.jpg"),
        (photo_bytes(3, fmt="GIF"), "anim.gif"),
    ],
)
def test_files_that_are_not_photos_are_refused_by_content(
    world: World, officer_api: APIClient, data: bytes, name: str
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    response = officer_api.put(
        f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}",
        upload(data, name),
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert ReportPhoto.objects.count() == 0


def test_a_decompression_bomb_is_refused(world: World, officer_api: APIClient) -> None:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    response = officer_api.put(
        f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}",
        upload(out.getvalue(), "bomb.png", "image/png"),
        format="multipart",
    )
    assert response.status_code == 400
    assert "too large" in response.json()["error"]["fields"]["file"][0]


def test_a_large_photo_is_decoded_at_reduced_size_and_stored_smaller(
    world: World, officer_api: APIClient, decoded_sizes: list[tuple[int, int]]
) -> None:
    from sambang.testing.bad_inputs import jpeg_pixel_bomb

    decoded = decoded_sizes
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    for size, stored in (((6000, 4000), (2048, 1365)), ((4032, 3024), (2016, 1512))):
        decoded.clear()
        response = officer_api.put(  # 24 and 12 megapixels, what phones make: accepted
            f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}",
            upload(jpeg_pixel_bomb(*size)),
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        assert (response.json()["width"], response.json()["height"]) == size  # as sent
        photo = ReportPhoto.objects.get(uuid=response.json()["uuid"])
        assert (photo.state, photo.width, photo.height) == ("ready", *stored)  # the worker's
        # libjpeg decoded it at 1/2 (not whole, and the request decoded nothing)
        assert max(w * h for w, h in decoded) == size[0] * size[1] // 4


@override_settings(SAMBANG_PHOTO_MAX_BYTES=10_000)
def test_a_photo_over_the_size_limit_is_refused_and_the_report_kept(
    world: World, officer_api: APIClient
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    response = officer_api.put(
        f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}",
        upload(photo_bytes(4, size=(1600, 1200))),
        format="multipart",
    )
    assert response.status_code == 400
    assert "MB" in response.json()["error"]["fields"]["file"][0]
    assert ActivityReport.objects.filter(uuid=payload["uuid"]).exists()


def test_supervisors_filter_reports_by_integrity_and_state(
    world: World, client_for: ClientFor, file_report
) -> None:
    good = file_report()
    copied = file_report(narrative=good.narrative)
    polsek = client_for(Role.POLSEK)
    doubtful = polsek.get("/api/v1/reports/?integrity=doubtful").json()["results"]
    assert [r["uuid"] for r in doubtful] == [str(copied.uuid)]
    assert polsek.get("/api/v1/reports/?state=approved").json()["results"] == []
    assert polsek.get("/api/v1/reports/?from=someday").status_code == 400


def test_a_report_names_the_village_partners_who_took_part(
    world: World, officer_api: APIClient
) -> None:
    from sambang.community.models import Partner as VillagePartner

    village, other = world.villages["polsek_a1a"], world.villages["polsek_a1b"]
    babinsa = VillagePartner.objects.create(village=village, kind="babinsa", name="Serda Contoh")
    elsewhere = VillagePartner.objects.create(village=other, kind="fkpm", name="FKPM lain")
    refused = officer_api.post(
        "/api/v1/reports/", report_payload(world, partner_records=[elsewhere.pk]), format="json"
    )
    assert refused.status_code == 400 and "partner_records" in refused.json()["error"]["fields"]
    payload = report_payload(world, partner_records=[babinsa.pk])
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    body = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert body["partner_records"] == [
        {"id": babinsa.pk, "kind": "babinsa", "name": "Serda Contoh"}
    ]
    assert (
        officer_api.post("/api/v1/reports/", payload, format="json").status_code == 200
    )  # same content
    partner = officer_api.get(f"/api/v1/villages/{village.code}/partners/{babinsa.pk}").json()
    assert partner["recent_reports"] == [payload["uuid"]]


@pytest.mark.worker_behind
def test_an_accepted_report_is_shown_being_checked_until_the_worker_has_checked_it(
    world: World, officer_api: APIClient, client_for: Any
) -> None:
    """Issue 20: the request stores the report; its integrity and counts are the worker's."""
    from django.test import Client

    from sambang.evaluation.models import ActivityDay
    from sambang.fieldwork import processing

    payload = report_payload(world)
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    body = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert body["integrity"] == {"level": "", "checked": False, "signals": [], "copies": []}
    listed = officer_api.get("/api/v1/reports/").json()["results"]
    assert listed[0]["integrity"]["checked"] is False
    page = Client()
    page.force_login(world.users["officer"])
    assert (
        "Accepted, being checked" in page.get(f"/field/reports/{payload['uuid']}/").content.decode()
    )
    assert not ActivityDay.objects.exists()  # not counted before it is checked
    assert processing.backlog().reports == 1
    month = dt.date.today().strftime("%Y-%m")
    polsek = Client()
    polsek.force_login(world.users["polsek"])
    anev = f"/api/v1/evaluations/POLSEK-A1A/{month}"
    assert client_for("polsek").get(anev).json()["waiting"]["reports"] == 1
    assert "Not yet counted: 1 report" in polsek.get(f"/anev/POLSEK-A1A/{month}/").content.decode()

    assert processing.process_pending() == 1
    body = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert body["integrity"]["checked"] is True
    assert body["integrity"]["level"] in ("verified", "plausible")
    assert "Accepted, being checked" not in page.get("/field/reports/").content.decode()
    assert ActivityDay.objects.get().reports == 1
    assert processing.backlog().reports == 0
    assert client_for("polsek").get(anev).json()["waiting"] == {"reports": 0, "since": None}


@pytest.mark.worker_behind
def test_the_worker_command_processes_what_waits(world: World, officer_api: APIClient) -> None:
    import io

    from django.core.management import call_command

    for _ in range(3):
        payload = report_payload(world, narrative=f"Sambang warga RT {uuid.uuid4().hex[:4]}.")
        assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    out = io.StringIO()
    call_command("process", "--once", "--batch", "2", stdout=out)
    assert out.getvalue().strip() == "3 reports processed."
    assert not ActivityReport.objects.filter(pending=True).exists()
    assert all(r.integrity_level for r in ActivityReport.objects.all())


@pytest.mark.worker_behind
def test_a_report_the_worker_cannot_process_does_not_hold_up_the_others(
    world: World, officer_api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault in the code for one report (here injected into the integrity check) fails
    its batch; the worker then takes the batch's reports one at a time, processes the
    others and sets that one aside, still waiting and counted as such."""
    import io

    from django.core.management import call_command

    from sambang.fieldwork import integrity

    uuids = []
    for _ in range(3):
        payload = report_payload(world, narrative=f"Sambang warga RT {uuid.uuid4().hex[:4]}.")
        assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
        uuids.append(payload["uuid"])
    poison = ActivityReport.objects.get(uuid=uuids[1]).pk
    assess = integrity.refresh_batch

    def faulty(ids: list[int]) -> Any:
        if poison in ids:
            raise ValueError("a fault in the code")
        return assess(ids)

    monkeypatch.setattr(integrity, "refresh_batch", faulty)
    out, err = io.StringIO(), io.StringIO()
    call_command("process", "--once", "--batch", "10", stdout=out, stderr=err)
    assert out.getvalue().strip() == "2 reports processed."
    assert f"ids {poison})" in err.getvalue()
    waiting = ActivityReport.objects.filter(pending=True)
    assert list(waiting.values_list("pk", flat=True)) == [poison]
    assert all(r.integrity_level for r in ActivityReport.objects.exclude(pk=poison))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLSEK]}")
    month = dt.date.today().strftime("%Y-%m")
    anev = client.get(f"/api/v1/evaluations/POLSEK-A1A/{month}").json()
    assert anev["waiting"]["reports"] == 1
