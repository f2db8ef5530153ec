"""The daily e-mail digest, sent through a real SMTP server on 127.0.0.1 (aiosmtpd), with its
one-click unsubscribe."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from sambang.evaluation.models import EvaluationStatus, MonthlyEvaluation
from sambang.evaluation.periods import add_months, local_today
from sambang.notifications.models import NotificationPreference, OutboundNotification
from sambang.personnel.models import Role, User
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

SITE = "https://sambang.example.org"
SOCKET_TIMEOUT = 10


@dataclass(frozen=True)
class Mail:
    to: list[str]
    message: EmailMessage

    def part(self, kind: str) -> str:
        body = self.message.get_body((kind,))
        assert body is not None, f"no {kind} part"
        return str(body.get_content()).replace("\r\n", "\n")

    def unsubscribe_link(self) -> str:
        """The URL of the List-Unsubscribe header (RFC 2369: <url>, folded if long)."""
        return "".join(str(self.message["List-Unsubscribe"]).split()).strip("<>")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[list[Mail]]:
    """A real SMTP server on 127.0.0.1 in a thread; Django's SMTP backend sends to it."""
    controller = pytest.importorskip(
        "aiosmtpd.controller", reason="aiosmtpd (a dev dependency) is not installed"
    )
    received: list[Mail] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            received.append(Mail(list(envelope.rcpt_tos), message))
            return "250 Message accepted"

    server = controller.Controller(
        Handler(), hostname="127.0.0.1", port=_free_port(), ready_timeout=SOCKET_TIMEOUT
    )
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = SOCKET_TIMEOUT
    settings.SAMBANG_SITE_URL = SITE
    try:
        yield received
    finally:
        server.stop()


def _with_email(world: World, role: str) -> User:
    user = world.users[role]
    user.email = f"{role}@sambang.example.org"
    user.save(update_fields=["email"])
    return user


def _items_waiting(world: World, settings: Any) -> None:
    """Two reports sent by the officer, and a resident's report already overdue: all in
    Polsek A1A (so waiting for the Polsek, Polres A1 and Polda A supervisors)."""
    settings.SAMBANG_FIRST_RESPONSE_HOURS = 0
    officer = APIClient()
    officer.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    for _ in range(2):
        sent = officer.post("/api/v1/reports/", report_payload(world), format="json")
        assert sent.status_code == 201, sent.content
    resident = APIClient().post(
        "/api/v1/public/citizen-reports",
        {
            "category": "disorder",
            "description": "Balap liar setiap malam Minggu di jalan desa.",
            "village": world.villages["polsek_a1a"].code,
            "anonymous": False,
            "reporter_name": "Siti Aminah",
            "reporter_phone": "081234567890",
        },
        format="json",
    )
    assert resident.status_code == 201, resident.content


def _supervisor_with_nothing_waiting(world: World) -> User:
    """Polres B1's supervisor, whose last month is submitted and whose units wait for nothing."""
    unit = world.units["polres_b1"]
    user = User.objects.create_user(
        username="polres-b1", email="polres-b1@sambang.example.org", role=Role.POLRES, unit=unit
    )
    MonthlyEvaluation.objects.create(
        unit=unit,
        month=add_months(local_today(unit).replace(day=1), -1),
        status=EvaluationStatus.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    return user


def _by_recipient(mails: list[Mail]) -> dict[str, Mail]:
    return {address: mail for mail in mails for address in mail.to}


def test_the_digest_lists_each_supervisors_queue_and_unsubscribes_in_one_click(
    world: World, smtp: list[Mail], settings: Any
) -> None:
    polres, polsek = _with_email(world, Role.POLRES), _with_email(world, Role.POLSEK)
    polda = _with_email(world, Role.POLDA)
    NotificationPreference.objects.create(user=polda, digest=False)  # unsubscribed before
    _with_email(world, Role.OFFICER)  # officers get no digest
    idle = _supervisor_with_nothing_waiting(world)
    _items_waiting(world, settings)

    call_command("notifications", "digest")

    mails = _by_recipient(smtp)
    assert set(mails) == {polres.email, polsek.email}  # not the idle, the unsubscribed, the officer
    assert len(smtp) == 2
    mail = mails[polres.email]
    assert mail.message["Subject"].startswith("Sambang: ")
    text, html = mail.part("plain"), mail.part("html")
    assert f"- Reports to review: 2\n  {SITE}/field/reports/?state=sent&order=oldest" in text, text
    assert (
        "- Residents' reports not yet answered: 1 (1 past the first-response time)\n"
        f"  {SITE}/citizen-reports/?unanswered=1"
    ) in text, text
    assert (
        f'<a href="{SITE}/field/reports/?state=sent&amp;order=oldest">Reports to review</a>' in html
    )
    for restricted in ("Siti", "081234567890", "Balap liar", "musyawarah"):
        assert restricted not in text and restricted not in html
    unsubscribe = mail.unsubscribe_link()
    assert unsubscribe.startswith(f"{SITE}/accounts/notifications/unsubscribe/")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html
    assert (
        OutboundNotification.objects.filter(kind="digest", channel="email", result="sent").count()
        == 2
    )
    assert idle.email not in mails

    # The link works once followed, without signing in; the next digest skips that user.
    followed = Client().get(urlsplit(unsubscribe).path)
    assert followed.status_code == 200
    assert "no more daily e-mails" in followed.content.decode()
    smtp.clear()
    call_command("notifications", "digest")
    assert set(_by_recipient(smtp)) == {polsek.email}


def test_a_mail_client_unsubscribes_with_one_post_and_the_page_turns_the_digest_back_on(
    world: World, smtp: list[Mail], settings: Any
) -> None:
    polres = _with_email(world, Role.POLRES)
    _items_waiting(world, settings)
    call_command("notifications", "digest")
    unsubscribe = smtp[0].unsubscribe_link()
    # RFC 8058: the mail provider posts, with no session and no CSRF token of ours.
    mail_client = Client(enforce_csrf_checks=True)
    answer = mail_client.post(
        urlsplit(unsubscribe).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert NotificationPreference.objects.get(user=polres).digest is False
    smtp.clear()
    call_command("notifications", "digest")
    assert smtp == []
    page = Client()
    page.force_login(polres)
    assert 'name="digest"' in page.get("/accounts/notifications/").content.decode()
    assert page.post("/accounts/notifications/", {"digest": "on"}).status_code == 302
    call_command("notifications", "digest")
    assert set(_by_recipient(smtp)) == {polres.email}


def test_an_altered_unsubscribe_link_changes_nothing(world: World) -> None:
    from sambang.notifications.digest import unsubscribe_token

    token = unsubscribe_token(world.users[Role.POLRES])
    for bad in (token[:-2] + "xx", "not-a-token", unsubscribe_token(world.users[Role.POLRES])[:10]):
        assert Client().get(f"/accounts/notifications/unsubscribe/{bad}/").status_code == 404
    assert not NotificationPreference.objects.exists()


def test_the_digest_is_written_in_the_users_language(
    world: World, smtp: list[Mail], settings: Any
) -> None:
    polres = _with_email(world, Role.POLRES)
    NotificationPreference.objects.create(user=polres, language="id")
    _items_waiting(world, settings)
    call_command("notifications", "digest")
    [mail] = smtp
    assert mail.message["Content-Language"] == "id"
    assert '<html lang="id">' in mail.part("html")


def test_nobody_gets_a_digest_when_nothing_waits(world: World, smtp: list[Mail]) -> None:
    _supervisor_with_nothing_waiting(world)
    call_command("notifications", "digest")
    assert smtp == []
    assert not OutboundNotification.objects.exists()
