"""The incident register, and persons of interest: restricted to Polres and above, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from sambang.audit.models import AuditAction, AuditEvent
from sambang.personnel.models import Role
from sambang.public.models import CitizenReport
from sambang.security.models import Incident, PersonOfInterest
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def incident(world: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "category": "tawuran-pelajar",
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat(),
        "village": world.villages["polsek_a1a"].code,
        "description": "Tawuran dua SMK sepulang sekolah di jembatan desa.",
        "modus_operandi": "Janjian lewat media sosial",
        "groups_involved": "Pelajar SMK A dan SMK B",
        "injured": 2,
    }
    values.update(overrides)
    return values


def test_an_officer_records_an_incident_linked_to_their_report(world: World) -> None:
    officer = api(world, Role.OFFICER)
    report = report_payload(world)
    officer.post("/api/v1/reports/", report, format="json")
    response = officer.post(
        "/api/v1/incidents/", incident(world, reports=[report["uuid"]]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit"], body["reports"], body["injured"]) == ("POLSEK-A1A", [report["uuid"]], 2)
    polres = api(world, Role.POLRES)
    assert [
        i["id"] for i in polres.get("/api/v1/incidents/?category=konflik-sosial").json()["results"]
    ] == [body["id"]]
    assert polres.get("/api/v1/incidents/?category=kriminalitas").json()["results"] == []
    assert (
        polres.patch(
            f"/api/v1/incidents/{body['id']}", {"status": "settled"}, format="json"
        ).json()["status"]
        == "settled"
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "ufo"}, "category"),
        ({"village": "34.71.01.1001"}, "village"),
        ({"occurred_at": "2099-01-01T00:00:00+07:00"}, "occurred_at"),
        ({"description": ""}, "description"),
        ({"dead": -1}, "dead"),
        ({"latitude": -6.2}, "latitude"),
        ({"reports": ["00000000-0000-4000-8000-000000000000"]}, "reports"),
    ],
)
def test_bad_incidents_name_the_field_and_save_nothing(
    world: World, overrides: dict, field: str
) -> None:
    response = api(world, Role.OFFICER).post(
        "/api/v1/incidents/", incident(world, **overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Incident.objects.exists()


def test_persons_of_interest_are_for_polres_and_above_and_every_read_is_audited(
    world: World,
) -> None:
    body = (
        api(world, Role.OFFICER).post("/api/v1/incidents/", incident(world), format="json").json()
    )
    person = {
        "name": "Residivis Contoh",
        "alias": "Si Contoh",
        "village": world.villages["polsek_a1a"].code,
        "incidents": [body["id"]],
    }
    for role in (Role.OFFICER, Role.POLSEK, Role.ADMIN):
        assert (
            api(world, role).post("/api/v1/persons-of-interest/", person, format="json").status_code
            == 403
        )
        assert api(world, role).get("/api/v1/persons-of-interest/").status_code == 403
    created = api(world, Role.POLRES).post("/api/v1/persons-of-interest/", person, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    stored = PersonOfInterest.objects.get()
    assert stored.retain_until == dt.date.today() + dt.timedelta(days=5 * 365)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(pk)).count() == 1
    api(world, Role.POLDA).get("/api/v1/persons-of-interest/")
    api(world, Role.NATIONAL).get(f"/api/v1/persons-of-interest/{pk}")
    page = Client()
    page.force_login(world.users[Role.POLRES])
    assert "Residivis Contoh" in page.get("/persons-of-interest/").content.decode()
    reads = AuditEvent.objects.filter(action=AuditAction.VIEW_RESTRICTED, object_id=str(pk))
    assert sorted(reads.values_list("username", flat=True)) == sorted(
        world.users[r].username for r in (Role.POLDA, Role.NATIONAL, Role.POLRES)
    )
    polsek_page = Client()
    polsek_page.force_login(world.users[Role.POLSEK])
    assert polsek_page.get("/persons-of-interest/").status_code == 403


def test_persons_past_their_retention_are_purged(world: World) -> None:
    body = {"name": "Lama", "village": world.villages["polsek_a1a"].code}
    api(world, Role.POLRES).post("/api/v1/persons-of-interest/", body, format="json")
    api(world, Role.POLRES).post(
        "/api/v1/persons-of-interest/", {**body, "name": "Baru"}, format="json"
    )
    PersonOfInterest.objects.filter(name="Lama").update(
        retain_until=dt.date.today() - dt.timedelta(days=1)
    )
    call_command("purge_expired")
    assert list(PersonOfInterest.objects.values_list("name", flat=True)) == ["Baru"]


def test_the_incident_pages_record_and_list(world: World) -> None:
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    values = {
        "category": "curanmor",
        "village": world.villages["polsek_a1a"].code,
        "occurred_at": "2026-11-01T22:00",
        "description": "Motor hilang di parkiran masjid.",
    }
    response = page.post("/incidents/", values)
    assert response.status_code == 302
    assert "Motor hilang" in page.get(response["Location"]).content.decode()
    bad = page.post("/incidents/", {**values, "description": ""})
    assert bad.status_code == 400 and Incident.objects.count() == 1


def test_unreadable_dates_in_the_incident_filters_are_a_field_error(world: World) -> None:
    response = api(world, Role.POLRES).get("/api/v1/incidents/?from=yesterday")
    assert response.status_code == 400 and "from" in response.json()["error"]["fields"]
    assert api(world, Role.POLRES).get("/api/v1/incidents/?from=2026-01-01").status_code == 200


def test_an_incident_links_the_residents_reports_about_it_within_scope(world: World) -> None:
    mine = Client().post(
        f"/lapor/{world.villages['polsek_a1a'].code}/",
        {"category": "crime", "description": "Motor dicuri di depan warung.", "anonymous": "on"},
    )
    assert mine.status_code == 303
    other = Client().post(
        f"/lapor/{world.villages['polsek_b1a'].code}/",
        {"category": "crime", "description": "Tawuran di lapangan desa.", "anonymous": "on"},
    )
    assert other.status_code == 303
    own_code, other_code = CitizenReport.objects.order_by("id").values_list(
        "tracking_code", flat=True
    )
    officer = api(world, Role.OFFICER)
    refused = officer.post(
        "/api/v1/incidents/", incident(world, citizen_reports=[other_code]), format="json"
    )
    assert refused.status_code == 400 and "citizen_reports" in refused.json()["error"]["fields"]
    created = officer.post(
        "/api/v1/incidents/", incident(world, citizen_reports=[own_code.lower()]), format="json"
    )
    assert created.status_code == 201 and created.json()["citizen_reports"] == [own_code]
    # The same link on the pages: the incident lists the report, the report its incident.
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    pk = created.json()["id"]
    assert own_code in page.get(f"/incidents/{pk}/").content.decode()
    assert f"/incidents/{pk}/" in page.get(f"/citizen-reports/{own_code}/").content.decode()
    page.post(f"/incidents/{pk}/", {"action": "link", "code": other_code})
    assert list(Incident.objects.get().citizen_reports.values_list("tracking_code", flat=True)) == [
        own_code
    ]


def test_the_incident_list_reads_the_links_visibility_once_a_page(world: World) -> None:
    """Which linked reports the reader may open is asked once for the whole page, not once
    per incident: a page of 12 costs what a page of 2 does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = api(world, Role.OFFICER)
    polres = api(world, Role.POLRES)

    def listed() -> tuple[int, list[Any]]:
        with CaptureQueriesContext(connection) as queries:
            body = polres.get("/api/v1/incidents/").json()
        return len(queries), body["results"]

    def add(count: int) -> None:
        for _ in range(count):
            report = report_payload(world)
            assert officer.post("/api/v1/reports/", report, format="json").status_code == 201
            linked = incident(world, reports=[report["uuid"]])
            assert officer.post("/api/v1/incidents/", linked, format="json").status_code == 201

    add(2)
    listed()  # the first request of a token also records when it was used
    few, results = listed()
    assert all(len(row["reports"]) == 1 for row in results)
    add(10)
    many, results = listed()
    assert len(results) == 12 and all(len(row["reports"]) == 1 for row in results)
    assert many == few
