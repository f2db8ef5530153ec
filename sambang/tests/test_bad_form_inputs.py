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
from rest_framework.test import APIClient

from sambang.fieldwork import selectors as fieldwork_selectors
from sambang.fieldwork.models import ActivityReport, HouseholdVisit, PlanItem, VisitConfirmation
from sambang.organization.models import Directive, DirectiveReceipt
from sambang.personnel.models import Role
from sambang.public.models import CitizenAttachment, CitizenReport
from sambang.testing.bad_inputs import Field, bad_values
from sambang.testing.fieldwork import household, report_payload
from sambang.testing.world import World

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
