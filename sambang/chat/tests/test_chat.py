"""Residents report by chat, through each provider's webhook, against local fakes of the
providers' APIs (``fakes.py``): the signed deliveries they send, the media they serve, the
messages they accept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.test import APIClient

from sambang.chat.models import (
    ChatReport,
    Conversation,
    Delivery,
    OfficerLink,
    Outbound,
    PendingPhoto,
    address_hash,
)
from sambang.fieldwork.models import ActivityReport, QuickReport
from sambang.fieldwork.quick import quick_report_note
from sambang.personnel.models import Role
from sambang.public.models import CitizenReport, CitizenStatus
from sambang.testing.fieldwork import photo_bytes
from sambang.testing.world import World

from .fakes import (
    PHONE_NUMBER_ID,
    SMS_PASSWORD,
    SMS_USER,
    TELEGRAM_TOKEN,
    WHATSAPP_TOKEN,
    FakeProviders,
    fake_providers,
    sms_event,
    sms_headers,
    telegram_photo,
    telegram_update,
    whatsapp_delivery,
    whatsapp_message,
    whatsapp_signature,
)

SECRET = "telegram-webhook-secret"
APP_SECRET = "whatsapp-app-secret"
SIGNING_KEY = "sms-signing-key"
CHAT = 700100200
PLACE = (
    "Where did it happen? Share your location (attach → Location), or write the name of "
    "the village (desa/kelurahan)."
)


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeProviders]:
    """Every channel configured, talking to the local fakes."""
    with fake_providers() as providers:
        settings.SAMBANG_CHAT_TELEGRAM = {
            "BOT_TOKEN": TELEGRAM_TOKEN,
            "SECRET_TOKEN": SECRET,
            "API_BASE": providers.origin,
        }
        settings.SAMBANG_CHAT_WHATSAPP = {
            "VERIFY_TOKEN": "verify-me",
            "APP_SECRET": APP_SECRET,
            "ACCESS_TOKEN": WHATSAPP_TOKEN,
            "PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "TEMPLATE": "jawaban_laporan",
            "TEMPLATE_LANGUAGE": "id",
            "API_BASE": providers.origin + "/v21.0",
        }
        settings.SAMBANG_CHAT_SMS = {
            "SIGNING_KEY": SIGNING_KEY,
            "API_BASE": providers.origin,
            "USERNAME": SMS_USER,
            "PASSWORD": SMS_PASSWORD,
        }
        settings.SAMBANG_SITE_URL = "https://sambang.example.id"
        yield providers


def said(text: str) -> str:
    """``text`` as the chat says it (in Indonesian)."""
    with translation.override("id"):
        return _(text)


def telegram(body: bytes, secret: str = SECRET) -> Any:
    return Client().post(
        "/chat/telegram/webhook",
        body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )


def whatsapp(body: bytes, secret: str = APP_SECRET) -> Any:
    return Client().post(
        "/chat/whatsapp/webhook",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=whatsapp_signature(body, secret),
    )


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay")


@pytest.mark.django_db(transaction=True)  # the answer is queued once its write commits
def test_a_resident_reports_by_telegram_to_a_tracking_code_and_hears_the_answer_there(
    world: World, fake: FakeProviders
) -> None:
    village = world.villages["polsek_a1a"]
    fake.files["photo-1"] = photo_bytes(1)
    steps: list[tuple[dict[str, Any], str]] = [
        (
            {"text": "halo"},
            "Sambang: report to your village's police officer. What is it about? "
            "Reply with a number:",
        ),
        ({"text": "1"}, "What happened? Write it in one message."),
        ({"text": "Motor tetangga dicuri tadi malam di depan masjid."}, PLACE),
        (
            {"location": {"latitude": village.centroid_lat, "longitude": village.centroid_lng}},
            "Send up to %(n)s photos if you have them, or LANJUT to continue.",
        ),
        (
            {"photo": telegram_photo("photo-1", 40_000), "caption": "motor"},
            "Photo received. Send another, or LANJUT to continue.",
        ),
        (
            {"text": "lanjut"},
            "Your name helps the officer follow up; it is never shown to others. Write "
            "your name, or ANONIM to report without it.",
        ),
        ({"text": "Siti Aminah"}, "Reply KIRIM to send it, or BATAL to drop it."),
        (
            {"text": "kirim"},
            "Sent. Your tracking code is %(code)s. Send it here at any time to see the status "
            "and the police's answer, or open %(url)s",
        ),
    ]
    for n, (message, expected) in enumerate(steps, start=1):
        answer = telegram(telegram_update(n, CHAT, **message))
        assert answer.status_code == 200, answer.content
        replies = fake.texts("telegram")
        assert said(expected).split("%(")[0] in replies[-1], (message, replies[-1])
    report = CitizenReport.objects.get()
    assert (report.category, report.village, report.anonymous) == ("crime", village, False)
    assert report.reporter_name == "Siti Aminah" and report.reporter_phone == ""
    assert report.officer == world.officers["polsek_a1a"]  # routed as the web form routes
    assert report.attachments.count() == 1 and report.due_at is not None
    assert report.tracking_code in fake.texts("telegram")[-1]
    assert "https://sambang.example.id/lapor/status/" in fake.texts("telegram")[-1]
    # The name never travels back out; the conversation is done.
    assert not any("Siti" in text for text in fake.texts("telegram"))
    assert Conversation.objects.get().step == "done"
    # A replayed delivery is a no-op: no reply, no second report.
    sent = len(fake.sent("telegram"))
    assert telegram(telegram_update(len(steps), CHAT, text="kirim")).status_code == 200
    assert len(fake.sent("telegram")) == sent and CitizenReport.objects.count() == 1
    # The code, sent back, gives the status.
    telegram(telegram_update(100, CHAT, text=f"cek {report.tracking_code}"))
    assert report.tracking_code in fake.texts("telegram")[-1]
    with translation.override("id"):
        assert str(CitizenStatus(report.status).label) in fake.texts("telegram")[-1]
    # The police's answer, written on the report's page, reaches the same chat.
    officer = Client()
    officer.force_login(world.users[Role.OFFICER])
    page = officer.post(
        f"/citizen-reports/{report.tracking_code}/",
        {"action": "answer", "note": "Sudah kami datangi, pelaku sedang dicari."},
    )
    assert page.status_code == 302
    run_worker()
    assert "Sudah kami datangi" in fake.texts("telegram")[-1]
    assert fake.sent("telegram")[-1].json()["chat_id"] == str(CHAT)
    # Every message out is logged, the address hashed.
    assert Outbound.objects.count() == len(fake.sent("telegram"))
    assert set(Outbound.objects.values_list("to_hash", flat=True)) == {
        address_hash("telegram", str(CHAT))
    }


def test_a_forged_delivery_is_refused_before_it_is_read(world: World, fake: FakeProviders) -> None:
    assert telegram(telegram_update(1, CHAT, text="halo"), secret="guess").status_code == 403
    assert whatsapp(b"{not json", secret="guess").status_code == 403
    body = sms_event("ev-1", "+6281234567890", "halo")
    forged = sms_headers(body, "another-key")
    assert (
        Client()
        .post("/chat/sms/webhook", body, content_type="application/json", headers=forged)
        .status_code
        == 403
    )
    stale = sms_headers(body, SIGNING_KEY, stamp=1_700_000_000)  # a delivery captured long ago
    assert (
        Client()
        .post("/chat/sms/webhook", body, content_type="application/json", headers=stale)
        .status_code
        == 403
    )
    assert not Delivery.objects.exists() and fake.requests == []
    # Signed but not a delivery: a clear 400.
    assert whatsapp(b'{"entry": [{"changes": [{"value": {"messages": [{}]}}]}]}').status_code == 400


def test_whatsapp_verifies_its_webhook_and_a_resident_chooses_the_village_by_name(
    world: World, fake: FakeProviders
) -> None:
    challenge = {
        "hub.mode": "subscribe",
        "hub.verify_token": "verify-me",
        "hub.challenge": "1158201444",
    }
    assert Client().get("/chat/whatsapp/webhook", challenge).content == b"1158201444"
    wrong = challenge | {"hub.verify_token": "guess"}
    assert Client().get("/chat/whatsapp/webhook", wrong).status_code == 403
    phone = "6281234567890"
    village = world.villages["polsek_a1a"]
    fake.files["1036045873971204"] = photo_bytes(2)
    fake.files["big"] = b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1)
    messages = [
        whatsapp_message("wamid.1", phone, "text", text={"body": "Halo"}),
        whatsapp_message("wamid.2", phone, "text", text={"body": "3"}),
        whatsapp_message(
            "wamid.3", phone, "text", text={"body": "Dua kelompok pemuda ribut soal parkir."}
        ),
        whatsapp_message("wamid.4", phone, "text", text={"body": village.name}),
        whatsapp_message(
            "wamid.5", phone, "sticker", sticker={"id": "s1", "mime_type": "image/webp"}
        ),
        whatsapp_message("wamid.6", phone, "image", image={"id": "big", "mime_type": "image/jpeg"}),
        whatsapp_message(
            "wamid.7", phone, "image", image={"id": "1036045873971204", "mime_type": "image/jpeg"}
        ),
        whatsapp_message("wamid.8", phone, "text", text={"body": "LANJUT"}),
        whatsapp_message("wamid.9", phone, "text", text={"body": "anonim"}),
        whatsapp_message("wamid.10", phone, "text", text={"body": "Kirim"}),
    ]
    for message in messages:
        assert whatsapp(whatsapp_delivery(message)).status_code == 200
    texts = fake.texts("whatsapp")
    assert said("Village: %(place)s.").split("%(")[0] in texts[3] and village.name in texts[3]
    assert (
        said("Sambang reads text, shared locations and photos only. Write BATAL to stop, or go on.")
        in texts[4]
    )
    assert (
        said("This photo is too large (at most 10 MB). Send a smaller one, or LANJUT.") in texts[5]
    )
    assert said("Photo received. Send another, or LANJUT to continue.") in texts[6]
    report = CitizenReport.objects.get()
    assert (report.category, report.village, report.anonymous) == ("conflict", village, True)
    assert report.reporter_name == report.reporter_phone == ""
    assert report.attachments.count() == 1
    # Media fetched with the access token, in the two steps the Cloud API documents.
    fetched = [r.path for r in fake.requests if r.method == "GET"]
    assert "/v21.0/1036045873971204" in fetched and "/media/1036045873971204" in fetched
    assert all(r.headers["Authorization"] == f"Bearer {WHATSAPP_TOKEN}" for r in fake.requests)
    # Delivery statuses are recorded, not answered.
    sent = len(fake.sent("whatsapp"))
    status = {
        "id": "wamid.out9",
        "status": "delivered",
        "timestamp": "1733300000",
        "recipient_id": phone,
    }
    assert whatsapp(whatsapp_delivery(statuses=[status])).status_code == 200
    assert Delivery.objects.filter(kind="status", outcome__startswith="delivered").exists()
    assert len(fake.sent("whatsapp")) == sent
    # An answer after 24 hours of silence goes as the approved template.
    ChatReport.objects.update(last_inbound_at=report.received_at.replace(year=2025))
    from sambang.chat.services import answer_back

    report.public_note = "Sudah dimediasi oleh Bhabinkamtibmas."
    assert answer_back(report)
    last = fake.sent("whatsapp")[-1].json()
    assert last["type"] == "template" and last["template"]["name"] == "jawaban_laporan"
    assert "Sudah dimediasi" in fake.texts("whatsapp")[-1]


def test_sms_reports_in_text_and_a_flood_from_one_number_is_not_answered(
    world: World, fake: FakeProviders, settings: Any
) -> None:
    settings.SAMBANG_CHAT_MESSAGES_PER_HOUR = 3
    phone = "+6281299990000"

    def sms(event: str, text: str) -> int:
        body = sms_event(event, phone, text)
        headers = sms_headers(body, SIGNING_KEY)
        return (
            Client()
            .post("/chat/sms/webhook", body, content_type="application/json", headers=headers)
            .status_code
        )

    for n, text in enumerate(["lapor", "2", "Ada transaksi sabu di pos ronda", "x", "y"], start=1):
        assert sms(f"ev-{n}", text) == 200
    assert len(fake.sent("sms")) == 3  # the fourth and fifth in the hour are recorded only
    assert Delivery.objects.filter(outcome="rate limited").count() == 2
    assert fake.sent("sms")[0].json()["phoneNumbers"] == [phone]
    assert said(PLACE) in fake.texts("sms")[-1]
    # Half an hour of silence drops the unfinished report, and the next message starts anew.
    settings.SAMBANG_CHAT_MESSAGES_PER_HOUR = 60
    Conversation.objects.update(last_inbound_at=timezone.now() - dt.timedelta(minutes=31))
    assert sms("ev-6", "Desa Sukamaju") == 200
    assert (
        said("Your unfinished report was dropped after 30 minutes of silence.")
        in (fake.texts("sms")[-2])
    )
    assert Conversation.objects.get().step == "category"
    assert phone not in str(list(Delivery.objects.values_list("sender_hash", flat=True)))


def test_a_channel_without_settings_is_off_and_only_operators_see_the_health_page(
    world: World, settings: Any
) -> None:
    settings.SAMBANG_CHAT_TELEGRAM = {"BOT_TOKEN": "", "SECRET_TOKEN": "", "API_BASE": ""}
    assert telegram(telegram_update(1, CHAT, text="halo")).status_code == 404
    for role, expected in (
        (Role.NATIONAL, 200),
        (Role.ADMIN, 200),
        (Role.POLDA, 403),
        (Role.OFFICER, 403),
    ):
        client = Client()
        client.force_login(world.users[role])
        assert client.get("/chat/health/").status_code == expected


def test_the_demo_simulates_a_chat_to_a_tracking_code(world: World, settings: Any) -> None:
    settings.DEMO_MODE = True
    client = Client()
    village = world.villages["polsek_a1a"]
    for data in (
        {"text": "halo"},
        {"text": "1"},
        {"text": "Motor dicuri di depan masjid semalam."},
        {"location": village.code},
        {"photo": "1"},
        {"text": "lanjut"},
        {"text": "anonim"},
        {"text": "kirim"},
    ):
        assert client.post("/chat/demo/", data).status_code == 302
    report = CitizenReport.objects.get()
    assert (report.village, report.anonymous, report.attachments.count()) == (village, True, 1)
    page = client.get("/chat/demo/").content.decode()
    assert report.tracking_code in page and village.name in page
    # Another visitor starts a conversation of their own.
    assert "Motor dicuri" not in Client().get("/chat/demo/").content.decode()
    # An officer signed in links the simulated chat and sends a quick report from it.
    officer = Client()
    officer.force_login(world.users[Role.OFFICER])
    page = officer.post("/chat/link/", {"action": "code"}).content.decode()
    found = re.search(r"DAFTAR (\d{6})", page)
    assert found is not None
    for data in (
        {"text": found[0]},
        {"text": "Sambang ke rumah Pak RT, membahas ronda."},
        {"location": village.code},
        {"photo": "1"},
        {"photo": "1"},
    ):
        assert officer.post("/chat/demo/", data).status_code == 302
    quick = QuickReport.objects.get()
    assert (quick.officer, quick.village, quick.photos.count()) == (
        world.officers["polsek_a1a"],
        village,
        2,
    )
    first, second = (bytes(p.data) for p in quick.photos.all())
    assert first != second  # sample photos differ, as real ones do
    assert f"?quick={quick.uuid}" in officer.get("/chat/demo/").content.decode()
    settings.DEMO_MODE = False
    assert client.get("/chat/demo/").status_code == 404


@pytest.mark.django_db(transaction=True)  # the notification is queued once its write commits
def test_an_officer_links_a_chat_with_a_one_time_code_and_hears_of_directives_there(
    world: World, fake: FakeProviders
) -> None:
    officer = Client()
    officer.force_login(world.users[Role.OFFICER])
    page = officer.post("/chat/link/", {"action": "code"}).content.decode()
    found = re.search(r"DAFTAR (\d{6})", page)
    assert found is not None
    code = found.group(1)
    wrong = "000000" if code != "000000" else "111111"
    telegram(telegram_update(1, CHAT, text=f"DAFTAR {wrong}"))
    assert not OfficerLink.objects.exists()
    assert (
        said(
            "This code is not valid or has expired. Get a new one on Sambang's Notifications page."
        )
        in fake.texts("telegram")[-1]
    )
    telegram(telegram_update(2, CHAT, text=f"daftar {code}"))
    link = OfficerLink.objects.get()
    assert (link.officer, link.channel, link.address) == (
        world.officers["polsek_a1a"],
        "telegram",
        str(CHAT),
    )
    # Used once: the same code from another chat links nothing.
    telegram(telegram_update(3, CHAT + 1, text=f"DAFTAR {code}"))
    assert OfficerLink.objects.count() == 1
    # A directive to the officer's unit reaches the linked chat: a title and a link only.
    polres = APIClient()
    polres.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLRES]}")
    issued = polres.post(
        "/api/v1/directives/",
        {
            "unit": world.units["polres_a1"].code,
            "title": "Razia miras oplosan",
            "body": "Periksa warung Bu Tini di RT 03.",
        },
        format="json",
    )
    assert issued.status_code == 201, issued.content
    run_worker()
    last = fake.sent("telegram")[-1].json()
    assert last["chat_id"] == str(CHAT)
    assert f"/directives/{issued.json()['id']}/" in last["text"]
    assert "Razia" not in last["text"] and "Tini" not in last["text"]
    # The officer sees the link and takes it back; the page is an officer's only.
    assert "Telegram" in officer.get("/chat/link/").content.decode()
    assert (
        officer.post("/chat/link/", {"action": "unlink", "channel": "telegram"}).status_code == 302
    )
    assert not OfficerLink.objects.exists()
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLSEK])
    assert supervisor.get("/chat/link/").status_code == 403


def test_an_officers_quick_report_by_chat_is_completed_in_the_app_by_them_alone(
    world: World, fake: FakeProviders
) -> None:
    phone = "6281355550001"
    village = world.villages["polsek_a1a"]
    officer = Client()
    officer.force_login(world.users[Role.OFFICER])
    page = officer.post("/chat/link/", {"action": "code"}).content.decode()
    found = re.search(r"DAFTAR (\d{6})", page)
    assert found is not None
    whatsapp(whatsapp_delivery(whatsapp_message("w1", phone, "text", text={"body": found[0]})))
    assert OfficerLink.objects.get().officer == world.officers["polsek_a1a"]
    fake.files["foto-patroli"] = photo_bytes(3)
    fake.files["besar"] = b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1)
    fake.files["bukan-foto"] = b"%PDF-1.4 not a photo"
    narrative = "Patroli dialogis bersama Babinsa di pos ronda RW 02, warga minta lampu jalan."
    position = {"latitude": village.centroid_lat, "longitude": village.centroid_lng}
    messages = [
        whatsapp_message("w2", phone, "text", text={"body": narrative}),
        whatsapp_message("w3", phone, "location", location=position),
        whatsapp_message("w4", phone, "image", image={"id": "foto-patroli"}),
        whatsapp_message("w5", phone, "image", image={"id": "besar"}),
        whatsapp_message("w6", phone, "image", image={"id": "bukan-foto"}),
        whatsapp_message("w7", phone, "sticker", sticker={"id": "s1"}),
    ]
    # A first message that is refused (not a photo) begins nothing.
    whatsapp(whatsapp_delivery(whatsapp_message("w1b", phone, "image", image={"id": "bukan-foto"})))
    assert not QuickReport.objects.exists()
    assert said("This file is not a JPEG, PNG or WebP photo.") == fake.texts("whatsapp")[-1]
    replies = []  # to each message, what the chat answered
    for message in messages:
        before = len(fake.texts("whatsapp"))
        assert whatsapp(whatsapp_delivery(message)).status_code == 200
        replies.append("\n".join(fake.texts("whatsapp")[before:]))
    # A replayed delivery adds nothing.
    assert whatsapp(whatsapp_delivery(messages[0])).status_code == 200
    quick = QuickReport.objects.get()
    assert (quick.officer, quick.channel, quick.text) == (
        world.officers["polsek_a1a"],
        "whatsapp",
        narrative,
    )
    assert (quick.village, quick.latitude, quick.photos.count()) == (
        village,
        village.centroid_lat,
        1,
    )
    assert not CitizenReport.objects.exists() and not Conversation.objects.exists()
    with translation.override("id"):
        explained = _(
            "Quick report: write what you did, share your location and send photos. Messages "
            "within %(minutes)s minutes of each other make one report, which waits in Sambang "
            "for you to complete. SELESAI when it is complete, BATAL to drop it."
        )
        assert explained % {"minutes": 30} in replies[0]
        holds = _("Your quick report holds: %(parts)s.")
        assert holds % {"parts": _("text")} in replies[0]
        where = _("position in %(village)s") % {"village": village.name}
        assert holds % {"parts": f"{_('text')}, {where}"} in replies[1]
        photo_count = ngettext("%(n)s photo", "%(n)s photos", 1) % {"n": 1}
        assert holds % {"parts": f"{_('text')}, {where}, {photo_count}"} in replies[2]
        assert _("This photo is too large (at most 10 MB). Send a smaller one.") in replies[3]
        assert _("This file is not a JPEG, PNG or WebP photo.") in replies[4]
        assert _("Sambang reads text, shared locations and photos only.") in replies[5]
    link = f"https://sambang.example.id{reverse('fieldwork:report_new')}?quick={quick.uuid}"
    assert link in replies[0]
    # SELESAI closes it: the next message begins another, which BATAL drops.
    whatsapp(whatsapp_delivery(whatsapp_message("w8", phone, "text", text={"body": "Selesai"})))
    assert link in fake.texts("whatsapp")[-1]
    whatsapp(whatsapp_delivery(whatsapp_message("w9", phone, "text", text={"body": "Tes"})))
    assert QuickReport.objects.count() == 2
    whatsapp(whatsapp_delivery(whatsapp_message("w10", phone, "text", text={"body": "batal"})))
    assert list(QuickReport.objects.all()) == [quick]
    assert said("Your quick report was dropped.") in fake.texts("whatsapp")[-1]

    # It waits in the officer's queue and on their day, with the photo sent.
    counts = {i["kind"]: i["count"] for i in officer.get("/api/v1/me/queue").json()}
    assert counts["quick"] == 1
    today = officer.get(reverse("fieldwork:today")).content.decode()
    assert f"/field/reports/new/?quick={quick.uuid}" in today
    form = officer.get(f"/field/reports/new/?quick={quick.uuid}")
    html = form.content.decode()
    assert form.status_code == 200 and narrative in html
    assert f'<option value="{village.code}" selected>' in html
    assert f'value="{village.centroid_lat}"' in html
    photo = quick.photos.get()
    picture = officer.get(f"/field/reports/quick/{quick.uuid}/photos/{photo.pk}/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    # Nobody else reaches it: another officer's quick report is a 404, a supervisor's a 403.
    theirs = quick_report_note(
        officer=world.officers["polsek_a1b"], channel="telegram", now=timezone.now(), text="x"
    ).quick
    assert theirs is not None
    for url in (
        f"/field/reports/new/?quick={theirs.uuid}",
        f"/field/reports/quick/{theirs.uuid}/photos/1/",
    ):
        assert officer.get(url).status_code == 404, url
    assert officer.post(f"/field/reports/quick/{theirs.uuid}/discard/").status_code == 404
    supervisor = Client()
    supervisor.force_login(world.users[Role.POLSEK])
    assert supervisor.get(f"/field/reports/new/?quick={quick.uuid}").status_code == 403
    assert (
        supervisor.get(f"/field/reports/quick/{quick.uuid}/photos/{photo.pk}/").status_code == 403
    )

    # Completed in the form, saved as a draft: a draft report with the photo; the queue empties.
    form_uuid = re.search(r'name="uuid" value="([0-9a-f-]+)"', html)
    occurred = re.search(r'name="occurred_at" id="occurred_at" value="([^"]+)"', html)
    assert form_uuid is not None and occurred is not None
    fields = {
        "uuid": form_uuid[1],
        "activity_type": "kegiatan-desa",
        "village": village.code,
        "occurred_at": occurred[1],
        "latitude": village.centroid_lat,
        "longitude": village.centroid_lng,
        "narrative": narrative,
        "participants": 12,
        "partners": ["babinsa"],
        "quick_report": str(quick.uuid),
        "draft": "1",
    }
    saved = officer.post("/field/reports/new/", fields)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    report = ActivityReport.objects.get(uuid=form_uuid[1])
    assert (report.state, report.photos.count(), report.narrative) == ("draft", 1, narrative)
    quick.refresh_from_db()
    assert quick.report == report and not quick.photos.exists()
    counts = {i["kind"]: i["count"] for i in officer.get("/api/v1/me/queue").json()}
    assert counts["quick"] == 0
    # Sent again (the phone's outbox retrying): the same report, no second photo.
    assert officer.post("/field/reports/new/", fields).status_code == 302
    assert report.photos.count() == 1
    again = officer.get(f"/field/reports/new/?quick={quick.uuid}")
    assert again.status_code == 302 and again["Location"] == f"/field/reports/{report.uuid}/"

    # One sent and thought better of: discarded from the day.
    whatsapp(whatsapp_delivery(whatsapp_message("w11", phone, "text", text={"body": "Salah"})))
    extra = QuickReport.objects.get(officer=world.officers["polsek_a1a"], report=None)
    assert officer.post(f"/field/reports/quick/{extra.uuid}/discard/").status_code == 302
    assert not QuickReport.objects.filter(pk=extra.pk).exists()
    # An officer no longer active is not heard.
    world.users[Role.OFFICER].is_active = False
    world.users[Role.OFFICER].save()
    whatsapp(whatsapp_delivery(whatsapp_message("w12", phone, "text", text={"body": "Lagi"})))
    assert (
        said("Your Sambang account is not active: this message was not recorded.")
        in (fake.texts("whatsapp")[-1])
    )
    assert not QuickReport.objects.filter(officer=world.officers["polsek_a1a"], report=None)


def test_sambang_chat_clean_drops_what_chats_left_unfinished(world: World) -> None:
    long_ago = timezone.now() - dt.timedelta(days=46)
    unfinished = Conversation.objects.create(
        channel="sms",
        sender_hash="a" * 64,
        address="+6281200000001",
        step="photos",
        data={"category": "crime", "description": "Maling"},
        last_inbound_at=timezone.now() - dt.timedelta(hours=2),
    )
    PendingPhoto.objects.create(conversation=unfinished, data=photo_bytes(4))
    ongoing = Conversation.objects.create(
        channel="sms",
        sender_hash="b" * 64,
        address="+6281200000002",
        step="photos",
        data={"category": "crime", "description": "Maling"},
        last_inbound_at=timezone.now(),
    )
    PendingPhoto.objects.create(conversation=ongoing, data=photo_bytes(5))
    officer = world.officers["polsek_a1a"]
    old = quick_report_note(officer=officer, channel="sms", now=long_ago, text="Lama").quick
    assert old is not None
    recent = quick_report_note(officer=officer, channel="sms", now=timezone.now(), text="Baru")
    call_command("chat", "clean")
    unfinished.refresh_from_db()
    assert (unfinished.step, unfinished.data, unfinished.photos.count()) == ("start", {}, 0)
    assert ongoing.photos.count() == 1
    assert list(QuickReport.objects.all()) == [recent.quick] and old.pk is not None
