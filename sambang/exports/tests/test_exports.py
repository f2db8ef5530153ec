"""Downloads of tables: scoped like the page, streamed, or written in the background."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from sambang.exports.models import ExportJob, ExportStatus
from sambang.fieldwork.models import ActivityReport
from sambang.personnel.models import Role
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def page(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def file_reports(world: World) -> str:
    """A report of the officer user (Polsek A1A), and one of Polda B's officer."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    payload = report_payload(world)
    assert client.post("/api/v1/reports/", payload, format="json").status_code == 201
    mine = ActivityReport.objects.get(uuid=payload["uuid"])
    theirs = world.officers["polsek_b1a"]
    ActivityReport.objects.create(
        **{
            f.attname: getattr(mine, f.attname)
            for f in ActivityReport._meta.concrete_fields
            if f.name not in ("id", "uuid", "officer", "unit", "village")
        },
        uuid=uuid.uuid4(),
        officer=theirs,
        unit=theirs.unit,
        village=world.villages["polsek_b1a"],
    )
    return payload["uuid"]


def rows_of(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_every_list_downloads_what_the_page_shows_and_no_more(world: World) -> None:
    mine = file_reports(world)
    assert len(rows_of(page(world, Role.NATIONAL).get("/field/reports/?export=csv"))) == 2
    polsek = page(world, Role.POLSEK)
    assert [r["uuid"] for r in rows_of(polsek.get("/field/reports/?export=csv"))] == [mine]
    assert rows_of(polsek.get("/field/reports/?export=csv&integrity=nothing")) == []
    polda = page(world, Role.POLDA).get("/field/reports/?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(polda.getvalue()))
    assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == [mine]
    officers = rows_of(polsek.get("/officers/?export=csv"))
    assert {r["unit"] for r in officers} == {"POLSEK-A1A"}
    workbook = openpyxl.load_workbook(io.BytesIO(polsek.get("/officers/?export=xlsx").getvalue()))
    header = next(workbook.active.iter_rows(values_only=True))
    assert header[:3] == ("nrp", "name", "rank")
    assert rows_of(polsek.get("/incidents/?export=csv")) == []


@pytest.mark.django_db(transaction=True)  # the worker closes its connections between tasks
def test_a_large_xlsx_is_written_in_the_background_and_only_its_owner_downloads_it(
    world: World, settings: Any
) -> None:
    settings.SAMBANG_EXPORT_INLINE_ROWS = 0
    file_reports(world)
    polres = page(world, Role.POLRES)
    response = polres.get("/officers/?export=xlsx&status=active", follow=True)
    assert response.redirect_chain[-1][0] == "/exports/"
    job = ExportJob.objects.get()
    assert (job.status, job.table, job.fmt) == (ExportStatus.QUEUED, "officers", "xlsx")
    assert "Waiting" in response.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay")  # the real worker
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (ExportStatus.DONE, job.total, 4)
    listing = polres.get("/exports/").content.decode()
    assert f"/exports/{job.pk}/download/" in listing
    download = polres.get(f"/exports/{job.pk}/download/")
    book = openpyxl.load_workbook(io.BytesIO(download.getvalue()))
    units = {row[3] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert units == {"POLRES-A1", "POLSEK-A1A", "POLSEK-A1B"}
    assert page(world, Role.POLDA).get(f"/exports/{job.pk}/download/").status_code == 404
    # CSV always streams, whatever its size.
    assert polres.get("/officers/?export=csv")["Content-Type"].startswith("text/csv")
