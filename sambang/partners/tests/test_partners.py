"""Partners (Babinsa, village head, FKPM chair) in Sambang: their logins, made by the
Polsek; what they see of their villages, and nothing else; their answer to the joint
activities that name them, counted in the report's integrity; their notes to the officer."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from sambang.audit.models import AuditEvent
from sambang.community.models import Partner
from sambang.fieldwork.integrity import describe
from sambang.fieldwork.models import ActivityReport, IntegrityLevel, PartnerConfirmation
from sambang.partners.models import PartnerNote
from sambang.personnel.models import Role, User
from sambang.public.models import CitizenCategory
from sambang.public.services import citizen_report_submit
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

PARTNER_ADDRESS = "10.20.30.40"  # the partner's phone: not a network the officer works from


def signed_in(world: World, role: str, **defaults: Any) -> Client:
    client = Client(**defaults)
    client.force_login(world.users[role])
    return client


def officer_api(world: World) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    return client


def file_report(world: World, **overrides: Any) -> ActivityReport:
    payload = report_payload(world, **overrides)
    answer = officer_api(world).post("/api/v1/reports/", payload, format="json")
    assert answer.status_code == 201, answer.content
    return ActivityReport.objects.get(uuid=payload["uuid"])


def process() -> None:
    call_command("process", "--once")


def partner_signal(report: ActivityReport) -> dict[str, Any] | None:
    report.refresh_from_db()
    return next((s for s in report.integrity_signals if s["code"] == "partner"), None)


def test_a_partner_sees_their_village_and_answers_for_joint_activities(world: World) -> None:
    assert world.partner is not None
    village, other = world.villages["polsek_a1a"], world.villages["polsek_a1b"]
    partner = signed_in(world, Role.PARTNER, REMOTE_ADDR=PARTNER_ADDRESS)
    patrol = file_report(world, partner_records=[world.partner.pk], narrative="Patroli tiga pilar")
    unnamed = file_report(world, narrative="Sambang ke sekolah tanpa Babinsa di desa ini.")
    # Their villages and what waits for their answer; the home page is theirs.
    home = partner.get("/").content.decode()
    assert f"/partner/activities/{patrol.uuid}/" in home and village.name in home
    assert f"/partner/activities/{unnamed.uuid}/" not in home
    assert partner.get(f"/partner/activities/{unnamed.uuid}/").status_code == 404
    assert partner.get(f"/partner/villages/{other.code}/").status_code == 404
    # A directive to the partners reaches them; one to the officers alone does not.
    polres = APIClient()
    polres.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    for title, to_partners in (("Siaga banjir tiga pilar", True), ("Razia internal", False)):
        issued = polres.post(
            "/api/v1/directives/",
            {
                "unit": world.units["polres_a1"].code,
                "title": title,
                "body": "Periksa tanggul.",
                "to_partners": to_partners,
            },
            format="json",
        )
        assert issued.status_code == 201, issued.content
    # An open residents' report of the village: what and when, never who nor what was said.
    citizen_report_submit(
        data={
            "category": "conflict",
            "description": "Tetangga saya Pak Joko sering ribut",
            "village": village.code,
            "anonymous": False,
            "reporter_name": "Bu Sri Rahayu",
        },
        uploads=[],
        address="10.9.9.9",
    )
    page = partner.get(f"/partner/villages/{village.code}/").content.decode()
    assert "Siaga banjir tiga pilar" in page and "Razia internal" not in page
    assert f"/partner/activities/{patrol.uuid}/" in page
    assert "Sri Rahayu" not in page and "Pak Joko" not in page
    assert str(CitizenCategory("conflict").label) in page  # the tests speak English

    # They took part: a confirmation from their own phone makes the report verified.
    answered = partner.post(
        f"/partner/activities/{patrol.uuid}/", {"took_part": "yes", "comment": "Benar."}
    )
    assert answered.status_code == 302
    process()
    assert partner_signal(patrol) == {
        "code": "partner",
        "status": "pass",
        "params": {"confirmed": 1},
    }
    patrol.refresh_from_db()
    assert patrol.integrity_level == IntegrityLevel.VERIFIED
    officer_page = signed_in(world, Role.OFFICER).get(f"/field/reports/{patrol.uuid}/")
    with translation.override("en"):
        assert "confirmed taking part" in officer_page.content.decode()
    # Named but absent: a denial fails the report.
    staged = file_report(world, partner_records=[world.partner.pk], narrative="Mediasi warga")
    assert partner.post(f"/partner/activities/{staged.uuid}/", {"took_part": "no"}).status_code
    process()
    assert partner_signal(staged) == {"code": "partner", "status": "fail", "params": {"denied": 1}}
    staged.refresh_from_db()
    assert staged.integrity_level == IntegrityLevel.DOUBTFUL
    # A confirmation sent from where the officer works (the officer's own phone) does not count.
    officer = signed_in(world, Role.OFFICER)
    officer.get("/field/")  # the officer's phone gets its device cookie…
    file_form = officer_api(world)
    file_form.cookies = officer.cookies
    borrowed = report_payload(world, partner_records=[world.partner.pk], narrative="Ronda")
    assert file_form.post("/api/v1/reports/", borrowed, format="json").status_code == 201
    same_phone = Client(REMOTE_ADDR=PARTNER_ADDRESS)
    same_phone.cookies = officer.cookies  # …and the partner's answer comes from it
    same_phone.force_login(world.users[Role.PARTNER])
    report = ActivityReport.objects.get(uuid=borrowed["uuid"])
    same_phone.post(f"/partner/activities/{report.uuid}/", {"took_part": "yes"})
    process()
    assert partner_signal(report) == {
        "code": "partner",
        "status": "warn",
        "params": {"device_seen": True},
    }
    with translation.override("en"):
        assert "does not count" in describe(partner_signal(report) or {})
    # No answer without saying yes or no; the answer can be changed.
    refused = partner.post(f"/partner/activities/{staged.uuid}/", {"comment": "?"})
    assert refused.status_code == 400
    partner.post(f"/partner/activities/{staged.uuid}/", {"took_part": "yes"})
    assert PartnerConfirmation.objects.get(report=staged).took_part
    # Nobody but the partner named answers: a supervisor is refused the partners' pages.
    polsek = signed_in(world, Role.POLSEK)
    assert (
        polsek.post(f"/partner/activities/{patrol.uuid}/", {"took_part": "no"}).status_code == 403
    )
    assert PartnerConfirmation.objects.get(report=patrol).took_part


def test_a_partners_note_reaches_the_villages_officer_who_grades_it(world: World) -> None:
    village = world.villages["polsek_a1a"]
    partner = signed_in(world, Role.PARTNER)
    form = partner.get(f"/partner/notes/new/?village={village.code}")
    assert form.status_code == 200 and f'value="{village.code}" selected' in form.content.decode()
    missing = partner.post("/partner/notes/new/", {"village": village.code, "urgency": "high"})
    assert missing.status_code == 400 and 'id="text-errors"' in missing.content.decode()
    elsewhere = world.villages["polsek_a1b"].code
    wrong = partner.post(
        "/partner/notes/new/", {"village": elsewhere, "text": "x", "urgency": "high"}
    )
    assert wrong.status_code == 400 and not PartnerNote.objects.exists()
    text = "Ada rencana pengerahan massa ke balai desa Jumat depan terkait sengketa lahan."
    sent = partner.post(
        "/partner/notes/new/",
        {"village": village.code, "text": text, "aspect": "security", "urgency": "high"},
    )
    assert sent.status_code == 302
    note = PartnerNote.objects.get()
    assert (note.partner, note.village, note.unit) == (
        world.partner,
        village,
        world.units["polsek_a1a"],
    )
    # It waits in the officer's queue until graded.
    officer = signed_in(world, Role.OFFICER)
    queue = {i["kind"]: i["count"] for i in officer_api(world).get("/api/v1/me/queue").json()}
    assert queue["partner_notes"] == 1
    assert text in officer.get("/partner/notes/?waiting=1").content.decode()
    bad = officer.post(f"/partner/notes/{note.pk}/grade/", {"reliability": "Z", "credibility": 2})
    assert bad.status_code == 302
    note.refresh_from_db()
    assert note.graded_at is None
    officer.post(
        f"/partner/notes/{note.pk}/grade/",
        {"reliability": "B", "credibility": "2", "officer_comment": "Dicek ke lokasi."},
    )
    note.refresh_from_db()
    assert (note.reliability, note.credibility, note.graded_by) == (
        "B",
        2,
        world.officers["polsek_a1a"],
    )
    queue = {i["kind"]: i["count"] for i in officer_api(world).get("/api/v1/me/queue").json()}
    assert queue["partner_notes"] == 0
    with translation.override("en"):
        assert "graded by the officer" in partner.get("/partner/").content.decode()
    # The Polsek reads the notes of its villages; only the village's officer grades.
    polsek = signed_in(world, Role.POLSEK)
    assert text in polsek.get("/partner/notes/").content.decode()
    assert polsek.post(f"/partner/notes/{note.pk}/grade/", {"reliability": "A"}).status_code == 403
    other = signed_in(world, Role.POLDA)
    assert text in other.get("/partner/notes/").content.decode()  # its subtree
    assert text not in signed_in(world, Role.ADMIN).get("/partner/notes/").content.decode()


def test_a_polsek_makes_a_partners_login_from_the_village_profile(world: World) -> None:
    village, free = world.villages["polsek_a1a"], world.free_villages["polsek_a1a"]
    head = Partner.objects.create(village=village, kind="village_head", name="Kades Sukamaju")
    polsek = signed_in(world, Role.POLSEK)
    profile = polsek.get(f"/villages/{village.code}/profile/").content.decode()
    assert f"/accounts/logins/partners/{head.pk}/" in profile
    printed = polsek.post(f"/accounts/logins/partners/{head.pk}/")
    assert printed.status_code == 201
    head.refresh_from_db()
    account = head.account
    assert account is not None
    assert (account.role, account.unit, account.username) == (
        Role.PARTNER,
        world.units["polsek_a1a"],
        f"villagehead.{village.code.replace('.', '')}",
    )
    assert AuditEvent.objects.filter(
        object_id=str(account.pk), detail__change="account_created"
    ).exists()
    # The head opens the activation, sets a password and signs in to their village.
    link = re.search(r"/accounts/activate/([A-Z0-9-]+)/", printed.content.decode())
    assert link is not None
    password = "sawah hijau di desa kami"
    activated = Client().post(link[0], {"password1": password, "password2": password})
    assert activated.status_code == 302
    head_client = Client()
    signin = head_client.post(
        "/accounts/login/", {"username": account.username, "password": password}
    )
    assert signin.status_code == 302
    assert village.name in head_client.get("/").content.decode()
    assert head_client.get(f"/partner/villages/{free.code}/").status_code == 404
    # The village next door's record joins the same login: one sign-in, both villages.
    next_door = Partner.objects.create(village=free, kind="village_head", name="Kades Mekar")
    joined = polsek.post(
        f"/accounts/logins/partners/{next_door.pk}/", {"username": account.username}
    )
    assert joined.status_code == 302
    next_door.refresh_from_db()
    assert next_door.account == account
    assert head_client.get(f"/partner/villages/{free.code}/").status_code == 200
    # Only the three pillars' and the forum's people get logins; nobody outside the scope.
    satpam = Partner.objects.create(village=village, kind="satpam", name="Satpam pabrik")
    polsek.post(f"/accounts/logins/partners/{satpam.pk}/")
    satpam.refresh_from_db()
    assert satpam.account is None
    far = Partner.objects.create(
        village=world.villages["polsek_b1a"], kind="babinsa", name="Babinsa jauh"
    )
    assert polsek.post(f"/accounts/logins/partners/{far.pk}/").status_code == 404
    officer = signed_in(world, Role.OFFICER)
    assert officer.post(f"/accounts/logins/partners/{head.pk}/").status_code == 403
    assert User.objects.filter(role=Role.PARTNER).count() == 2  # the world's and the head's


def test_partners_are_held_to_their_pages(world: World) -> None:
    partner = signed_in(world, Role.PARTNER)
    for url in ("/field/reports/", "/citizen-reports/", "/directives/", "/anev/", "/exports/"):
        assert partner.get(url).status_code == 403, url
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.PARTNER]}")
    for url in ("/api/v1/reports/", "/api/v1/me/queue", "/api/v1/directives/"):
        answer = api.get(url)
        assert answer.status_code == 403 and answer.json()["error"]["code"], url
    # Their menu holds their pages only; their account's pages stay open to them.
    home = partner.get("/").content.decode()
    assert "/field/" not in home and "/anev/" not in home
    assert partner.get("/accounts/security/").status_code == 200
