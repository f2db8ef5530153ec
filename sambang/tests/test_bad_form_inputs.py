"""The page forms × their fields × the catalogue's bad values (those a browser can send).

A refused form is the page again with a 4xx status, the error on the field, what was
typed kept, and nothing written.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sambang.evaluation.services import evaluation_submit
from sambang.fieldwork import selectors as fieldwork_selectors
from sambang.fieldwork.models import ActivityReport, HouseholdVisit, PlanItem, VisitConfirmation
from sambang.organization.models import Directive, DirectiveReceipt
from sambang.personnel.models import Role
from sambang.public.models import CitizenAttachment, CitizenReport
from sambang.resources.models import Budget, Equipment
from sambang.security.models import Incident, PersonOfInterest
from sambang.testing.bad_inputs import Field, bad_values
from sambang.testing.fieldwork import household, report_payload
from sambang.testing.world import World
from sambang.tests.scope_specimens import build_specimens

pytestmark = pytest.mark.django_db

KEPT = "Jalan gelap dekat pos ronda"  # typed into another field: must come back on the page


def _sendable(value: Any, kind: str = "integer") -> bool:
    """What a browser can put in a form: text, as UTF-8 (numbers as their digits, for
    numeric fields: 20240101 in a date field is a date, in ISO 8601's basic form)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return kind in ("number", "integer")
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Form:
    name: str
    role: str | None
    url: Callable[[World], str]
    values: Callable[[World], dict[str, str]]
    fields: list[Field]
    models: tuple[type[Model], ...]
    keeps: str  # the field holding KEPT
    setup: Callable[[World], str] | None = None  # returns the url's token, if any


def _report_values(world: World) -> dict[str, str]:
    payload = report_payload(world)
    return {
        "uuid": payload["uuid"],
        "activity_type": "kegiatan-desa",
        "village": payload["village"],
        "occurred_at": payload["occurred_at"][:16],
        "latitude": str(payload["latitude"]),
        "longitude": str(payload["longitude"]),
        "accuracy_m": "12",
        "narrative": payload["narrative"],
        "participants": "25",
        "outcome": KEPT,
    }


def _visit_token(world: World) -> str:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    payload = report_payload(world, activity_type="dds", household=household(), participants=None)
    assert client.post("/api/v1/reports/", payload, format="json").status_code == 201
    visit = HouseholdVisit.objects.get(report__uuid=payload["uuid"])
    return fieldwork_selectors.visit_token(visit)


FORMS = [
    Form(
        "report form",
        Role.OFFICER,
        lambda w: "/field/reports/new/",
        _report_values,
        [
            Field("activity_type", "code", 40),
            Field("village", "code", 13),
            Field("occurred_at", "datetime"),
            Field("latitude", "number", minimum=-90, maximum=90),
            Field("longitude", "number", minimum=-180, maximum=180),
            Field("accuracy_m", "number", minimum=0, maximum=100_000),
            Field("narrative", "text", 10_000),
            Field("participants", "integer", minimum=0, maximum=100_000),
            Field("plan_item", "uuid"),
        ],  # "state" is the button pressed: anything but "draft" sends the report
        (ActivityReport,),
        "outcome",
    ),
    Form(
        "plan form",
        Role.OFFICER,
        lambda w: "/field/plans/",
        lambda w: {
            "activity_type": "kegiatan-desa",
            "village": w.villages["polsek_a1a"].code,
            "date": dt.date.today().isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
            "target_kind": "place",
            "target": "Balai desa",
            "notes": KEPT,
        },
        [
            Field("activity_type", "code", 40),
            Field("village", "code", 13),
            Field("date", "date"),
            Field("start_time", "time"),
            Field("end_time", "time"),
            Field("target_kind", "enum"),
            Field("target", "text", 200),
        ],
        (PlanItem,),
        "notes",
    ),
    Form(
        "resident's report form",
        None,
        lambda w: f"/lapor/{w.villages['polsek_a1a'].code}/",
        lambda w: {
            "category": "crime",
            "description": "Motor tetangga dicuri tadi malam.",
            "place": KEPT,
            "occurred_at": (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reporter_name": "Warga",
            "reporter_phone": "0812345678",
        },
        [
            Field("category", "enum"),
            Field("description", "text", 4000),
            Field("occurred_at", "datetime"),
            Field("latitude", "number", minimum=-90, maximum=90),
            Field("longitude", "number", minimum=-180, maximum=180),
            Field("reporter_name", "text", 120),
            Field("reporter_phone", "text", 20),
            Field("submission", "uuid"),  # the form's one-time token, tampered with
        ],
        (CitizenReport, CitizenAttachment),
        "place",
    ),
    Form(
        "directive form",
        Role.POLSEK,
        lambda w: "/directives/",
        lambda w: {
            "unit": "POLSEK-A1A",
            "title": "Patroli malam",
            "body": KEPT,
            "due_date": dt.date.today().isoformat(),
        },
        [
            Field("unit", "code", 40),
            Field("title", "text", 200),
            Field("due_date", "date"),
        ],
        (Directive, DirectiveReceipt),
        "body",
    ),
    Form(
        "incident form",
        Role.POLSEK,
        lambda w: "/incidents/",
        lambda w: {
            "category": "antar-kelompok",
            "village": w.villages["polsek_a1a"].code,
            "occurred_at": (dt.datetime.now() - dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "description": "Dua kelompok pemuda saling lempar batu di lapangan.",
            "modus_operandi": KEPT,
            "groups_involved": "Pemuda RW 02 dan RW 05",
            "dead": "0",
            "injured": "2",
            "losses_idr": "1500000",
        },
        [
            Field("category", "code", 40),
            Field("village", "code", 13),
            Field("occurred_at", "datetime"),
            Field("description", "text", 4000),
            Field("groups_involved", "text", 2000),
            Field("dead", "integer", minimum=0, maximum=100_000),
            Field("injured", "integer", minimum=0, maximum=100_000),
            Field("losses_idr", "integer", minimum=0, maximum=10**15),
        ],
        (Incident,),
        "modus_operandi",
    ),
    Form(
        "person of interest form",
        Role.POLRES,
        lambda w: "/persons-of-interest/",
        lambda w: {
            "name": "Budi Santoso",
            "alias": "Bento",
            "village": w.villages["polsek_a1a"].code,
            "note": KEPT,
        },
        [
            Field("name", "text", 120),
            Field("alias", "text", 120),
            Field("village", "code", 13),
        ],
        (PersonOfInterest,),
        "note",
    ),
    Form(
        "equipment form",
        Role.POLSEK,
        lambda w: "/resources/equipment/",
        lambda w: {
            "unit": "POLSEK-A1A",
            "kind": "motorcycle",
            "good": "2",
            "light_damage": "1",
            "heavy_damage": "0",
            "note": KEPT,
        },
        [
            Field("unit", "code", 40),
            Field("kind", "enum"),
            Field("good", "integer", minimum=0),
            Field("light_damage", "integer", minimum=0),
            Field("heavy_damage", "integer", minimum=0),
        ],
        (Equipment,),
        "note",
    ),
    Form(
        "budget form",
        Role.POLSEK,
        lambda w: "/resources/budget/",
        lambda w: {
            "unit": "POLSEK-A1A",
            "fiscal_year": "2026",
            "category": "bimkamsa",
            "allocation_idr": "12000000",
            "realization_idr": "3000000",
            "note": KEPT,
        },
        [
            Field("unit", "code", 40),
            Field("fiscal_year", "integer", minimum=2000, maximum=2100),
            Field("category", "enum"),
            Field("allocation_idr", "integer", minimum=0),
            Field("realization_idr", "integer", minimum=0),
        ],
        (Budget,),
        "note",
    ),
]


def snapshot(models: tuple[type[Model], ...]) -> list[list[dict[str, Any]]]:
    return [list(m._base_manager.order_by("pk").values()) for m in models]


def field_errors(response: Any) -> dict[str, Any]:
    """The errors the page was rendered with: the view's ``errors``, or its form's."""
    for context in response.context or []:
        if "errors" in context and isinstance(context["errors"], dict):
            return dict(context["errors"])
        if "form" in context and hasattr(context["form"], "errors"):
            return dict(context["form"].errors)
    return {}


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_every_bad_value_re_renders_the_form_with_the_field_error(world: World, form: Form) -> None:
    client = Client()
    if form.role:
        client.force_login(world.users[form.role])
    base = form.values(world)
    before = snapshot(form.models)
    failures, tried = [], 0
    for fld in form.fields:
        for bad in bad_values(fld):
            if not _sendable(bad.value, fld.kind):
                continue
            tried += 1
            values = {**copy.deepcopy(base), fld.name: str(bad.value)}
            cache.clear()  # the resident form's limit per address: each try starts afresh
            response = client.post(form.url(world), values)
            where = f"{fld.name} = {bad.label}"
            page = response.content.decode(errors="replace")
            if "\x00" in str(bad.value):
                # Refused before any view (NulInputMiddleware): 400 naming the field. No
                # keyboard types NUL, so only a tampered request loses its page.
                if response.status_code != 400 or fld.name not in page:
                    failures.append(f"{where}: {response.status_code}, not 400 naming it")
            elif not 400 <= response.status_code < 500 or response.status_code == 404:
                failures.append(f"{where}: {response.status_code}")
            elif fld.name not in field_errors(response):
                failures.append(f"{where}: no error on the field: {field_errors(response)}")
            elif KEPT not in page:
                failures.append(f"{where}: the page lost what was typed in {form.keeps}")
            after = snapshot(form.models)
            if after != before:
                failures.append(f"{where}: the database changed")
                before = after
    assert tried > 10
    assert not failures, f"{len(failures)} of {tried} bad inputs:\n" + "\n".join(failures)


def test_a_bad_rating_on_the_visit_page_is_refused_and_saves_nothing(world: World) -> None:
    token = _visit_token(world)
    field = Field("rating", "integer", minimum=1, maximum=5)
    for bad in [b for b in bad_values(field) if _sendable(b.value)] + [
        *(b for b in bad_values(Field("message", "text", 1000)) if _sendable(b.value))
    ]:
        values = {"rating": "4", "message": KEPT}
        values["rating" if bad in bad_values(field) else "message"] = str(bad.value)
        response = Client().post(f"/v/{token}/", values)
        assert 400 <= response.status_code < 500, (bad.label, response.status_code)
        assert VisitConfirmation.objects.count() == 0, bad.label


@dataclass
class ActionForm:
    """A form on a record's page that acts on it (review, comment, answer, status…): it
    answers with the page again and a message, so the catalogue asks of it only that no
    bad value reaches the server's errors."""

    name: str
    role: str
    url: Callable[[World, dict[str, dict[str, dict[str, str]]]], str]
    values: dict[str, str]
    fields: list[Field]
    kept: tuple[str, ...] = ()  # text fields the page shows again after a refusal
    setup: Callable[[World], object] | None = None  # the record's state the form needs


def _submitted_month(world: World) -> object:
    """Polsek A1A's October, submitted: Polres has a month to decide on."""
    return evaluation_submit(
        user=world.users[Role.POLSEK],
        unit=world.units[A1A],
        month=dt.date(2026, 10, 1),
        summary="Bulan yang tenang.",
    )


A1A = "polsek_a1a"
ACTION_FORMS = [
    ActionForm(
        "village profile",
        Role.OFFICER,
        lambda w, s: reverse("community:village_profile", kwargs=s["village"][A1A]),
        {"action": "profile", "households": "120", "rt_count": "4", "rw_count": "2"},
        [
            Field("households", "integer", minimum=0),
            Field("rt_count", "integer", minimum=0),
            Field("rw_count", "integer", minimum=0),
            Field("livelihoods", "text", 500),
            Field("access_notes", "text", 2000),
        ],
    ),
    ActionForm(
        "vulnerable spot",
        Role.OFFICER,
        lambda w, s: reverse("community:village_profile", kwargs=s["village"][A1A]),
        {
            "action": "spot",
            "spot-category": "crime",
            "spot-level": "low",
            "spot-latitude": "-6.3",
            "spot-longitude": "107.1",
            "spot-last_reviewed": "2026-11-01",
        },
        [
            Field("spot-category", "enum"),
            Field("spot-latitude", "number", minimum=-90, maximum=90),
            Field("spot-longitude", "number", minimum=-180, maximum=180),
            Field("spot-note", "text", 500),
            Field("spot-last_reviewed", "date"),
        ],
    ),
    ActionForm(
        "Anev submission",
        Role.POLSEK,
        lambda w, s: reverse("evaluation:unit", kwargs={"code": "POLSEK-A1A", "month": "2026-10"}),
        {"action": "submit", "summary": "Bulan yang tenang."},
        [Field("summary", "text", 8000), Field("action", "enum")],
        kept=("summary",),
    ),
    ActionForm(
        "Anev decision",
        Role.POLRES,
        lambda w, s: reverse("evaluation:unit", kwargs={"code": "POLSEK-A1A", "month": "2026-10"}),
        {"action": "return", "note": "Lengkapi ringkasan."},
        [Field("note", "text", 2000)],
        kept=("note",),
        setup=_submitted_month,
    ),
    ActionForm(
        "plan edit",
        Role.OFFICER,
        lambda w, s: reverse("fieldwork:plan_detail", kwargs=s["plan"][A1A]),
        {"save": "1", "target": "Balai desa", "date": "2026-12-05", "start_time": "09:00"},
        [
            Field("date", "date"),
            Field("start_time", "time"),
            Field("end_time", "time"),
            Field("target", "text", 200),
            Field("notes", "text", 2000),
        ],
    ),
    ActionForm(
        "plan comment",
        Role.POLSEK,
        lambda w, s: reverse("fieldwork:plan_detail", kwargs=s["plan"][A1A]),
        {"text": "Bawa Babinsa juga."},
        [Field("text", "text", 2000)],
        kept=("text",),
    ),
    ActionForm(
        "report review",
        Role.POLSEK,
        lambda w, s: reverse("fieldwork:report_review", kwargs={"uuid": s["report"][A1A]["uuid"]}),
        {"decision": "return", "comment": "Foto kurang jelas."},
        [Field("decision", "enum"), Field("comment", "text", 2000)],
        kept=("comment",),
    ),
    ActionForm(
        "bulk review",
        Role.POLSEK,
        lambda w, s: reverse("fieldwork:report_review_bulk"),
        {"reports": "00000000-0000-4000-8000-000000000000"},
        [Field("reports", "uuid"), Field("reports", "text", 36)],
    ),
    ActionForm(
        "directive completion",
        Role.OFFICER,
        lambda w, s: reverse("directives:detail", kwargs=s["directive"][A1A]),
        {"complete": "1", "note": "Sudah dilaksanakan."},
        [Field("note", "text", 2000)],
        kept=("note",),
    ),
    ActionForm(
        "resident's report status",
        Role.POLSEK,
        lambda w, s: reverse("citizen:detail", kwargs=s["citizen"][A1A]),
        {"action": "status", "status": "in_progress", "note": "Ditangani."},
        [Field("status", "enum"), Field("note", "text", 2000), Field("reason", "text", 2000)],
        kept=("note", "reason"),
    ),
    ActionForm(
        "resident's report answer",
        Role.POLSEK,
        lambda w, s: reverse("citizen:detail", kwargs=s["citizen"][A1A]),
        {"action": "answer", "note": "Terima kasih, sudah kami datangi."},
        [Field("note", "text", 2000)],
        kept=("note",),
    ),
    ActionForm(
        "resident's report assignment",
        Role.POLSEK,
        lambda w, s: reverse("citizen:detail", kwargs=s["citizen"][A1A]),
        {"action": "assign", "officer": "80000004"},
        [Field("officer", "code", 8)],
    ),
    ActionForm(
        "incident link and status",
        Role.POLSEK,
        lambda w, s: reverse("security:incident_detail", kwargs=s["incident"][A1A]),
        {"action": "link", "code": "AAAAAAAAAA"},
        [Field("code", "code", 12), Field("status", "enum")],
    ),
    ActionForm(
        "assignment start",
        Role.POLSEK,
        lambda w, s: reverse(
            "territory:assignment_start", kwargs={"code": s["village"][A1A]["code"]}
        ),
        {"officer": "80000004", "start": "2026-11-01"},
        [Field("officer", "code", 8), Field("start", "date")],
    ),
    ActionForm(
        "assignment end",
        Role.POLSEK,
        lambda w, s: reverse("personnel:assignment_end", kwargs=s["assignment"][A1A]),
        {"end": "2026-11-01", "reason": "Mutasi"},
        [Field("end", "date"), Field("reason", "text", 200)],
    ),
]


@pytest.mark.parametrize("form", ACTION_FORMS, ids=[f.name for f in ACTION_FORMS])
def test_no_bad_value_on_an_action_form_is_a_server_error(world: World, form: ActionForm) -> None:
    specimens = build_specimens(world).values
    if form.setup:
        form.setup(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.users[form.role])
    url = form.url(world, specimens)
    failures, tried = [], 0
    for fld in form.fields:
        for bad in bad_values(fld):
            if not _sendable(bad.value, fld.kind):
                continue
            tried += 1
            response = client.post(url, {**form.values, fld.name: str(bad.value)})
            where = f"{fld.name} = {bad.label}: {response.status_code}"
            if "\x00" in str(bad.value):
                if response.status_code != 400:
                    failures.append(where)  # NulInputMiddleware names the field
            elif response.status_code >= 500 or response.status_code in (200, 201):
                failures.append(where)  # a refusal is the page with a message, or a 4xx
            elif fld.name in form.kept and bad.label == "one past the limit":
                page = client.get(response["Location"]).content.decode()
                if str(bad.value) not in page:
                    failures.append(f"{where}: the page lost what was typed")
    assert tried >= 3
    assert not failures, f"{len(failures)} of {tried} bad inputs:\n" + "\n".join(failures)
