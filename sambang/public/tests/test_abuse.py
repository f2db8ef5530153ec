"""What the public doors give an abuser: the limit per address holds across a window's
boundary, tracking codes cannot be guessed at speed, and the honeypot answers as a real
report would, code and status page included, storing nothing."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.public.models import CitizenReport
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

HOUR = 3600


class Clock:
    """``time.time`` moved by hand (the rate limits and the local-memory cache read it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, at: float) -> None:
        self.at = at
        monkeypatch.setattr(time, "time", lambda: self.at)


def report(village_code: str, **extra: Any) -> dict[str, Any]:
    return {
        "category": "crime",
        "description": "Motor tetangga dicuri tadi malam.",
        "village": village_code,
        **extra,
    }


def submit(village_code: str, **extra: Any) -> Any:
    return APIClient().post(
        "/api/v1/public/citizen-reports", report(village_code, **extra), format="json"
    )


def test_the_limit_per_address_holds_across_the_hours_boundary(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 5
    village = world.villages["polsek_a1a"].code
    # Two seconds before an hour on the clock starts, the whole hour's reports...
    clock = Clock(monkeypatch, at=HOUR * 480_000 - 2)
    assert [submit(village).status_code for _ in range(5)] == [201] * 5
    # ...and four seconds later, past the boundary, not one more (a fixed window let
    # another five through: ten reports in a few seconds).
    clock.at += 4
    refused = submit(village)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    page = Client().post(
        f"/lapor/{village}/", {"category": "crime", "description": "x", "anonymous": "on"}
    )
    assert page.status_code == 429
    clock.at += HOUR - 10
    assert submit(village).status_code == 429
    # A refused report is not counted: once an hour (and a tenth) has passed, it is open.
    clock.at += HOUR / 10 + 10
    assert submit(village).status_code == 201
    assert CitizenReport.objects.count() == 6


def test_guessing_tracking_codes_is_refused_after_a_few_misses_from_one_address(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SAMBANG_TRACKING_MISSES_PER_HOUR = 3
    clock = Clock(monkeypatch, at=HOUR * 480_000)
    code = submit(world.villages["polsek_a1a"].code).json()["tracking_code"]
    guesser, resident = Client(), Client(REMOTE_ADDR="10.7.7.7")
    api = APIClient()
    # A resident following a real report is never counted.
    for _ in range(10):
        assert guesser.get(f"/lapor/status/{code}/").status_code == 200
    assert guesser.get("/lapor/status/AAAAAAAAA2/").status_code == 404
    assert api.get("/api/v1/public/citizen-reports/AAAAAAAAA3").status_code == 404
    assert guesser.get("/lapor/status/AAAAAAAAA4/").status_code == 404
    # The page and the API count together; past the limit every look-up is refused.
    refused = guesser.get("/lapor/status/AAAAAAAAA5/")
    assert refused.status_code == 429 and "Too many tracking codes" in refused.content.decode()
    answer = api.get(f"/api/v1/public/citizen-reports/{code}")
    assert answer.status_code == 429 and answer.json()["error"]["code"] == "rate_limited"
    # Another address is not held up, and the hour passes.
    assert resident.get(f"/lapor/status/{code}/").status_code == 200
    clock.at += HOUR + HOUR / 10
    assert guesser.get(f"/lapor/status/{code}/").status_code == 200


def _shape(body: dict[str, Any]) -> dict[str, Any]:
    """The answer's form, with what differs between any two reports left out."""
    received = body["received_at"]
    return {
        **body,
        "tracking_code": bool(re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", body["tracking_code"])),
        "received_at": (received[-6:], len(received)),  # the zone, and the precision
    }


def test_the_honeypot_answers_as_a_real_report_does_and_stores_nothing(world: World) -> None:
    village = world.villages["polsek_a1a"].code
    real = submit(village)
    bot = submit(village, website="http://spam.example")
    assert (real.status_code, bot.status_code) == (201, 201)
    assert _shape(bot.json()) == _shape(real.json())
    # Its code has a status page, as a real one has.
    code = bot.json()["tracking_code"]
    followed = APIClient().get(f"/api/v1/public/citizen-reports/{code}")
    assert followed.status_code == 200
    assert followed.json() == {k: v for k, v in bot.json().items() if k != "attachment_problems"}
    page = Client().get(f"/lapor/status/{code}/")
    real_page = Client().get(f"/lapor/status/{real.json()['tracking_code']}/")
    assert page.status_code == real_page.status_code == 200
    assert "Assigned" in page.content.decode() and "Crime" in page.content.decode()
    # The form's honeypot too.
    done = Client().post(
        f"/lapor/{village}/",
        {"category": "crime", "description": "x", "anonymous": "on", "website": "x"},
        follow=True,
    )
    assert done.redirect_chain[0][1] == 303
    form_code = re.search(r'class="tracking-code"><strong>(\w+)<', done.content.decode())
    assert form_code is not None
    assert Client().get(f"/lapor/status/{form_code[1]}/").status_code == 200
    assert CitizenReport.objects.count() == 1  # the real one


def test_the_honeypot_checks_and_limits_as_a_real_report(world: World, settings: Any) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 1
    unknown = submit("32.16.99.9999", website="x")
    assert unknown.status_code == 400 and "village" in unknown.json()["error"]["fields"]
    village = world.villages["polsek_a1a"].code
    assert submit(village, website="x").status_code == 201
    # The bot's report used the address's hour, as a real one would.
    assert submit(village, website="x").status_code == 429
    assert submit(village).status_code == 429
    assert not CitizenReport.objects.exists()


def test_the_honeypot_answers_a_form_sent_again_as_a_real_report_does(world: World) -> None:
    village = world.villages["polsek_a1a"].code
    values = {"category": "crime", "description": "x", "anonymous": "on"}

    def sent(**extra: str) -> str:
        response = Client().post(f"/lapor/{village}/", {**values, **extra})
        assert response.status_code == 303
        return str(response["Location"])

    real, bot = str(uuid.uuid4()), str(uuid.uuid4())
    assert sent(submission=real) == sent(submission=real)
    assert sent(submission=bot, website="x") == sent(submission=bot, website="x")
    assert sent(submission=bot, website="x") != sent(submission=real)
    assert CitizenReport.objects.count() == 1  # the real one
