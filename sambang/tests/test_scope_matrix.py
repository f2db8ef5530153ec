"""The scope matrix: every role × the data of every unit × every page and endpoint.

What each role may see is written out here by hand, independently of
``sambang.access``: a supervisor sees their unit's subtree, national and admin see
everything, an officer sees only their own record and villages.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Assignment, Role
from sambang.testing.world import UNITS, World

ALL_UNITS = {key for key, *_ in UNITS}
VISIBLE_UNITS: dict[str, set[str]] = {
    Role.OFFICER: set(),
    Role.POLSEK: {"polsek_a1a"},
    Role.POLRES: {"polres_a1", "polsek_a1a", "polsek_a1b"},
    Role.POLDA: {"polda_a", "polres_a1", "polsek_a1a", "polsek_a1b", "polres_a2", "polsek_a2a"},
    Role.NATIONAL: ALL_UNITS,
    Role.ADMIN: ALL_UNITS,
}
POLSEKS = sorted(key for key, level, *_ in UNITS if level == "polsek")
ROLES = list(VISIBLE_UNITS)


def sees_officer_of(role: str, unit_key: str) -> bool:
    if role == Role.OFFICER:
        return unit_key == "polsek_a1a"  # only their own record
    return unit_key in VISIBLE_UNITS[role]


def sees_village_of(role: str, polsek_key: str, assigned: bool) -> bool:
    if role == Role.OFFICER:
        return polsek_key == "polsek_a1a" and assigned  # only the village they cover
    return polsek_key in VISIBLE_UNITS[role]


def token_client(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def page_client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_key", sorted(ALL_UNITS))
def test_unit_pages_and_endpoints_follow_the_scope(world: World, role: str, unit_key: str) -> None:
    code = world.units[unit_key].code
    visible = unit_key in VISIBLE_UNITS[role]
    api = token_client(world, role)
    assert api.get(f"/api/v1/units/{code}").status_code == (200 if visible else 404)
    assert api.get(f"/api/v1/units/{code}/villages").status_code == (200 if visible else 404)
    page = page_client(world, role).get(f"/units/{code}/")
    if role == Role.OFFICER:
        assert page.status_code == 403
    else:
        assert page.status_code == (200 if visible else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_key", sorted(ALL_UNITS))
def test_officer_pages_and_endpoints_follow_the_scope(
    world: World, role: str, unit_key: str
) -> None:
    nrp = world.officers[unit_key].nrp
    expected = 200 if sees_officer_of(role, unit_key) else 404
    assert token_client(world, role).get(f"/api/v1/officers/{nrp}").status_code == expected
    assert page_client(world, role).get(f"/officers/{nrp}/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "free"])
def test_village_pages_and_endpoints_follow_the_scope(
    world: World, role: str, polsek_key: str, assigned: bool
) -> None:
    village = (world.villages if assigned else world.free_villages)[polsek_key]
    expected = 200 if sees_village_of(role, polsek_key, assigned) else 404
    assert token_client(world, role).get(f"/api/v1/villages/{village.code}").status_code == expected
    assert page_client(world, role).get(f"/villages/{village.code}/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_an_officer_does_not_see_a_colleague_of_the_same_polsek(world: World, role: str) -> None:
    assert world.colleague is not None and world.colleague_village is not None
    expected = (
        404 if role == Role.OFFICER else (200 if "polsek_a1a" in VISIBLE_UNITS[role] else 404)
    )
    api, pages = token_client(world, role), page_client(world, role)
    assert api.get(f"/api/v1/officers/{world.colleague.nrp}").status_code == expected
    assert pages.get(f"/officers/{world.colleague.nrp}/").status_code == expected
    assert api.get(f"/api/v1/villages/{world.colleague_village.code}").status_code == expected
    assert pages.get(f"/villages/{world.colleague_village.code}/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_lists_hold_exactly_the_scope(world: World, role: str) -> None:
    api = token_client(world, role)
    units = {row["code"] for row in api.get("/api/v1/units/?limit=100").json()["results"]}
    assert units == {world.units[key].code for key in VISIBLE_UNITS[role]}
    officers = {row["nrp"] for row in api.get("/api/v1/officers/?limit=100").json()["results"]}
    expected = {o.nrp for key, o in world.officers.items() if sees_officer_of(role, key)}
    if role != Role.OFFICER and "polsek_a1a" in VISIBLE_UNITS[role]:
        expected.add("80000099")  # the colleague
    assert officers == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.OFFICER])
def test_officer_list_page_holds_exactly_the_scope(world: World, role: str) -> None:
    html = page_client(world, role).get("/officers/").content.decode()
    for key, officer in world.officers.items():
        assert (officer.nrp in html) == sees_officer_of(role, key), key


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_assigning_follows_the_scope(world: World, role: str, polsek_key: str) -> None:
    officer, village = world.officers[polsek_key], world.free_villages[polsek_key]
    response = token_client(world, role).post(
        "/api/v1/assignments/",
        {"officer": officer.nrp, "village": village.code, "start_date": "2025-02-01"},
        format="json",
    )
    if role == Role.OFFICER:
        assert response.status_code == 403
    else:
        # Out of scope, the officer and village are unknown to the user: a field error,
        # the same as for codes that exist nowhere.
        assert response.status_code == (201 if polsek_key in VISIBLE_UNITS[role] else 400)
    assert Assignment.objects.filter(village=village).exists() == (response.status_code == 201)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_ending_an_assignment_follows_the_scope(world: World, role: str, polsek_key: str) -> None:
    assignment = world.assignments[polsek_key]
    response = page_client(world, role).post(
        f"/officers/assignments/{assignment.pk}/end/", {"end_date": "2025-03-01"}
    )
    assignment.refresh_from_db()
    if role == Role.OFFICER:
        assert response.status_code == 403
    elif polsek_key in VISIBLE_UNITS[role]:
        assert response.status_code == 302
        assert assignment.end_date == dt.date(2025, 3, 1)
    else:
        assert response.status_code == 404
    if response.status_code != 302:
        assert assignment.end_date is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_shows_only_the_scope(world: World, role: str) -> None:
    html = page_client(world, role).get("/").content.decode()
    for key, unit in world.units.items():
        if key not in VISIBLE_UNITS[role]:
            assert f"/units/{unit.code}/" not in html, key
    for key, village in world.villages.items():
        assert (village.code in html) == (role == Role.OFFICER and key == "polsek_a1a"), key


# --- field work: plans and reports ---------------------------------------------------


def sees_field_work_of(role: str, unit_key: str) -> bool:
    """Reports and plans: the officer's own, the supervisors above, never the administrator."""
    if role == Role.ADMIN:
        return False
    return sees_officer_of(role, unit_key)


@pytest.fixture
def field_work(world: World) -> dict[str, tuple[str, str]]:
    """One household visit and one plan item by each Polsek's officer: (report, plan) uuids."""
    from sambang.fieldwork import services
    from sambang.fieldwork.api.plans import PlanItemWriteSerializer
    from sambang.fieldwork.api.reports import ReportWriteSerializer
    from sambang.testing.fieldwork import household, report_payload

    made: dict[str, tuple[str, str]] = {}
    for key in POLSEKS:
        officer, village = world.officers[key], world.villages[key]
        report = ReportWriteSerializer(
            data=report_payload(
                world, key, activity_type="dds", participants=None, household=household()
            )
        )
        report.is_valid(raise_exception=True)
        filed, _ = services.report_create(officer=officer, data=report.validated_data)
        plan = PlanItemWriteSerializer(
            data={
                "uuid": str(uuid.uuid4()),
                "activity_type": "dds",
                "village": village.code,
                "date": dt.date.today().isoformat(),
            }
        )
        plan.is_valid(raise_exception=True)
        item, _ = services.plan_create(officer=officer, data=plan.validated_data)
        made[key] = (str(filed.uuid), str(item.uuid))
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_reports_and_plans_follow_the_scope(
    world: World, field_work: dict[str, tuple[str, str]], role: str, polsek_key: str
) -> None:
    report, plan = field_work[polsek_key]
    expected = 200 if sees_field_work_of(role, polsek_key) else 404
    api, pages = token_client(world, role), page_client(world, role)
    assert api.get(f"/api/v1/reports/{report}").status_code == expected
    assert pages.get(f"/field/reports/{report}/").status_code == expected
    assert api.get(f"/api/v1/plans/{plan}").status_code == expected
    assert pages.get(f"/field/plans/{plan}/").status_code == expected
    review = api.post(f"/api/v1/reports/{report}/review", {"decision": "approve"}, format="json")
    if expected == 404:
        assert review.status_code == 404
    elif role == Role.OFFICER:
        assert review.status_code == 403
    else:
        assert review.status_code == 200
    comment = api.post(f"/api/v1/plans/{plan}/comments", {"text": "Catatan"}, format="json")
    assert comment.status_code == (201 if expected == 200 else 404)
    # Only the officer who filed it changes it or adds photos; others are refused or see nothing.
    edit = api.patch(f"/api/v1/reports/{report}", {"outcome": "diubah"}, format="json")
    assert edit.status_code == (404 if expected == 404 else (403 if role != Role.OFFICER else 200))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_report_and_plan_lists_hold_exactly_the_scope(
    world: World, field_work: dict[str, tuple[str, str]], role: str
) -> None:
    api = token_client(world, role)
    reports = {r["uuid"] for r in api.get("/api/v1/reports/?limit=100").json()["results"]}
    plans = {p["uuid"] for p in api.get("/api/v1/plans/?limit=100").json()["results"]}
    visible = [key for key in POLSEKS if sees_field_work_of(role, key)]
    assert reports == {field_work[key][0] for key in visible}
    assert plans == {field_work[key][1] for key in visible}
    realization = api.get("/api/v1/plans/realization").json()
    assert {row["officer"] for row in realization} == {world.officers[k].nrp for k in visible}
    html = page_client(world, role).get("/field/reports/").content.decode()
    for key in POLSEKS:
        assert (field_work[key][0] in html) == (key in visible), key


@pytest.mark.django_db
def test_an_officer_does_not_see_a_colleagues_field_work(world: World) -> None:
    from sambang.fieldwork import services
    from sambang.fieldwork.api.reports import ReportWriteSerializer
    from sambang.testing.fieldwork import report_payload

    assert world.colleague is not None and world.colleague_village is not None
    payload = report_payload(world, village=world.colleague_village.code)
    data = ReportWriteSerializer(data=payload)
    data.is_valid(raise_exception=True)
    services.report_create(officer=world.colleague, data=data.validated_data)
    officer = token_client(world, Role.OFFICER)
    assert officer.get(f"/api/v1/reports/{payload['uuid']}").status_code == 404
    assert (
        page_client(world, Role.OFFICER).get(f"/field/reports/{payload['uuid']}/").status_code
        == 404
    )
    assert (
        token_client(world, Role.POLSEK).get(f"/api/v1/reports/{payload['uuid']}").status_code
        == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_photos_stickers_and_escalation_follow_the_scope(
    world: World, field_work: dict[str, tuple[str, str]], role: str, polsek_key: str
) -> None:
    from sambang.fieldwork.models import ReportPhoto
    from sambang.testing.fieldwork import photo_bytes

    report, _plan = field_work[polsek_key]
    visible = sees_field_work_of(role, polsek_key)
    api, pages = token_client(world, role), page_client(world, role)
    assert pages.get(f"/field/reports/{report}/sticker.pdf").status_code == (
        200 if visible else 404
    )
    photo = SimpleUploadedFile("p.jpg", photo_bytes(5), content_type="image/jpeg")
    upload = api.put(
        f"/api/v1/reports/{report}/photos/{uuid.uuid4()}", {"file": photo}, format="multipart"
    )
    assert upload.status_code == (404 if not visible else 201 if role == Role.OFFICER else 403)
    assert ReportPhoto.objects.exists() == (upload.status_code == 201)
    edit = pages.get(f"/field/reports/{report}/edit/")
    assert edit.status_code == (404 if not visible else 200 if role == Role.OFFICER else 403)
    # A household visit carries no information to escalate or acknowledge.
    escalate = api.post(f"/api/v1/reports/{report}/escalate", {"unit": "MABES"}, format="json")
    assert escalate.status_code == (404 if not visible or role == Role.OFFICER else 403)


# --- residents' reports ----------------------------------------------------------------


@pytest.fixture
def citizen_reports(world: World) -> dict[str, str]:
    """One named (not anonymous) resident's report in each Polsek's covered village."""
    from sambang.public import services

    codes: dict[str, str] = {}
    for key in POLSEKS:
        result = services.citizen_report_submit(
            data={
                "category": "crime",
                "description": f"Laporan warga di {key}",
                "village": world.villages[key].code,
                "anonymous": False,
                "reporter_name": f"Pelapor {key}",
            },
            uploads=[],
            address=f"10.0.0.{len(codes) + 1}",
        )
        codes[key] = result.report.tracking_code
    return codes


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_residents_reports_follow_the_scope(
    world: World, citizen_reports: dict[str, str], role: str, polsek_key: str
) -> None:
    code = citizen_reports[polsek_key]
    visible = sees_field_work_of(role, polsek_key)  # routed there: its officer and above
    api, pages = token_client(world, role), page_client(world, role)
    detail = api.get(f"/api/v1/citizen-reports/{code}")
    assert detail.status_code == (200 if visible else 404)
    assert (f"Pelapor {polsek_key}" in detail.content.decode()) == visible
    assert pages.get(f"/citizen-reports/{code}/").status_code == (200 if visible else 404)
    answer = api.post(
        f"/api/v1/citizen-reports/{code}/answer", {"note": "Ditangani."}, format="json"
    )
    assert answer.status_code == (200 if visible else 404)
    moved = api.post(
        f"/api/v1/citizen-reports/{code}/status", {"status": "in_progress"}, format="json"
    )
    assert moved.status_code == (200 if visible else 404)
    assign = api.post(
        f"/api/v1/citizen-reports/{code}/assign",
        {"officer": world.officers[polsek_key].nrp},
        format="json",
    )
    assert assign.status_code == (404 if not visible else 403 if role == Role.OFFICER else 200)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_residents_report_lists_hold_exactly_the_scope(
    world: World, citizen_reports: dict[str, str], role: str
) -> None:
    listed = token_client(world, role).get("/api/v1/citizen-reports/?limit=100").json()["results"]
    expected = {citizen_reports[k] for k in POLSEKS if sees_field_work_of(role, k)}
    assert {r["tracking_code"] for r in listed} == expected
    assert all("reporter_name" not in r for r in listed)
    html = page_client(world, role).get("/citizen-reports/").content.decode()
    for key in POLSEKS:
        assert (citizen_reports[key] in html) == (citizen_reports[key] in expected), key
        assert f"Pelapor {key}" not in html


# --- directives ------------------------------------------------------------------------


@pytest.fixture
def directives(world: World) -> dict[str, int]:
    """One directive to each Polsek, issued by the national user."""
    from sambang.organization.services import directive_issue

    return {
        key: directive_issue(
            issuer=world.users[Role.NATIONAL],
            unit=world.units[key],
            title=f"Atensi {key}",
            body="Tingkatkan sambang.",
            due_date=None,
        ).pk
        for key in POLSEKS
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_directives_follow_the_scope(
    world: World, directives: dict[str, int], role: str, polsek_key: str
) -> None:
    pk = directives[polsek_key]
    # An officer sees the directives sent to them (their own Polsek's).
    visible = sees_field_work_of(role, polsek_key)
    api, pages = token_client(world, role), page_client(world, role)
    assert api.get(f"/api/v1/directives/{pk}").status_code == (200 if visible else 404)
    assert pages.get(f"/directives/{pk}/").status_code == (200 if visible else 404)
    ack = api.post(f"/api/v1/directives/{pk}/acknowledge")
    assert ack.status_code == (200 if visible and role == Role.OFFICER else 404)
    listed = {d["id"] for d in api.get("/api/v1/directives/?limit=100").json()["results"]}
    assert (pk in listed) == visible


# --- village knowledge -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
@pytest.mark.parametrize("assigned", [True, False], ids=["assigned", "free"])
def test_village_knowledge_follows_the_scope(
    world: World, role: str, polsek_key: str, assigned: bool
) -> None:
    village = (world.villages if assigned else world.free_villages)[polsek_key]
    visible = sees_village_of(role, polsek_key, assigned)
    api, pages = token_client(world, role), page_client(world, role)
    base = f"/api/v1/villages/{village.code}"
    for kind in ("profile", "profile/history", "figures", "partners", "posts", "spots"):
        assert api.get(f"{base}/{kind}").status_code == (200 if visible else 404), kind
    assert pages.get(f"/villages/{village.code}/profile/").status_code == (200 if visible else 404)
    added = api.post(f"{base}/partners", {"kind": "fkpm", "name": "FKPM Contoh"}, format="json")
    assert added.status_code == (404 if not visible else 403 if role == Role.ADMIN else 201)


# --- incidents and persons of interest ---------------------------------------------------


@pytest.fixture
def incidents(world: World) -> dict[str, tuple[int, int]]:
    """An incident and a person of interest in each Polsek's covered village."""
    from sambang.security.incidents import incident_record, person_record

    made: dict[str, tuple[int, int]] = {}
    for key in POLSEKS:
        village = world.villages[key]
        recorded = incident_record(
            user=world.users[Role.NATIONAL],
            data={
                "category": "curanmor",
                "village": village.code,
                "occurred_at": dt.datetime(2026, 1, 5, 21, tzinfo=dt.UTC),
                "description": f"Kejadian di {key}",
            },
        )
        person = person_record(
            user=world.users[Role.NATIONAL],
            data={"name": f"Orang {key}", "village": village.code, "incidents": [recorded.pk]},
        )
        made[key] = (recorded.pk, person.pk)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("polsek_key", POLSEKS)
def test_incidents_and_persons_follow_the_scope(
    world: World, incidents: dict[str, tuple[int, int]], role: str, polsek_key: str
) -> None:
    incident_pk, person_pk = incidents[polsek_key]
    visible = sees_field_work_of(role, polsek_key)  # an officer: incidents of their villages
    api, pages = token_client(world, role), page_client(world, role)
    assert api.get(f"/api/v1/incidents/{incident_pk}").status_code == (200 if visible else 404)
    assert pages.get(f"/incidents/{incident_pk}/").status_code == (200 if visible else 404)
    listed = {i["id"] for i in api.get("/api/v1/incidents/?limit=100").json()["results"]}
    assert (incident_pk in listed) == visible
    restricted = role in (Role.POLRES, Role.POLDA, Role.NATIONAL)
    person = api.get(f"/api/v1/persons-of-interest/{person_pk}")
    assert person.status_code == (403 if not restricted else 200 if visible else 404)
    if restricted:
        names = {
            p["name"] for p in api.get("/api/v1/persons-of-interest/?limit=100").json()["results"]
        }
        assert (f"Orang {polsek_key}" in names) == visible


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_key", sorted(ALL_UNITS))
def test_the_monthly_evaluation_follows_the_scope(world: World, role: str, unit_key: str) -> None:
    code = world.units[unit_key].code
    # Supervisors read the Anev of their subtree; officers and administrators none.
    visible = unit_key in VISIBLE_UNITS[role] and role not in (Role.OFFICER, Role.ADMIN)
    api = token_client(world, role)
    url = f"/api/v1/evaluations/{code}/2026-09"
    assert api.get(url).status_code == (200 if visible else 404)
    assert page_client(world, role).get(f"/anev/{code}/2026-09/").status_code == (
        200 if visible else 404
    )
    for layer in ("area", "incidents", "citizen-reports", "spots", "heat", "hotspots"):
        assert api.get(f"/api/v1/map/{code}/2026-09/{layer}").status_code == (
            200 if visible else 404
        )
    assert page_client(world, role).get(f"/anev/map/{code}/2026-09/").status_code == (
        200 if visible else 404
    )
    own = visible and world.users[role].unit == world.units[unit_key] and role != Role.NATIONAL
    submitted = api.post(f"{url}/submit", {}, format="json")
    if own:  # a Polsek's month goes up; a Polres waits for its Polseks to be approved
        assert submitted.status_code in (201, 400), submitted.json()
    else:
        assert submitted.status_code == (403 if visible else 404)
    decided = api.post(f"{url}/decision", {"approve": True}, format="json")
    if not visible:
        assert decided.status_code == 404
    elif own and submitted.status_code == 201:
        assert decided.status_code == 403  # a unit never approves its own month
    # An officer's month: the officer, and the supervisors above them.
    nrp = world.officers[unit_key].nrp
    month = token_client(world, role).get(f"/api/v1/officers/{nrp}/months/2026-09")
    if role == Role.ADMIN:
        assert month.status_code == 403
    else:
        assert month.status_code == (200 if sees_officer_of(role, unit_key) else 404)
    page = page_client(world, role).get(f"/anev/officer/{nrp}/2026-09/")
    assert page.status_code == month.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("unit_key", sorted(ALL_UNITS))
def test_resources_follow_the_scope(world: World, role: str, unit_key: str) -> None:
    from sambang.resources.models import Budget, Equipment

    unit = world.units[unit_key]
    equipment = Equipment.objects.create(unit=unit, kind="vest", good=1)
    budget = Budget.objects.create(
        unit=unit, fiscal_year=2026, category="bimkamsa", allocation_idr=1_000_000
    )
    client = page_client(world, role)
    visible = unit_key in VISIBLE_UNITS[role]
    for kind, record in (("equipment", equipment), ("budget", budget)):
        response = client.get(f"/resources/{kind}/{record.pk}/")
        if role == Role.OFFICER:
            assert response.status_code == 403
        else:
            assert response.status_code == (200 if visible else 404)
        listed = client.get(f"/resources/{kind}/?export=csv")
        if role != Role.OFFICER:
            assert (unit.code in listed.getvalue().decode()) == visible
    removed = client.post(f"/resources/equipment/{equipment.pk}/", {"action": "delete"})
    assert Equipment.objects.filter(pk=equipment.pk).exists() == (removed.status_code != 302)
    assert (removed.status_code == 302) == (visible and role != Role.OFFICER)


@pytest.mark.django_db(transaction=True)
def test_a_background_download_is_its_owners_alone(world: World) -> None:
    from django.core.management import call_command

    from sambang.exports.models import ExportJob

    for role in ROLES:
        job = ExportJob.objects.create(user=world.users[role], table="officers", fmt="csv")
        from sambang.exports.tasks import export_run

        export_run.enqueue(str(job.pk))
    call_command("db_worker", "--batch", "--no-startup-delay")
    for job in ExportJob.objects.select_related("user"):
        for role in ROLES:
            status = page_client(world, role).get(f"/exports/{job.pk}/download/").status_code
            assert status == (200 if job.user == world.users[role] else 404)
