"""Every JSON API write × every field × every bad value of the catalogue.

Each bad value must be answered with a 4xx that names the field (never a 500, never a
404 for a code in the body), and must leave every table the write touches as it was.
The fields come from the OpenAPI document, the bad values from
``sambang/testing/bad_inputs.py``: a new field or a new write is covered by adding
one line to ``WRITES``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from rest_framework.test import APIClient

from sambang.accounts.models import Activation
from sambang.community.models import (
    KeyFigure,
    PoskamlingPost,
    VillageProfile,
    VulnerabilityFactor,
    VulnerableSpot,
)
from sambang.community.models import Partner as VillagePartner
from sambang.evaluation.models import HistoricalCount, MonthlyEvaluation
from sambang.fieldwork import selectors as fieldwork_selectors
from sambang.fieldwork.models import (
    ActivityReport,
    HouseholdConcern,
    HouseholdVisit,
    PlanComment,
    PlanItem,
    ReportPhoto,
    SignalNote,
    VisitConfirmation,
)
from sambang.notifications.models import NotificationPreference, PushSubscription
from sambang.notifications.tests.pushservice import Browser
from sambang.organization.models import Directive, DirectiveReceipt
from sambang.personnel.models import Assignment, Role, User
from sambang.public.models import CitizenAttachment, CitizenEvent, CitizenReport
from sambang.resources.models import Allowance, Budget, Equipment, Training
from sambang.security.models import Incident, InformationReport, PersonOfInterest, ProblemCase
from sambang.testing.bad_inputs import BAD_BODIES, Field, bad_values, fields_from_schema
from sambang.testing.fieldwork import household, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

ACCEPTED_STATUS = {400, 413, 415, 422}


@dataclass
class Ctx:
    """The world, and the records a write needs to exist before it is tried."""

    world: World
    ids: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str | None) -> APIClient:
        client = APIClient()
        if role is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.world.tokens[role]}")
        return client


def _ok(response: Any, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 201)), response.content[:2000]
    return response.json() if response.content else None


def _today() -> str:
    return dt.date.today().isoformat()


def _plan(ctx: Ctx) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "activity_type": "kegiatan-desa",
        "village": ctx.world.villages["polsek_a1a"].code,
        "date": _today(),
        "start_time": "09:00",
        "end_time": "10:00",
        "target_kind": "place",
        "target": "Balai desa",
        "notes": "Rapat warga",
    }


def _report(ctx: Ctx, **overrides: Any) -> dict[str, Any]:
    return report_payload(ctx.world, **overrides)


def _dds(ctx: Ctx) -> dict[str, Any]:
    return _report(ctx, activity_type="dds", participants=None, household=household())


def _information(ctx: Ctx) -> dict[str, Any]:
    return _report(
        ctx,
        activity_type="deteksi-dini",
        participants=None,
        information={
            "subject": "Rencana unjuk rasa buruh",
            "place": "Depan pabrik",
            "happened_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat(),
            "how_obtained": "informant",
            "aspect": "economy",
            "urgency": "medium",
            "reliability": "B",
            "credibility": 2,
        },
    )


def _problem(ctx: Ctx) -> dict[str, Any]:
    return _report(
        ctx,
        activity_type="problem-solving",
        participants=None,
        problem={
            "kind": "dispute",
            "parties": "Dua tetangga",
            "witnesses": "Ketua RT",
            "agreement": "Damai",
            "agency": "",
            "follow_up_date": _today(),
            "follow_up_outcome": "",
        },
    )


def _incident(ctx: Ctx) -> dict[str, Any]:
    return {
        "category": "tawuran-pelajar",
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat(),
        "village": ctx.world.villages["polsek_a1a"].code,
        "latitude": -6.3,
        "longitude": 107.1,
        "description": "Tawuran dua SMK sepulang sekolah.",
        "modus_operandi": "Janjian lewat media sosial",
        "groups_involved": "Pelajar",
        "dead": 0,
        "injured": 2,
        "losses_idr": 1000,
        "status": "reported",
        "reports": [],
        "citizen_reports": [],
    }


def _citizen(ctx: Ctx) -> dict[str, Any]:
    return {
        "category": "crime",
        "description": "Motor tetangga dicuri tadi malam dari depan rumah.",
        "village": ctx.world.villages["polsek_a1a"].code,
        "place": "Gang Melati",
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat(),
        "anonymous": False,
        "reporter_name": "Warga",
        "reporter_phone": "08123456789",
        "website": "",
    }


RECORDS: dict[str, tuple[str, dict[str, Any]]] = {
    "figures": (
        "figure",
        {
            "kind": "religious",
            "name": "Ustaz Ahmad",
            "role": "Imam",
            "phone": "0812",
            "influence": "high",
            "note": "",
        },
    ),
    "partners": (
        "partner",
        {
            "kind": "fkpm",
            "name": "FKPM Desa",
            "contact": "Pak RW",
            "phone": "0812",
            "members": 12,
            "active": True,
            "note": "",
        },
    ),
    "posts": (
        "post",
        {
            "name": "Pos RW 02",
            "latitude": -6.3,
            "longitude": 107.1,
            "active": True,
            "roster": {"Senin": ["Budi"]},
        },
    ),
    "spots": (
        "spot",
        {
            "category": "crime",
            "level": "high",
            "latitude": -6.3,
            "longitude": 107.1,
            "note": "Jalan gelap",
            "last_reviewed": _today(),
        },
    ),
}


# --- set-ups: make the records a write acts on -----------------------------------------


def _file_report(ctx: Ctx, payload: dict[str, Any]) -> None:
    _ok(ctx.client(Role.OFFICER).post("/api/v1/reports/", payload, format="json"), 201)
    ctx.ids["report"] = payload["uuid"]


def _setup_report(ctx: Ctx) -> None:
    _file_report(ctx, _report(ctx))


def _setup_information(ctx: Ctx) -> None:
    _file_report(ctx, _information(ctx))


def _setup_visit(ctx: Ctx) -> None:
    _file_report(ctx, _dds(ctx))
    visit = HouseholdVisit.objects.get(report__uuid=ctx.ids["report"])
    ctx.ids["token"] = fieldwork_selectors.visit_token(visit)


def _setup_plan(ctx: Ctx) -> None:
    payload = _plan(ctx)
    _ok(ctx.client(Role.OFFICER).post("/api/v1/plans/", payload, format="json"), 201)
    ctx.ids["plan"] = payload["uuid"]


def _setup_citizen(ctx: Ctx) -> None:
    body = _ok(ctx.client(None).post("/api/v1/public/citizen-reports", _citizen(ctx)), 201)
    ctx.ids["citizen"] = body["tracking_code"]


def _setup_directive(ctx: Ctx) -> None:
    body = _ok(
        ctx.client(Role.POLSEK).post(
            "/api/v1/directives/",
            {"unit": "POLSEK-A1A", "title": "Patroli", "body": "Patroli malam."},
            format="json",
        ),
        201,
    )
    ctx.ids["directive"] = body["id"]


def _setup_incident(ctx: Ctx) -> None:
    body = _ok(ctx.client(Role.POLSEK).post("/api/v1/incidents/", _incident(ctx), format="json"))
    ctx.ids["incident"] = body["id"]


def _last_month() -> str:
    first = dt.date.today().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _setup_submitted(ctx: Ctx) -> None:
    _ok(
        ctx.client(Role.POLSEK).post(
            f"/api/v1/evaluations/POLSEK-A1A/{_last_month()}/submit", {}, format="json"
        ),
        201,
    )


def _setup_record(kind: str) -> Callable[[Ctx], None]:
    def make(ctx: Ctx) -> None:
        village = ctx.world.villages["polsek_a1a"].code
        body = _ok(
            ctx.client(Role.OFFICER).post(
                f"/api/v1/villages/{village}/{kind}", RECORDS[kind][1], format="json"
            ),
            201,
        )
        ctx.ids[kind] = body["id"]

    return make


# --- the writes ------------------------------------------------------------------------


@dataclass
class Write:
    name: str
    method: str
    path: str  # as in the OpenAPI document
    role: str | None
    url: Callable[[Ctx], str]
    payload: Callable[[Ctx], dict[str, Any]] = lambda ctx: {}
    models: tuple[type[Model], ...] = ()
    setup: Callable[[Ctx], None] | None = None
    only: str = ""  # only the fields under this prefix (variants of one write)
    partial: bool = False  # PATCH: each bad field is sent alone
    skip: tuple[str, ...] = ()  # fields that take anything on purpose


def _village(ctx: Ctx) -> str:
    return str(ctx.world.villages["polsek_a1a"].code)


REPORT_MODELS = (
    ActivityReport,
    HouseholdVisit,
    HouseholdConcern,
    InformationReport,
    ProblemCase,
    ReportPhoto,
)
CITIZEN_MODELS = (CitizenReport, CitizenEvent, CitizenAttachment)

WRITES: list[Write] = [
    Write(
        "token",
        "post",
        "/api/v1/auth/token",
        None,
        lambda ctx: "/api/v1/auth/token",
        lambda ctx: {"username": "user-officer", "password": "correct horse battery staple"},
    ),
    Write(
        "account create",
        "post",
        "/api/v1/accounts/",
        Role.POLRES,
        lambda ctx: "/api/v1/accounts/",
        lambda ctx: {"officer": ctx.world.officers["polsek_a1b"].nrp},
        (User, Activation),
    ),
    Write(
        "account import",
        "post",
        "/api/v1/accounts/import",
        Role.POLRES,
        lambda ctx: "/api/v1/accounts/import",
        lambda ctx: {"dry_run": False},
        (User, Activation),
    ),
    Write(
        "assignment start",
        "post",
        "/api/v1/assignments/",
        Role.POLSEK,
        lambda ctx: "/api/v1/assignments/",
        lambda ctx: {
            "officer": ctx.world.officers["polsek_a1a"].nrp,
            "village": ctx.world.free_villages["polsek_a1a"].code,
            "start_date": _today(),
        },
        (Assignment,),
    ),
    Write(
        "assignment end",
        "post",
        "/api/v1/assignments/{id}/end",
        Role.POLSEK,
        lambda ctx: f"/api/v1/assignments/{ctx.world.assignments['polsek_a1a'].pk}/end",
        lambda ctx: {"end_date": _today()},
        (Assignment,),
    ),
    Write(
        "historical count import",
        "post",
        "/api/v1/historical-counts/import",
        Role.POLSEK,
        lambda ctx: "/api/v1/historical-counts/import",
        lambda ctx: {"dry_run": False},
        (HistoricalCount,),
    ),
    Write(
        "plan create",
        "post",
        "/api/v1/plans/",
        Role.OFFICER,
        lambda ctx: "/api/v1/plans/",
        _plan,
        (PlanItem,),
    ),
    Write(
        "plan change",
        "patch",
        "/api/v1/plans/{uuid}",
        Role.OFFICER,
        lambda ctx: f"/api/v1/plans/{ctx.ids['plan']}",
        models=(PlanItem,),
        setup=_setup_plan,
        partial=True,
    ),
    Write(
        "plan comment",
        "post",
        "/api/v1/plans/{uuid}/comments",
        Role.POLSEK,
        lambda ctx: f"/api/v1/plans/{ctx.ids['plan']}/comments",
        lambda ctx: {"text": "Bagus"},
        (PlanComment,),
        _setup_plan,
    ),
    Write(
        "report create",
        "post",
        "/api/v1/reports/",
        Role.OFFICER,
        lambda ctx: "/api/v1/reports/",
        _report,
        REPORT_MODELS,
        only="!",  # the top-level fields; the sections below have their own variants
    ),
    Write(
        "report create (household visit)",
        "post",
        "/api/v1/reports/",
        Role.OFFICER,
        lambda ctx: "/api/v1/reports/",
        _dds,
        REPORT_MODELS,
        only="household.",
    ),
    Write(
        "report create (early detection)",
        "post",
        "/api/v1/reports/",
        Role.OFFICER,
        lambda ctx: "/api/v1/reports/",
        _information,
        REPORT_MODELS,
        only="information.",
    ),
    Write(
        "report create (problem solving)",
        "post",
        "/api/v1/reports/",
        Role.OFFICER,
        lambda ctx: "/api/v1/reports/",
        _problem,
        REPORT_MODELS,
        only="problem.",
    ),
    Write(
        "report change",
        "patch",
        "/api/v1/reports/{uuid}",
        Role.OFFICER,
        lambda ctx: f"/api/v1/reports/{ctx.ids['report']}",
        models=REPORT_MODELS,
        setup=_setup_report,
        only="!",
        partial=True,
    ),
    Write(
        "report review",
        "post",
        "/api/v1/reports/{uuid}/review",
        Role.POLSEK,
        lambda ctx: f"/api/v1/reports/{ctx.ids['report']}/review",
        lambda ctx: {"decision": "return", "comment": "Tambahkan foto."},
        REPORT_MODELS,
        _setup_report,
    ),
    Write(
        "bulk review",
        "post",
        "/api/v1/reports/review",
        Role.POLSEK,
        lambda ctx: "/api/v1/reports/review",
        lambda ctx: {"reports": [ctx.ids["report"]]},
        REPORT_MODELS,
        _setup_report,
    ),
    Write(
        "signal explain",
        "post",
        "/api/v1/reports/{uuid}/signals/{code}/explain",
        Role.POLSEK,
        lambda ctx: f"/api/v1/reports/{ctx.ids['report']}/signals/text_copy/explain",
        lambda ctx: {"reason": "Patroli bersama."},
        (*REPORT_MODELS, SignalNote),
        _setup_report,
    ),
    Write(
        "late report",
        "post",
        "/api/v1/officers/{nrp}/late-reports",
        Role.POLSEK,
        lambda ctx: f"/api/v1/officers/{ctx.world.officers['polsek_a1a'].nrp}/late-reports",
        lambda ctx: _report(
            ctx,
            occurred_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=60)).isoformat(),
            reason="Ponsel rusak.",
        ),
        REPORT_MODELS,
    ),
    Write(
        "report escalate",
        "post",
        "/api/v1/reports/{uuid}/escalate",
        Role.OFFICER,
        lambda ctx: f"/api/v1/reports/{ctx.ids['report']}/escalate",
        lambda ctx: {"unit": "POLRES-A1"},
        REPORT_MODELS,
        _setup_information,
    ),
    Write(
        "visit confirmation",
        "post",
        "/api/v1/public/visits/{token}",
        None,
        lambda ctx: f"/api/v1/public/visits/{ctx.ids['token']}",
        lambda ctx: {"rating": 4, "message": "Terima kasih"},
        (VisitConfirmation,),
        _setup_visit,
    ),
    Write(
        "resident's report",
        "post",
        "/api/v1/public/citizen-reports",
        None,
        lambda ctx: "/api/v1/public/citizen-reports",
        _citizen,
        CITIZEN_MODELS,
        skip=("website",),  # the honeypot: a bot that fills it gets a decoy answer
    ),
    Write(
        "resident's report status",
        "post",
        "/api/v1/citizen-reports/{code}/status",
        Role.POLSEK,
        lambda ctx: f"/api/v1/citizen-reports/{ctx.ids['citizen']}/status",
        lambda ctx: {"status": "in_progress", "note": "Ditangani", "reason": ""},
        CITIZEN_MODELS,
        _setup_citizen,
    ),
    Write(
        "resident's report assignment",
        "post",
        "/api/v1/citizen-reports/{code}/assign",
        Role.POLSEK,
        lambda ctx: f"/api/v1/citizen-reports/{ctx.ids['citizen']}/assign",
        lambda ctx: {"officer": ctx.world.colleague.nrp if ctx.world.colleague else ""},
        CITIZEN_MODELS,
        _setup_citizen,
    ),
    Write(
        "resident's report answer",
        "post",
        "/api/v1/citizen-reports/{code}/answer",
        Role.POLSEK,
        lambda ctx: f"/api/v1/citizen-reports/{ctx.ids['citizen']}/answer",
        lambda ctx: {"note": "Sudah kami patroli."},
        CITIZEN_MODELS,
        _setup_citizen,
    ),
    Write(
        "directive issue",
        "post",
        "/api/v1/directives/",
        Role.POLSEK,
        lambda ctx: "/api/v1/directives/",
        lambda ctx: {
            "unit": "POLSEK-A1A",
            "title": "Patroli",
            "body": "Patroli malam.",
            "due_date": _today(),
        },
        (Directive, DirectiveReceipt),
    ),
    Write(
        "directive complete",
        "post",
        "/api/v1/directives/{id}/complete",
        Role.OFFICER,
        lambda ctx: f"/api/v1/directives/{ctx.ids['directive']}/complete",
        lambda ctx: {"note": "Sudah"},
        (Directive, DirectiveReceipt),
        _setup_directive,
    ),
    Write(
        "evaluation submit",
        "post",
        "/api/v1/evaluations/{code}/{month}/submit",
        Role.POLSEK,
        lambda ctx: f"/api/v1/evaluations/POLSEK-A1A/{_last_month()}/submit",
        lambda ctx: {"summary": "Lengkap."},
        (MonthlyEvaluation,),
    ),
    Write(
        "evaluation decision",
        "post",
        "/api/v1/evaluations/{code}/{month}/decision",
        Role.POLRES,
        lambda ctx: f"/api/v1/evaluations/POLSEK-A1A/{_last_month()}/decision",
        lambda ctx: {"approve": False, "note": "Lengkapi."},
        (MonthlyEvaluation,),
        _setup_submitted,
    ),
    Write(
        "incident record",
        "post",
        "/api/v1/incidents/",
        Role.POLSEK,
        lambda ctx: "/api/v1/incidents/",
        _incident,
        (Incident,),
    ),
    Write(
        "incident change",
        "patch",
        "/api/v1/incidents/{id}",
        Role.POLSEK,
        lambda ctx: f"/api/v1/incidents/{ctx.ids['incident']}",
        models=(Incident,),
        setup=_setup_incident,
        partial=True,
    ),
    Write(
        "incident import",
        "post",
        "/api/v1/incidents/import",
        Role.POLSEK,
        lambda ctx: "/api/v1/incidents/import",
        lambda ctx: {"dry_run": False},
        (Incident,),
    ),
    Write(
        "person of interest",
        "post",
        "/api/v1/persons-of-interest/",
        Role.POLRES,
        lambda ctx: "/api/v1/persons-of-interest/",
        lambda ctx: {"name": "Fulan", "alias": "", "village": _village(ctx), "note": ""},
        (PersonOfInterest,),
    ),
    Write(
        "village profile",
        "put",
        "/api/v1/villages/{code}/profile",
        Role.OFFICER,
        lambda ctx: f"/api/v1/villages/{_village(ctx)}/profile",
        lambda ctx: {
            "households": 100,
            "rt_count": 4,
            "rw_count": 2,
            "livelihoods": "Tani",
            "religions": {"islam": 90, "kristen": 10},
            "ethnic_groups": {"sunda": 100},
            "geography": "",
            "access_notes": "",
            "factors": [{"factor": "drugs", "level": "low", "note": ""}],
        },
        (VillageProfile, VulnerabilityFactor),
    ),
]
for _kind, _model in {
    "equipment": Equipment,
    "budget": Budget,
    "allowance": Allowance,
    "training": Training,
}.items():
    WRITES.append(
        Write(
            f"{_kind} import",
            "post",
            f"/api/v1/resources/{_kind}/import",
            Role.POLRES,
            lambda ctx, k=_kind: f"/api/v1/resources/{k}/import",  # type: ignore[misc]
            lambda ctx: {"dry_run": False},
            (_model,),
        )
    )
for _kind, (_name, _payload) in RECORDS.items():
    _models: tuple[type[Model], ...] = (
        {"figures": KeyFigure, "partners": VillagePartner, "posts": PoskamlingPost}.get(
            _kind, VulnerableSpot
        ),
    )
    WRITES += [
        Write(
            f"village {_name} add",
            "post",
            f"/api/v1/villages/{{code}}/{_kind}",
            Role.OFFICER,
            lambda ctx, k=_kind: f"/api/v1/villages/{_village(ctx)}/{k}",  # type: ignore[misc]
            lambda ctx, p=_payload: copy.deepcopy(p),  # type: ignore[misc]
            _models,
        ),
        Write(
            f"village {_name} change",
            "patch",
            f"/api/v1/villages/{{code}}/{_kind}/{{id}}",
            Role.OFFICER,
            lambda ctx, k=_kind: f"/api/v1/villages/{_village(ctx)}/{k}/{ctx.ids[k]}",  # type: ignore[misc]
            models=_models,
            setup=_setup_record(_kind),
            partial=True,
        ),
    ]


# The caller's own notifications (issue 19): a browser's push subscription, and choices.
WRITES += [
    Write(
        "push subscription",
        "post",
        "/api/v1/me/push-subscriptions",
        Role.OFFICER,
        lambda ctx: "/api/v1/me/push-subscriptions",
        lambda ctx: Browser("https://fcm.googleapis.com/fcm/send/bad-inputs").subscription(),
        (PushSubscription, NotificationPreference),
    ),
    Write(
        "notification preferences",
        "put",
        "/api/v1/me/notification-preferences",
        Role.OFFICER,
        lambda ctx: "/api/v1/me/notification-preferences",
        lambda ctx: {"directive": True, "report_returned": False, "citizen_report": True},
        (NotificationPreference,),
    ),
]


# --- the matrix ------------------------------------------------------------------------

_SCHEMA: dict[str, Any] = {}


def openapi() -> dict[str, Any]:
    if not _SCHEMA:
        response = Client().get("/api/openapi.json")
        assert response.status_code == 200
        _SCHEMA.update(response.json())
    return _SCHEMA


def write_fields(write: Write) -> list[Field]:
    schema = openapi()
    operation = schema["paths"][write.path][write.method]
    content = operation.get("requestBody", {}).get("content", {})
    if not content:
        return []
    body = content.get("application/json") or next(iter(content.values()))
    fields = fields_from_schema(body["schema"], schema["components"]["schemas"])
    if write.only == "!":
        return [f for f in fields if "." not in f.name and f.name not in write.skip]
    return [f for f in fields if f.name.startswith(write.only) and f.name not in write.skip]


def snapshot(models: tuple[type[Model], ...]) -> dict[str, list[dict[str, Any]]]:
    return {m.__name__: list(m._base_manager.order_by("pk").values()) for m in models}


def with_value(payload: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    payload = copy.deepcopy(payload)
    *outer, leaf = name.split(".")
    target = payload
    for part in outer:
        target = target.setdefault(part, {})
    target[leaf] = value
    return payload


def names_field(body: Any, name: str) -> bool:
    fields = body.get("error", {}).get("fields", {}) if isinstance(body, dict) else {}
    return any(key == name or key.startswith(name + ".") for key in fields)


def test_the_catalogue_covers_every_api_write() -> None:
    """A write added to the API without an entry here fails this test."""
    schema = openapi()
    writes = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch")
        and operations[method].get("requestBody", {}).get("content")
    }
    covered = {(w.method, w.path) for w in WRITES} | {
        ("put", "/api/v1/reports/{uuid}/photos/{photo_uuid}")  # files: test_bad_files.py
    }
    assert writes - covered == set()


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_every_bad_value_is_a_field_error_that_writes_nothing(world: World, write: Write) -> None:
    ctx = Ctx(world)
    if write.setup:
        write.setup(ctx)
    client = ctx.client(write.role)
    base = {} if write.partial else write.payload(ctx)
    failures: list[str] = []
    tried = 0
    before = snapshot(write.models)
    for fld in write_fields(write):
        for bad in bad_values(fld):
            if write.partial and "." in fld.name:
                continue
            tried += 1
            payload = with_value(base, fld.name, bad.value)
            if "uuid" in base and fld.name != "uuid":
                payload["uuid"] = str(uuid.uuid4())  # each try a new record, never a 409
            # Encoded here, as a client would: a lone surrogate travels as "\ud800".
            response = getattr(client, write.method)(
                write.url(ctx), json.dumps(payload), content_type="application/json"
            )
            body = response.json() if response["Content-Type"] == "application/json" else None
            where = f"{fld.name} = {bad.label} ({bad.family})"
            if response.status_code not in ACCEPTED_STATUS:
                failures.append(f"{where}: {response.status_code} {str(body)[:300]}")
            elif not names_field(body, fld.name):
                failures.append(f"{where}: the error does not name the field: {str(body)[:300]}")
            after = snapshot(write.models)
            if after != before:
                failures.append(f"{where}: the database changed")
                before = after
    assert not failures, f"{len(failures)} of {tried} bad inputs:\n" + "\n".join(failures)


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_every_bad_body_is_refused_and_writes_nothing(world: World, write: Write) -> None:
    ctx = Ctx(world)
    if write.setup:
        write.setup(ctx)
    client = ctx.client(write.role)
    before = snapshot(write.models)
    failures = []
    for label, content_type, data in BAD_BODIES:
        response = getattr(client, write.method)(
            write.url(ctx), data=data, content_type=content_type
        )
        if response.status_code not in ACCEPTED_STATUS:
            failures.append(f"{label}: {response.status_code} {response.content[:300]!r}")
        elif response["Content-Type"] != "application/json" or "error" not in response.json():
            failures.append(f"{label}: not the one error shape: {response.content[:300]!r}")
        if snapshot(write.models) != before:
            failures.append(f"{label}: the database changed")
            before = snapshot(write.models)
    assert not failures, "\n".join(failures)


def test_the_matrix_tries_thousands_of_bad_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    """The figure the README quotes: every write × field × bad value, and every bad body."""
    values = sum(
        len(bad_values(f))
        for w in WRITES
        for f in write_fields(w)
        if not (w.partial and "." in f.name)
    )
    bodies = len(WRITES) * len(BAD_BODIES)
    with capsys.disabled():
        print(f"\nbad inputs: {values} values and {bodies} bodies on {len(WRITES)} API writes")
    assert values + bodies > 1500


# Codes of another Polda's records, by the name of the field that takes them: out of every
# test user's scope. A unit and an officer are not public (a village is: residents pick it).
FOREIGN_CODES: dict[str, Callable[[World], str]] = {
    "unit": lambda world: str(world.units["polda_b"].code),
    "officer": lambda world: str(world.officers["polsek_b1a"].nrp),
}
# Codes of the same form that name nothing.
MISSING_CODES = {"unit": "NOPE-0000", "officer": "79999999"}


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_a_code_out_of_scope_is_answered_as_a_code_that_names_nothing(
    world: World, write: Write
) -> None:
    """Every write × every unit or officer field: another Polda's code gets the very answer
    of a code that does not exist (status and body, in the reader's language), so that an
    error message never tells whether a record exists."""
    fields = [f for f in write_fields(write) if f.kind == "code" and f.name in FOREIGN_CODES]
    if not fields:
        pytest.skip("no unit or officer field")
    ctx = Ctx(world)
    if write.setup:
        write.setup(ctx)
    client = ctx.client(write.role)
    client.cookies["django_language"] = "id"
    base = write.payload(ctx)
    wrong = []
    for fld in fields:
        answers = []
        for code in (MISSING_CODES[fld.name], FOREIGN_CODES[fld.name](world)):
            payload = with_value(base, fld.name, code)
            if "uuid" in base:
                payload["uuid"] = str(uuid.uuid4())
            response = getattr(client, write.method)(
                write.url(ctx), json.dumps(payload), content_type="application/json"
            )
            answers.append((response.status_code, response.content.decode().replace(code, "{}")))
        if answers[0] != answers[1]:
            wrong.append(f"{fld.name}: missing {answers[0]}, out of scope {answers[1]}")
        assert answers[0][0] in ACCEPTED_STATUS, answers[0]
    assert not wrong, "\n".join(wrong)
