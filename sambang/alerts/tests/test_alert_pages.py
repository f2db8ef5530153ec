"""Alerts as their readers meet them: in the work queue, on their pages, followed up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sambang.alerts.models import ActionKind, Alert, AlertStatus, Family, Severity
from sambang.audit.models import AuditEvent
from sambang.fieldwork.models import ActivityReport
from sambang.organization.services import directive_issue
from sambang.personnel.models import Role
from sambang.security.models import Incident, IncidentCategory
from sambang.territory.models import Region
from sambang.testing.world import World
from sambang.worklist.selectors import work_queue

WIB = dt.timezone(dt.timedelta(hours=7))
WEEK = dt.date(2026, 11, 23)  # a Monday


def says(page: Any, text: str) -> bool:
    """Whether ``page`` holds ``text`` as translated into the page's language."""
    with translation.override(page["Content-Language"]):
        return _(text) in page.content.decode()


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def alert_in(world: World, key: str, village: Region | None, **values: object) -> Alert:
    fields: dict[str, object] = {
        "unit": world.units[key],
        "village": village,
        "family": Family.INCIDENTS,
        "first_week": WEEK - dt.timedelta(weeks=1),
        "week": WEEK,
        "observed": 9,
        "expected": 2,
        "score": 4.6,
        "threshold": 4.0,
        **values,
    }
    return Alert.objects.create(**fields)


def theft(world: World, key: str, village: Region | None, day: int) -> Incident:
    assert village is not None
    return Incident.objects.create(
        category=IncidentCategory.objects.get(code="pencurian"),
        occurred_at=dt.datetime(2026, 11, day, 20, tzinfo=WIB),
        village=village,
        unit=world.units[key],
        description=f"Pencurian motor {key} tanggal {day}",
    )


def test_alerts_follow_the_scope_and_show_only_evidence_in_scope(world: World) -> None:
    village, colleague = world.villages["polsek_a1a"], world.colleague_village
    own = alert_in(world, "polsek_a1a", village)
    theirs = alert_in(world, "polsek_a1a", colleague, family=Family.RESIDENTS)
    sibling = alert_in(world, "polsek_a1b", world.villages["polsek_a1b"])
    polsek_wide = alert_in(world, "polsek_a1a", None, observed=12)
    seen = theft(world, "polsek_a1a", village, 18)
    other = theft(world, "polsek_a1a", colleague, 19)
    theft(world, "polsek_a1a", village, 2)  # before the rise: not evidence
    visible = {
        Role.OFFICER: {own},
        Role.POLSEK: {own, theirs, polsek_wide},
        Role.POLRES: {own, theirs, polsek_wide, sibling},
        Role.ADMIN: set(),
    }
    for role, alerts in visible.items():
        client = signed_in(world, role)
        listed = client.get(reverse("alerts:list")).content.decode()
        for alert in (own, theirs, sibling, polsek_wide):
            url = reverse("alerts:detail", args=[alert.pk])
            assert (url in listed) == (alert in alerts), (role, alert)
            assert client.get(url).status_code == (200 if alert in alerts else 404), (role, alert)
            if alert not in alerts:
                answer = client.post(url, {"do": "acknowledge"})
                assert answer.status_code == 404
                assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN
    # The evidence: the records counted, each linked; the Polsek's alert counts every
    # village of the Polsek, and its officer sees only their own village's part of it.
    url = reverse("alerts:detail", args=[polsek_wide.pk])
    page = signed_in(world, Role.POLSEK).get(url).content.decode()
    for record in (seen, other):
        assert reverse("security:incident_detail", args=[record.pk]) in page
    officer = signed_in(world, Role.OFFICER)
    page = officer.get(reverse("alerts:detail", args=[own.pk])).content.decode()
    assert reverse("security:incident_detail", args=[seen.pk]) in page
    assert reverse("security:incident_detail", args=[other.pk]) not in page
    assert "Pencurian motor polsek_a1a tanggal 2" not in page


def test_the_work_queue_brings_alerts_to_the_officer_the_polsek_and_strong_ones_above(
    world: World,
) -> None:
    alert_in(world, "polsek_a1a", world.villages["polsek_a1a"])
    alert_in(world, "polsek_a1a", world.free_villages["polsek_a1a"], severity=Severity.HIGH)

    def waiting(role: str) -> int:
        item = next(i for i in work_queue(world.users[role]) if i.kind == "alerts")
        return item.count

    # The officer covers the first village only; the Polsek gets both; above, the strong one.
    assert (waiting(Role.OFFICER), waiting(Role.POLSEK), waiting(Role.POLRES)) == (1, 2, 1)
    page = signed_in(world, Role.POLRES).get(reverse("alerts:list") + "?status=open&severity=high")
    assert page.content.decode().count(reverse("alerts:list")[:-1]) >= 1
    Alert.objects.update(status=AlertStatus.ACKNOWLEDGED)
    assert waiting(Role.POLSEK) == 0


@pytest.mark.parametrize("role", [Role.OFFICER, Role.POLSEK])
def test_an_alert_is_acknowledged_then_closed_with_the_report_of_the_visit(
    world: World, role: str
) -> None:
    village = world.villages["polsek_a1a"]
    alert = alert_in(world, "polsek_a1a", village)
    client = signed_in(world, role)
    url = reverse("alerts:detail", args=[alert.pk])
    assert client.post(url, {"do": "acknowledge"}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == world.users[role]
    # A visit needs its report: named by field, nothing closed.
    answer = client.post(url, {"do": "close", "action": ActionKind.VISIT, "note": "Sudah."})
    assert answer.status_code == 400
    assert says(
        answer, "Choose the report of the visit or mediation (of the village, since the rise)."
    )
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.ACKNOWLEDGED
    # A report of another village is not the visit either.
    officer = world.officers["polsek_a1a"]
    report = ActivityReport.objects.create(
        uuid="6f1c1f1e-0000-4000-8000-000000000001",
        officer=officer,
        unit=world.units["polsek_a1a"],
        activity_type_id=1,
        village=village,
        occurred_at=dt.datetime(2026, 11, 25, 9, tzinfo=WIB),
        narrative="Sambang ke warga korban pencurian, mengajak ronda malam.",
        state="sent",
        integrity_level="verified",
    )
    answer = client.post(
        url, {"do": "close", "action": ActionKind.VISIT, "report": str(report.uuid)}
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    alert.refresh_from_db()
    assert (alert.status, alert.action, alert.action_report) == ("closed", "visit", report)
    assert AuditEvent.objects.filter(action="alert.close", object_id=str(alert.pk)).exists()
    assert client.post(url, {"do": "acknowledge"}).status_code == 400  # already done


def test_closing_with_a_directive_or_with_words_only(world: World) -> None:
    alert = alert_in(world, "polsek_a1a", world.villages["polsek_a1a"])
    other = alert_in(world, "polsek_a1a", world.free_villages["polsek_a1a"])
    polsek = signed_in(world, Role.POLSEK)
    directive = directive_issue(
        issuer=world.users[Role.POLSEK],
        unit=world.units["polsek_a1a"],
        title="Patroli malam di titik rawan pencurian",
        body="Tingkatkan patroli malam selama dua minggu.",
        due_date=None,
    )
    url = reverse("alerts:detail", args=[alert.pk])
    answer = polsek.post(url, {"do": "close", "action": ActionKind.DIRECTIVE, "directive": "x"})
    assert answer.status_code == 400 and says(answer, "Choose the directive issued about it.")
    answer = polsek.post(
        url, {"do": "close", "action": ActionKind.DIRECTIVE, "directive": directive.pk}
    )
    assert answer.status_code == 302
    assert Alert.objects.get(pk=alert.pk).action_directive == directive
    url = reverse("alerts:detail", args=[other.pk])
    answer = polsek.post(url, {"do": "close", "action": ActionKind.OTHER, "note": "  "})
    assert answer.status_code == 400 and says(answer, "Say what was done.")
    answer = polsek.post(url, {"do": "close", "action": "nothing", "note": "x"})
    assert answer.status_code == 400 and says(answer, "Choose what was done.")
    answer = polsek.post(
        url, {"do": "close", "action": ActionKind.OTHER, "note": "Rapat tiga pilar di balai desa."}
    )
    assert answer.status_code == 302
    assert Alert.objects.get(pk=other.pk).note == "Rapat tiga pilar di balai desa."


def test_the_anev_shows_how_the_months_alerts_were_followed_up(world: World) -> None:
    village = world.villages["polsek_a1a"]
    done = alert_in(world, "polsek_a1a", village)
    alert_in(world, "polsek_a1a", world.free_villages["polsek_a1a"])
    alert_in(world, "polsek_a1a", village, week=dt.date(2026, 10, 26))  # October's
    alert_in(world, "polsek_a2a", world.villages["polsek_a2a"])  # another Polres
    Alert.objects.filter(pk=done.pk).update(
        status=AlertStatus.CLOSED,
        acknowledged_at=done.created_at + dt.timedelta(days=2),
        closed_at=done.created_at + dt.timedelta(days=3),
        action=ActionKind.VISIT,
    )
    page = signed_in(world, Role.POLRES).get(
        reverse("evaluation:unit", args=[world.units["polres_a1"].code, "2026-11"])
    )
    text = " ".join(page.content.decode().split())
    assert says(page, "Early-warning alerts and their follow-up")
    with translation.override(page["Content-Language"]):
        assert f"{_('Alerts raised')}</dt><dd><a " in text
        assert '?status=all">2</a>' in text
        assert f"{_('Acknowledged')}</dt><dd>1 (50%)" in text
        assert f"{_('Median days to acknowledgement')}</dt><dd>2" in text  # 2.0 or 2,0
        assert f"{_('Closed with an action')}</dt><dd>1 (50%): {_('A visit')} 1" in text


def test_the_vulnerability_index_adds_up_its_documented_parts(world: World) -> None:
    from sambang.community.models import VillageProfile, VulnerabilityFactor

    village, quiet = world.villages["polsek_a1a"], world.free_villages["polsek_a1a"]
    profile = VillageProfile.objects.create(village=village)
    VulnerabilityFactor.objects.create(profile=profile, factor="theft", level="high")
    VulnerabilityFactor.objects.create(profile=profile, factor="drugs", level="medium")
    now = dt.datetime.now(dt.UTC)
    for code in ("antar-kelompok", "pencurian", "pencurian"):
        Incident.objects.create(
            category=IncidentCategory.objects.get(code=code),
            occurred_at=now - dt.timedelta(days=40),
            village=village,
            unit=world.units["polsek_a1a"],
            description="Kejadian",
        )
    alert_in(world, "polsek_a1a", village, week=now.date() - dt.timedelta(weeks=2))
    # Checklist (3 + 2) ÷ 9; history 3 + 1 + 1 = 5 weighted events → 5 ÷ (5 + 5) = 0.5;
    # one open alert → 1 ÷ (1 + 1) = 0.5:  100 × (0.4 × 0.556 + 0.4 × 0.5 + 0.2 × 0.5) = 52.
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    page = polsek.get(reverse("alerts:vulnerability", args=[unit.code]))
    text = " ".join(page.content.decode().split())
    first_row = text.index(village.name)
    assert first_row < text.index(quiet.name)  # ranked first
    assert '<span class="badge warn">52</span>' in text[first_row : first_row + 400]
    # The same figure on the map's village layer.
    api = signed_in(world, Role.POLSEK)
    month = f"{now.date():%Y-%m}"
    layer = api.get(f"/api/v1/map/{unit.code}/{month}/area?indicator=vulnerability").json()
    values = {f["properties"]["code"]: f["properties"]["value"] for f in layer["features"]}
    assert values[village.code] == 52 and values[quiet.code] == 0
    # A sibling Polsek's ranking is not the Polsek's to read.
    sibling = world.units["polsek_a1b"].code
    assert polsek.get(reverse("alerts:vulnerability", args=[sibling])).status_code == 404


def test_an_election_period_scores_villages_on_the_four_dimensions(world: World) -> None:
    from sambang.alerts.models import ElectionEntry, ElectionPeriod
    from sambang.organization.models import DirectiveReceipt

    polres = signed_in(world, Role.POLRES)
    unit = world.units["polres_a1"]
    url = reverse("alerts:elections", args=[unit.code])
    # Bad input names the field and opens nothing.
    answer = polres.post(url, {"name": "Pilkada", "kind": "pilkada", "voting_day": "27-11"})
    assert answer.status_code == 400 and says(answer, "Give the voting day (YYYY-MM-DD).")
    answer = polres.post(url, {"name": " ", "kind": "vote", "voting_day": "2027-02-10"})
    assert answer.status_code == 400
    assert says(answer, "Name the election.") and says(answer, "Choose the kind of election.")
    assert not ElectionPeriod.objects.exists()
    voting = dt.date.today() + dt.timedelta(days=60)
    answer = polres.post(
        url,
        {
            "name": "Pilkada Bekasi",
            "kind": "pilkada",
            "voting_day": voting.isoformat(),
            "directive": "1",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    period = ElectionPeriod.objects.get()
    assert (period.starts, period.ends) == (
        voting - dt.timedelta(days=90),
        voting + dt.timedelta(days=30),
    )
    # The directive reaches the Polres's officers and links to the period's view.
    directive = period.directive
    assert directive is not None and directive.due_date == voting - dt.timedelta(days=30)
    assert reverse("alerts:election", args=[period.pk]) in directive.body
    assert DirectiveReceipt.objects.filter(
        directive=directive, officer=world.officers["polsek_a1a"]
    ).exists()
    # A clash between groups in the period: context = mean(50, 0, 0) = 16.7 (h = 1: one
    # conflict scores 50); contestation 0; participation and administration have no data.
    village = world.villages["polsek_a1a"]
    Incident.objects.create(
        category=IncidentCategory.objects.get(code="antar-kelompok"),
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3),
        village=village,
        unit=world.units["polsek_a1a"],
        description="Bentrok pendukung dua calon",
    )
    view = polres.get(reverse("alerts:election", args=[period.pk]))
    text = " ".join(view.content.decode().split())
    row = text[text.index(village.name) :]
    row = row[: row.index("</tr>")]
    assert ">16.7<" in row.replace(",", ".") and "–" in row
    assert world.villages["polsek_a1b"].name in text  # every village of the Polres
    # Entered by hand: the voter list high, logistics low → administration 50; the score is
    # the mean of the dimensions with data: (16.7 + 50 + 0) ÷ 3 = 22.2.
    form = reverse("alerts:election_village", args=[period.pk, village.code])
    answer = polres.post(form, {"voter_list": "extreme"})
    assert answer.status_code == 400 and says(answer, "Choose low, medium or high.")
    answer = polres.post(form, {"voter_list": "high", "logistics": "low", "note": "DPT ganda"})
    assert answer.status_code == 302
    assert ElectionEntry.objects.filter(period=period, village=village).count() == 2
    page = polres.get(form)
    assert "22.2" in " ".join(page.content.decode().split()).replace(",", ".")
    # The Polres's election is watched in each of its Polseks and by its officers, each
    # seeing and entering only their own villages.
    sibling = world.villages["polsek_a1b"]
    polsek, officer = signed_in(world, Role.POLSEK), signed_in(world, Role.OFFICER)
    for reader in (polsek, officer):
        listed = reader.get(reverse("alerts:elections_home"))
        assert listed.status_code == 200 and "Pilkada Bekasi" in listed.content.decode()
        view = reader.get(reverse("alerts:election", args=[period.pk]))
        assert view.status_code == 200
        assert village.name in view.content.decode()
        assert sibling.name not in view.content.decode()
        other = reverse("alerts:election_village", args=[period.pk, sibling.code])
        assert reader.get(other).status_code == 404
        assert reader.post(other, {"voter_list": "low"}).status_code == 404
    entered = {"voter_list": "high", "logistics": "low", "organizers": "medium"}
    assert officer.post(form, entered).status_code == 302  # the whole form, as the page sends it
    assert ElectionEntry.objects.filter(period=period, village=village).count() == 3
    assert not ElectionEntry.objects.filter(village=sibling).exists()
    # The Polsek's own list shows the period above it; it opens its own from its page.
    polsek_page = polsek.get(reverse("alerts:elections", args=[world.units["polsek_a1a"].code]))
    assert "Pilkada Bekasi" in polsek_page.content.decode()
    # A period of a Polsek is not read by the Polsek beside it, nor by its officers.
    theirs = ElectionPeriod.objects.create(
        unit=world.units["polsek_a1b"],
        name="Pilkades A1B",
        kind="pilkada",
        voting_day=voting,
        starts=voting - dt.timedelta(days=90),
        ends=voting + dt.timedelta(days=30),
        opened_by=world.users[Role.NATIONAL],
    )
    for reader in (polsek, officer):
        assert reader.get(reverse("alerts:election", args=[theirs.pk])).status_code == 404
        assert "Pilkades A1B" not in reader.get(reverse("alerts:elections_home")).content.decode()
    assert "Pilkades A1B" in polres.get(reverse("alerts:elections_home")).content.decode()
