"""Hostile text is valid text: stored as typed, and inert wherever it comes back.

Pages escape it, the Anev PDF draws it literally, and spreadsheets (CSV, XLSX) never
read it as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zlib
from typing import Any

import openpyxl
import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.bad_inputs import FORMULA_STARTS, HOSTILE_TEXT
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('sambang')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


def api(world: World, role: str | None) -> APIClient:
    client = APIClient()
    if role:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def page(world: World, role: str, url: str) -> str:
    client = Client()
    client.force_login(world.users[role])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_escaped(text: str, *payloads: str) -> None:
    for payload in payloads:
        assert payload not in text
        assert html.escape(payload) in text or html.escape(payload, quote=False) in text, payload


def test_every_hostile_text_is_stored_as_typed(world: World) -> None:
    officer = api(world, Role.OFFICER)
    for text in HOSTILE_TEXT:
        payload = report_payload(world, narrative=f"Laporan kegiatan. {text}", outcome=text)
        response = officer.post("/api/v1/reports/", payload, format="json")
        assert response.status_code == 201, (text, response.json())
        body = officer.get(f"/api/v1/reports/{payload['uuid']}").json()
        # Leading and trailing white space is trimmed (DRF's default), the rest kept.
        assert (body["narrative"], body["outcome"]) == (payload["narrative"], text.strip())


def test_a_report_with_markup_is_escaped_on_its_pages(world: World) -> None:
    payload = report_payload(
        world, narrative=f"Rapat warga {SCRIPT}", outcome=ATTRIBUTE, partners_other=SCRIPT
    )
    assert api(world, Role.OFFICER).post("/api/v1/reports/", payload, format="json").status_code
    uuid = payload["uuid"]
    for role in (Role.OFFICER, Role.POLSEK):
        assert_escaped(page(world, role, f"/field/reports/{uuid}/"), SCRIPT, ATTRIBUTE)
        assert SCRIPT not in page(world, role, "/field/reports/")
    form = page(world, Role.OFFICER, f"/field/reports/{uuid}/edit/")
    assert_escaped(form, SCRIPT, ATTRIBUTE)


def test_a_residents_report_with_markup_is_escaped_for_staff_and_resident(world: World) -> None:
    village = world.villages["polsek_a1a"].code
    body = (
        api(world, None)
        .post(
            "/api/v1/public/citizen-reports",
            {"category": "crime", "description": f"Pencurian {SCRIPT}", "village": village,
             "place": ATTRIBUTE, "anonymous": True},
            format="json",
        )
        .json()
    )  # fmt: skip
    code = body["tracking_code"]
    answer = api(world, Role.POLSEK).post(
        f"/api/v1/citizen-reports/{code}/answer", {"note": f"Ditangani {SCRIPT}"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    status_page = Client().get(f"/lapor/status/{code}/").content.decode()
    assert_escaped(status_page, SCRIPT)
    assert_escaped(page(world, Role.POLSEK, f"/citizen-reports/{code}/"), SCRIPT, ATTRIBUTE)


def test_an_incident_and_a_plan_with_markup_are_escaped(world: World) -> None:
    polsek = api(world, Role.POLSEK)
    incident = polsek.post(
        "/api/v1/incidents/",
        {
            "category": "tawuran-pelajar",
            "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat(),
            "village": world.villages["polsek_a1a"].code,
            "description": f"Tawuran {SCRIPT}",
            "modus_operandi": ATTRIBUTE,
        },
        format="json",
    ).json()
    assert_escaped(page(world, Role.POLSEK, f"/incidents/{incident['id']}/"), SCRIPT, ATTRIBUTE)
    plan = {
        "uuid": "6f1c1c1e-0000-4000-8000-000000000001",
        "activity_type": "kegiatan-desa",
        "village": world.villages["polsek_a1a"].code,
        "date": dt.date.today().isoformat(),
        "target": ATTRIBUTE,
        "notes": SCRIPT,
    }
    assert api(world, Role.OFFICER).post("/api/v1/plans/", plan, format="json").status_code == 201
    polsek.post(f"/api/v1/plans/{plan['uuid']}/comments", {"text": SCRIPT}, format="json")
    assert_escaped(page(world, Role.POLSEK, f"/field/plans/{plan['uuid']}/"), SCRIPT, ATTRIBUTE)


def _pdf_text(data: bytes) -> str:
    """The text-drawing operators of every (deflated) content stream of a PDF."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            texts.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            texts.append(stream.decode("latin-1"))
    return "\n".join(texts)


def test_the_anev_pdf_draws_hostile_names_literally(world: World) -> None:
    unit = world.units["polsek_a1a"]
    unit.name = SCRIPT
    unit.save(update_fields=["name"])
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    client = Client()
    client.force_login(world.users[Role.POLSEK])
    response = client.get(f"/anev/POLSEK-A1A/{month}/?export=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.getvalue())
    # PDF strings escape their parentheses: the name is drawn as text, character for character.
    assert "<script>alert\\('sambang'\\)</script>" in text


def _export(world: World, role: str, url: str) -> Any:
    client = Client()
    client.force_login(world.users[role])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.getvalue()


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _formula_cells(values: list[Any]) -> list[str]:
    """Cells a spreadsheet would evaluate (a negative number is only a number)."""
    return [
        v for v in values if isinstance(v, str) and v.startswith(FORMULA_STARTS) and not _number(v)
    ]


def test_spreadsheets_never_start_a_formula(world: World) -> None:
    officer = api(world, Role.OFFICER)
    formulas = [t for t in HOSTILE_TEXT if t.startswith(FORMULA_STARTS)]
    assert len(formulas) >= 5
    for text in formulas:
        payload = report_payload(world, narrative=text)
        assert officer.post("/api/v1/reports/", payload, format="json").status_code == 201
    rows = list(csv.reader(io.StringIO(_export(world, Role.POLSEK, "/field/reports/?export=csv")
                                        .decode("utf-8-sig"))))  # fmt: skip
    narratives = [row[rows[0].index("narrative")] for row in rows[1:]]
    stored = [t.strip() for t in formulas]  # the API trims leading white space
    assert sorted(narratives) == sorted(
        "'" + t if t.startswith(FORMULA_STARTS) else t for t in stored
    )
    assert _formula_cells([cell for row in rows for cell in row]) == []
    book = openpyxl.load_workbook(
        io.BytesIO(_export(world, Role.POLSEK, "/field/reports/?export=xlsx"))
    )
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula cell at all
    assert sorted(c.value for c in cells if c.value in stored) == sorted(stored)
    assert all(c.data_type == "s" for c in cells if c.value in stored)  # text cells
