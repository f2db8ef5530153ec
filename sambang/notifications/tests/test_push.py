"""Web Push end to end: a real event through the API, the queued task run by the real
worker, and the request the local push service received checked as a push service and a
browser would (the VAPID signature, then the decrypted payload)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from sambang.alerts.detection import last_complete_week
from sambang.alerts.models import Alert, Family, Severity, SignalWeek
from sambang.fieldwork.models import ActivityReport
from sambang.notifications.keys import new_key_pair
from sambang.notifications.models import (
    NotificationPreference,
    OutboundNotification,
    PushSubscription,
)
from sambang.notifications.services import MAX_DEVICES
from sambang.organization.models import Directive
from sambang.personnel.models import Role
from sambang.public.models import CitizenReport
from sambang.territory.models import Region
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

from .conftest import SUBJECT
from .pushservice import Browser, LocalPushService, verified_vapid_claims

SUBSCRIPTIONS = "/api/v1/me/push-subscriptions"
PREFERENCES = "/api/v1/me/notification-preferences"
PAYLOAD_KEYS = {"kind", "title", "body", "url", "tag"}


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def subscribe(world: World, role: str, push: LocalPushService, device: str) -> Browser:
    """The user of ``role`` turns notifications on in a browser (as notifications.js does)."""
    browser = Browser(push.endpoint(device))
    response = api(world, role).post(SUBSCRIPTIONS, browser.subscription(), format="json")
    assert response.status_code == 201, response.content
    return browser


def issue_directive(world: World) -> Directive:
    response = api(world, Role.POLRES).post(
        "/api/v1/directives/",
        {
            "unit": world.units["polres_a1"].code,
            "title": "Razia miras oplosan",
            "body": "Periksa warung Bu Tini di RT 03 yang menjual miras oplosan.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Directive.objects.get(pk=response.json()["id"])


def file_residents_report(world: World) -> CitizenReport:
    response = APIClient().post(
        "/api/v1/public/citizen-reports",
        {
            "category": "crime",
            "description": "Motor Pak Joko dicuri semalam dari depan rumahnya.",
            "village": world.villages["polsek_a1a"].code,
            "anonymous": False,
            "reporter_name": "Siti Aminah",
            "reporter_phone": "081234567890",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return CitizenReport.objects.get(tracking_code=response.json()["tracking_code"])


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay")  # the real worker


@pytest.mark.django_db(transaction=True)  # the notification is queued once the write commits
def test_a_directive_reaches_its_officer_signed_and_encrypted_and_no_one_else(
    world: World, push: LocalPushService, settings: Any
) -> None:
    officer = subscribe(world, Role.OFFICER, push, "officer-phone")
    supervisor = subscribe(world, Role.POLSEK, push, "polsek-phone")
    directive = issue_directive(world)
    assert push.received == []  # nothing is sent inside the request
    run_worker()
    [received] = push.to(officer.endpoint)
    assert push.to(supervisor.endpoint) == []  # the Polsek's device gets no officer's news
    claims = verified_vapid_claims(received, settings.SAMBANG_VAPID_PUBLIC_KEY)
    assert claims["aud"] == push.origin
    assert claims["sub"] == SUBJECT
    assert int(received.headers["TTL"]) > 0
    payload = officer.decrypt(received)
    assert set(payload) == PAYLOAD_KEYS
    assert payload["kind"] == "directive"
    assert payload["url"] == f"/directives/{directive.pk}/"
    assert payload["title"] and payload["body"]
    text = json.dumps(payload)
    for restricted in ("Razia", "miras", "Tini", "RT 03"):
        assert restricted not in text
    log = OutboundNotification.objects.get()
    assert (log.user, log.kind, log.channel, log.url, log.result) == (
        world.users[Role.OFFICER],
        "directive",
        "webpush",
        payload["url"],
        "sent",
    )
    assert PushSubscription.objects.get(endpoint=officer.endpoint).last_success_at is not None
    # The link leads into the app, which opens it for the officer it was sent to.
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    assert client.get(payload["url"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_returned_report_and_a_residents_report_reach_the_officer_without_restricted_data(
    world: World, push: LocalPushService, settings: Any
) -> None:
    officer = subscribe(world, Role.OFFICER, push, "officer-phone")
    report = report_payload(world)
    assert (
        api(world, Role.OFFICER).post("/api/v1/reports/", report, format="json").status_code == 201
    )
    returned = api(world, Role.POLSEK).post(
        f"/api/v1/reports/{report['uuid']}/review",
        {"decision": "return", "comment": "Foto kurang jelas, ulangi kunjungan"},
        format="json",
    )
    assert returned.status_code == 200, returned.content
    citizen = file_residents_report(world)
    run_worker()
    received = push.to(officer.endpoint)
    assert len(received) == 2
    for request in received:
        verified_vapid_claims(request, settings.SAMBANG_VAPID_PUBLIC_KEY)
    payloads = {p["kind"]: p for p in (officer.decrypt(r) for r in received)}
    assert payloads["report_returned"]["url"] == f"/field/reports/{report['uuid']}/"
    assert payloads["citizen_report"]["url"] == f"/citizen-reports/{citizen.tracking_code}/"
    assert all(set(p) == PAYLOAD_KEYS for p in payloads.values())
    text = json.dumps(payloads)
    narrative = ActivityReport.objects.get(uuid=report["uuid"]).narrative
    for restricted in (
        "Siti",
        "Aminah",
        "081234567890",
        "Motor",
        "Joko",
        "Foto kurang",
        narrative[:20],
    ):
        assert restricted not in text


@pytest.mark.django_db(transaction=True)
def test_a_kind_turned_off_is_not_sent_and_the_others_still_are(
    world: World, push: LocalPushService
) -> None:
    officer = subscribe(world, Role.OFFICER, push, "officer-phone")
    chosen = api(world, Role.OFFICER).put(PREFERENCES, {"directive": False}, format="json")
    assert chosen.status_code == 200 and chosen.json()["directive"] is False
    issue_directive(world)
    run_worker()
    assert push.received == []
    assert not OutboundNotification.objects.exists()
    file_residents_report(world)
    run_worker()
    [received] = push.to(officer.endpoint)
    assert officer.decrypt(received)["kind"] == "citizen_report"


def weekly_counts(world: World, village: Region, rise: list[int]) -> None:
    """Twenty weeks of one theft a week in ``village``, then the weeks of ``rise``."""
    last = last_complete_week()
    weeks = [1] * 20 + rise
    SignalWeek.objects.bulk_create(
        SignalWeek(
            village=village,
            unit=world.units["polsek_a1a"],
            week=last - dt.timedelta(weeks=len(weeks) - 1 - n),
            family=Family.INCIDENTS,
            key="pencurian",
            records=count,
            weight=count,
        )
        for n, count in enumerate(weeks)
    )


@pytest.mark.django_db(transaction=True)
def test_a_new_alert_reaches_the_officer_and_the_polsek_and_a_strong_one_the_polres(
    world: World, push: LocalPushService
) -> None:
    devices = {
        role: subscribe(world, role, push, f"{role}-phone")
        for role in (Role.OFFICER, Role.POLSEK, Role.POLRES, Role.POLDA)
    }
    colleague_village = world.colleague_village
    assert colleague_village is not None
    weekly_counts(world, world.villages["polsek_a1a"], [12])  # 12 against 1: a strong rise
    weekly_counts(world, colleague_village, [5, 5])  # two weeks of 5 against 1: a rise
    call_command("alerts", "detect", stdout=StringIO())
    strong = Alert.objects.get(village=world.villages["polsek_a1a"], severity=Severity.HIGH)
    normal = Alert.objects.get(village=colleague_village, severity=Severity.NORMAL)
    assert push.received == []  # the run queues; the worker sends
    run_worker()
    urls = {
        role: sorted(devices[role].decrypt(r)["url"] for r in push.to(devices[role].endpoint))
        for role in devices
    }
    assert urls[Role.OFFICER] == [f"/alerts/{strong.pk}/"]  # not the colleague's village
    assert urls[Role.POLSEK] == sorted([f"/alerts/{strong.pk}/", f"/alerts/{normal.pk}/"])
    assert urls[Role.POLRES] == [f"/alerts/{strong.pk}/"]
    assert urls[Role.POLDA] == []  # above the Polres: the work queue and the digest
    payload = devices[Role.OFFICER].decrypt(push.to(devices[Role.OFFICER].endpoint)[0])
    assert payload["kind"] == "alert" and world.villages["polsek_a1a"].name not in str(payload)
    # The run goes on without telling anyone again; the link opens for each reader.
    call_command("alerts", "detect", "--since", last_complete_week().isoformat(), stdout=StringIO())
    run_worker()
    assert len(push.received) == 4
    for role in (Role.OFFICER, Role.POLSEK, Role.POLRES):
        client = Client()
        client.force_login(world.users[role])
        assert client.get(f"/alerts/{strong.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_device_its_push_service_has_forgotten_is_removed(
    world: World, push: LocalPushService
) -> None:
    forgotten = subscribe(world, Role.OFFICER, push, "old-phone")
    current = subscribe(world, Role.OFFICER, push, "new-phone")
    push.answers["/push/old-phone"] = 410
    issue_directive(world)
    run_worker()
    assert len(push.to(forgotten.endpoint)) == len(push.to(current.endpoint)) == 1
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [current.endpoint]
    assert sorted(OutboundNotification.objects.values_list("result", flat=True)) == ["gone", "sent"]


@pytest.mark.django_db
def test_supervisors_are_reminded_of_overdue_residents_reports_once_each(
    world: World, push: LocalPushService, settings: Any
) -> None:
    settings.SAMBANG_FIRST_RESPONSE_HOURS = 0  # overdue as soon as filed
    polres = subscribe(world, Role.POLRES, push, "polres-phone")
    officer = subscribe(world, Role.OFFICER, push, "officer-phone")
    file_residents_report(world)
    call_command("notifications", "overdue")
    [received] = push.to(polres.endpoint)
    verified_vapid_claims(received, settings.SAMBANG_VAPID_PUBLIC_KEY)
    first = polres.decrypt(received)
    assert (first["kind"], first["url"]) == ("overdue", "/citizen-reports/?overdue=1")
    assert "1" in first["body"] and "Joko" not in json.dumps(first)
    assert push.to(officer.endpoint) == []  # reminders are for supervisors
    call_command("notifications", "overdue")
    assert len(push.to(polres.endpoint)) == 1  # nothing new, nothing said
    file_residents_report(world)
    call_command("notifications", "overdue")
    assert "2" in polres.decrypt(push.to(polres.endpoint)[-1])["body"]
    assert api(world, Role.POLRES).put(PREFERENCES, {"overdue": False}).status_code == 200
    file_residents_report(world)
    call_command("notifications", "overdue")
    assert len(push.to(polres.endpoint)) == 2  # turned off


@pytest.mark.django_db
def test_a_device_is_registered_once_and_only_at_a_push_service(
    world: World, push: LocalPushService
) -> None:
    client = api(world, Role.OFFICER)
    client.cookies["django_language"] = "id"
    browser = Browser(push.endpoint("phone"))
    assert client.post(SUBSCRIPTIONS, browser.subscription(), format="json").status_code == 201
    # Written to later in the language the user uses the app in.
    assert NotificationPreference.objects.get(user=world.users[Role.OFFICER]).language == "id"
    again = client.post(SUBSCRIPTIONS, browser.subscription(), format="json")
    assert again.status_code == 200 and again.json()["endpoint"] == browser.endpoint
    renewed = Browser(browser.endpoint)  # the browser renewed its keys
    assert client.post(SUBSCRIPTIONS, renewed.subscription(), format="json").status_code == 200
    stored = PushSubscription.objects.get()
    assert stored.p256dh == renewed.subscription()["keys"]["p256dh"]
    for endpoint in (
        "https://push.example.net/x",  # not a push service this server knows
        "http://10.0.0.5/push/x",  # inside the network
        "https://user:secret@127.0.0.1/push/x",
        "ftp://127.0.0.1/push/x",
    ):
        answer = client.post(SUBSCRIPTIONS, Browser(endpoint).subscription(), format="json")
        assert answer.status_code == 400, endpoint
        assert "endpoint" in answer.json()["error"]["fields"]
    broken = Browser(push.endpoint("tablet")).subscription()
    broken["keys"] = {"p256dh": "AAAA", "auth": "tooshort"}
    fields = client.post(SUBSCRIPTIONS, broken, format="json").json()["error"]["fields"]
    assert set(fields) == {"keys.p256dh", "keys.auth"}
    assert PushSubscription.objects.count() == 1
    # Another user cannot unregister it; its owner can.
    url = f"{SUBSCRIPTIONS}?endpoint={quote(browser.endpoint, safe='')}"
    assert api(world, Role.POLSEK).delete(url).status_code == 204
    assert PushSubscription.objects.count() == 1
    assert client.delete(url).status_code == 204
    assert not PushSubscription.objects.exists()
    assert client.delete(SUBSCRIPTIONS).status_code == 400


@pytest.mark.django_db
def test_a_device_registered_by_another_user_moves_to_them(
    world: World, push: LocalPushService
) -> None:
    shared = Browser(push.endpoint("shared-phone")).subscription()
    officer, polsek = api(world, Role.OFFICER), api(world, Role.POLSEK)
    assert officer.post(SUBSCRIPTIONS, shared, format="json").status_code == 201
    assert polsek.post(SUBSCRIPTIONS, shared, format="json").status_code == 200
    assert PushSubscription.objects.get().user == world.users[Role.POLSEK]


@pytest.mark.django_db
def test_a_user_keeps_the_newest_devices_only(world: World, push: LocalPushService) -> None:
    client = api(world, Role.OFFICER)
    endpoints = [push.endpoint(f"phone-{n}") for n in range(MAX_DEVICES + 2)]
    for endpoint in endpoints:
        answer = client.post(SUBSCRIPTIONS, Browser(endpoint).subscription(), format="json")
        assert answer.status_code == 201
    kept = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert kept == set(endpoints[2:])


@pytest.mark.django_db
def test_preferences_are_read_and_chosen_through_the_api(
    world: World, push: LocalPushService, settings: Any
) -> None:
    client = api(world, Role.OFFICER)
    read = client.get(PREFERENCES).json()
    assert read["kinds"] == ["directive", "report_returned", "citizen_report", "alert"]
    assert all(read[k] for k in read["kinds"])  # everything until the user chooses
    assert read["push_available"] is True
    assert read["push_public_key"] == settings.SAMBANG_VAPID_PUBLIC_KEY
    chosen = client.put(PREFERENCES, {"citizen_report": False}, format="json").json()
    assert (chosen["directive"], chosen["citizen_report"]) == (True, False)
    assert client.put(PREFERENCES, {"directive": "maybe"}, format="json").status_code == 400
    supervisor = api(world, Role.POLRES).get(PREFERENCES).json()
    assert supervisor["kinds"] == ["overdue", "alert", "digest"]
    settings.SAMBANG_VAPID_SUBJECT = ""
    off = client.get(PREFERENCES).json()
    assert (off["push_available"], off["push_public_key"]) == (False, "")


@pytest.mark.django_db
def test_the_preferences_page_turns_push_on_and_saves_choices(world: World, settings: Any) -> None:
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    assert "/accounts/notifications/" in client.get("/accounts/security/").content.decode()
    off = client.get("/accounts/notifications/").content.decode()
    assert "off on this server" in off and "data-push-on" not in off
    public, settings.SAMBANG_VAPID_PRIVATE_KEY = new_key_pair()
    settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_SUBJECT = public, SUBJECT
    page = client.get("/accounts/notifications/").content.decode()
    assert f'data-key="{public}"' in page and "notifications.js" in page
    assert "Turn on notifications on this device" in page
    assert "A new directive for me" in page and "daily e-mail" not in page
    saved = client.post("/accounts/notifications/", {"report_returned": "on"})
    assert saved.status_code == 302
    preference = NotificationPreference.objects.get(user=world.users[Role.OFFICER])
    assert (preference.directive, preference.report_returned, preference.citizen_report) == (
        False,
        True,
        False,
    )
    assert preference.language == "en"


@pytest.mark.django_db
def test_nobody_removes_another_users_device(world: World, push: LocalPushService) -> None:
    subscribe(world, Role.POLSEK, push, "polsek-phone")
    device = PushSubscription.objects.get()
    other = Client()
    other.force_login(world.users[Role.OFFICER])
    url = f"/accounts/notifications/devices/{device.pk}/remove/"
    assert other.post(url).status_code == 404
    assert PushSubscription.objects.filter(pk=device.pk).exists()
    owner = Client()
    owner.force_login(world.users[Role.POLSEK])
    page = owner.get("/accounts/notifications/").content.decode()
    assert url in page
    assert owner.post(url).status_code == 302
    assert not PushSubscription.objects.exists()


def test_the_service_worker_shows_a_push_and_opens_its_link(client: Client) -> None:
    script = client.get("/sw.js").content.decode()
    assert 'addEventListener("push"' in script and "showNotification" in script
    assert 'addEventListener("notificationclick"' in script and "openWindow" in script


@pytest.mark.django_db(transaction=True)
def test_an_officer_hears_of_a_residents_report_given_to_them_later(
    world: World, push: LocalPushService
) -> None:
    officer = subscribe(world, Role.OFFICER, push, "officer-phone")
    citizen = file_residents_report(world)
    run_worker()
    assert len(push.to(officer.endpoint)) == 1  # routed to them on arrival
    polsek = api(world, Role.POLSEK)
    assert world.colleague is not None
    url = f"/api/v1/citizen-reports/{citizen.tracking_code}/assign"
    away = polsek.post(url, {"officer": world.colleague.nrp}, format="json")
    assert away.status_code == 200
    run_worker()
    assert len(push.to(officer.endpoint)) == 1  # given to a colleague: not theirs to hear
    back = polsek.post(url, {"officer": world.officers["polsek_a1a"].nrp}, format="json")
    assert back.status_code == 200
    run_worker()
    received = push.to(officer.endpoint)
    assert len(received) == 2
    assert officer.decrypt(received[-1])["url"] == f"/citizen-reports/{citizen.tracking_code}/"
