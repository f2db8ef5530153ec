"""Attacks an outside test found, kept as standing tests (issue 18): each one is tried the
way the tester did, through the pages and the API, so that it stays closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.audit.models import AuditAction, AuditEvent
from sambang.community.models import KeyFigure
from sambang.core.errors import ApplicationError
from sambang.fieldwork.models import HouseholdVisit
from sambang.fieldwork.selectors import visit_token
from sambang.personnel import services as personnel_services
from sambang.personnel.models import OfficerStatus, Role
from sambang.public.services import citizen_report_submit
from sambang.security.incidents import incident_record, person_record
from sambang.security.models import Incident, PersonOfInterest
from sambang.testing.fieldwork import household, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def page(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def incident_in(world: World, key: str, **extra: Any) -> Incident:
    return incident_record(
        user=world.users[Role.NATIONAL],
        data={
            "category": "curanmor",
            "village": world.villages[key].code,
            "occurred_at": dt.datetime(2026, 9, 5, 21, tzinfo=dt.UTC),
            "description": f"Pencurian sepeda motor di {key}",
            **extra,
        },
    )


def test_an_officer_confirming_his_own_visit_from_a_fresh_client_is_not_believed(
    world: World,
) -> None:
    """Item 3: the sticker's link opened by the officer himself, without his cookie or
    token, on the page and through the API: thanked, never counted as a resident's word."""
    officer = api(world, Role.OFFICER)
    for route in ("page", "api"):
        payload = report_payload(
            world,
            activity_type="dds",
            household=household(house_number=route),
            participants=None,
            narrative=f"Sambang ke rumah warga ({route}): membahas ronda malam bersama.",
            accuracy_m=900,
        )
        assert officer.post("/api/v1/reports/", payload, format="json").status_code == 201
        visit = HouseholdVisit.objects.get(report__uuid=payload["uuid"])
        token = visit_token(visit)
        if route == "page":
            assert Client().post(f"/v/{token}/", {"rating": "5"}).status_code == 200
        else:
            answer = APIClient().post(f"/api/v1/public/visits/{token}", {"rating": 5})
            assert answer.status_code == 201
        visit.report.refresh_from_db()
        signal = next(s for s in visit.report.integrity_signals if s["code"] == "confirmed")
        assert visit.report.integrity_level != "verified" and signal["status"] == "warn"


def test_persons_of_interest_on_an_incident_follow_the_scope_and_each_read_is_audited(
    world: World,
) -> None:
    """Item 5: a national user linked a person of another Polda to a Bekasi incident and
    the Polres saw the name on the incident's page, unaudited."""
    national = world.users[Role.NATIONAL]
    incident = incident_in(world, "polsek_a1a")
    with pytest.raises(ApplicationError) as refused:
        person_record(
            user=national,
            data={
                "name": "Orang Polda B",
                "village": world.villages["polsek_b1a"].code,
                "incidents": [incident.pk],
            },
        )
    assert "incidents" in refused.value.fields
    # A link made before the rule (or by hand) is still not shown beyond the scope.
    stranger = person_record(
        user=national, data={"name": "Orang Polda B", "village": world.villages["polsek_b1a"].code}
    )
    stranger.incidents.add(incident)
    own = person_record(
        user=national,
        data={
            "name": "Orang Polres A1",
            "village": world.villages["polsek_a1b"].code,
            "incidents": [incident.pk],
        },
    )
    before = AuditEvent.objects.filter(action=AuditAction.VIEW_RESTRICTED).count()
    html = page(world, Role.POLRES).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Orang Polres A1" in html and "Orang Polda B" not in html
    events = AuditEvent.objects.filter(action=AuditAction.VIEW_RESTRICTED).order_by("-id")
    assert events.count() == before + 1
    assert events[0].object_id == str(own.pk)
    # The Polsek reads the incident but no person of interest at all.
    assert (
        "Orang" not in page(world, Role.POLSEK).get(f"/incidents/{incident.pk}/").content.decode()
    )
    assert PersonOfInterest.objects.count() == 2


@pytest.mark.parametrize(
    "change", ["active", "transferred", "retired", "assignment ended"], ids=lambda c: c
)
def test_an_officer_sees_his_villages_data_only_while_he_covers_them(
    world: World, change: str
) -> None:
    """Item 11: a transferred officer kept his old Polsek's residents' reports (reporter
    identity included), key figures and incidents. Access follows the current assignment
    and the officer's status."""
    village = world.villages["polsek_a1a"]
    submitted = citizen_report_submit(
        data={
            "category": "crime",
            "description": "Pencurian di dekat pasar, pelaku dua orang.",
            "village": village.code,
            "anonymous": False,
            "reporter_name": "Ibu Pelapor",
        },
        uploads=[],
        address="10.9.8.7",
    )
    code = submitted.report.tracking_code
    figure = KeyFigure.objects.create(
        village=village, kind="religious", name="Ustaz Tokoh", influence="high"
    )
    incident = incident_in(world, "polsek_a1a")
    officer = world.officers["polsek_a1a"]
    if change in (OfficerStatus.TRANSFERRED, OfficerStatus.RETIRED):
        officer.status = change
        officer.save(update_fields=["status"])
    elif change == "assignment ended":
        personnel_services.assignment_end(
            assignment=world.assignments["polsek_a1a"], end_date=dt.date(2026, 9, 1)
        )
    sees = change == "active"
    expected = 200 if sees else 404
    client, browser = api(world, Role.OFFICER), page(world, Role.OFFICER)
    detail = client.get(f"/api/v1/citizen-reports/{code}")
    assert detail.status_code == expected
    if sees:
        assert "Ibu Pelapor" in detail.content.decode()
    assert browser.get(f"/citizen-reports/{code}/").status_code == expected
    listed = client.get("/api/v1/citizen-reports/").json()["results"]
    assert (code in {r["tracking_code"] for r in listed}) is sees
    assert client.get(f"/api/v1/villages/{village.code}/figures/{figure.pk}").status_code == (
        expected
    )
    assert client.get(f"/api/v1/incidents/{incident.pk}").status_code == expected
    assert browser.get(f"/incidents/{incident.pk}/").status_code == expected


def test_incident_links_show_only_what_the_reader_may_open_and_only_supervisors_edit_them(
    world: World,
) -> None:
    """Item 12: an officer read other units' record ids through an incident's links and
    removed links the Polsek made."""
    other = citizen_report_submit(
        data={
            "category": "crime",
            "description": "Laporan warga di desa sebelah, bukan desa petugas.",
            "village": world.colleague_village.code if world.colleague_village else "",
            "anonymous": True,
        },
        uploads=[],
        address="10.9.8.6",
    ).report
    mine = citizen_report_submit(
        data={
            "category": "crime",
            "description": "Laporan warga di desa petugas tentang pencurian.",
            "village": world.villages["polsek_a1a"].code,
            "anonymous": True,
        },
        uploads=[],
        address="10.9.8.5",
    ).report
    incident = incident_in(
        world, "polsek_a1a", citizen_reports=[other.tracking_code, mine.tracking_code]
    )
    officer = api(world, Role.OFFICER)
    shown = officer.get(f"/api/v1/incidents/{incident.pk}").json()["citizen_reports"]
    assert shown == [mine.tracking_code]  # the colleague's is not the officer's to open
    html = page(world, Role.OFFICER).get(f"/incidents/{incident.pk}/").content.decode()
    assert other.tracking_code not in html and 'name="action" value="link"' not in html
    removed = officer.patch(
        f"/api/v1/incidents/{incident.pk}", {"citizen_reports": []}, format="json"
    )
    assert removed.status_code == 403 and "citizen_reports" in removed.json()["error"]["fields"]
    assert incident.citizen_reports.count() == 2
    # The Polsek edits the links; a link beyond its sight would stay as it is.
    polsek = api(world, Role.POLSEK)
    kept = polsek.patch(
        f"/api/v1/incidents/{incident.pk}",
        {"citizen_reports": [mine.tracking_code]},
        format="json",
    )
    assert kept.status_code == 200
    assert set(incident.citizen_reports.values_list("tracking_code", flat=True)) == {
        mine.tracking_code
    }
