"""The supervisor's report filters: the review queue oldest first, early-detection
information waiting for the reader, a unit and an officer's name; on the page, in its
downloads and in the API alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sambang.fieldwork import services
from sambang.fieldwork.models import ActivityReport
from sambang.fieldwork.tests.conftest import ClientFor
from sambang.personnel.models import Officer, Role
from sambang.security import services as security_services
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

FileReport = Callable[..., ActivityReport]

# Texts different enough not to be taken for copies of each other.
NARRATIVES = [
    "Patroli dialogis di pasar pagi, pedagang mengeluhkan parkir liar di depan los ikan.",
    "Menghadiri rapat karang taruna tentang turnamen voli antar RW bulan depan.",
    "Sosialisasi bahaya narkoba kepada siswa SMP negeri bersama guru bimbingan konseling.",
    "Mediasi sengketa batas tanah antara dua warga dusun timur, disepakati ukur ulang.",
    "Kunjungan ke posyandu, ibu-ibu kader meminta penerangan jalan menuju balai.",
    "Pengamanan pengajian akbar di masjid jami, arus lalu lintas diatur bersama linmas.",
]
REPORT_LINK = re.compile(r'href="/field/reports/([0-9a-f-]{36})/"')


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def listed(client: Client, query: str) -> list[str]:
    """The report uuids the list page shows for a query string, in their order."""
    response = client.get(f"/field/reports/?{query}")
    assert response.status_code == 200
    return REPORT_LINK.findall(response.content.decode())


def answered(api: Any, query: str) -> list[str]:
    response = api.get(f"/api/v1/reports/?{query}")
    assert response.status_code == 200, response.content
    return [row["uuid"] for row in response.json()["results"]]


def downloaded(client: Client, query: str) -> list[str]:
    response = client.get(f"/field/reports/?export=csv&{query}")
    rows = csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    return [row["uuid"] for row in rows]


def filed(file_report: FileReport, n: int, unit_key: str = "polsek_a1a", **extra: Any) -> str:
    report = file_report(
        unit_key,
        occurred_at=(dt.datetime.now(dt.UTC) - dt.timedelta(hours=n + 1)).isoformat(),
        narrative=NARRATIVES[n],
        **extra,
    )
    return str(report.uuid)


def information(file_report: FileReport, n: int, unit_key: str = "polsek_a1a") -> ActivityReport:
    uuid = filed(
        file_report,
        n,
        unit_key,
        activity_type="deteksi-dini",
        participants=None,
        information={
            "subject": f"Rencana unjuk rasa nomor {n}",
            "place": "Depan pabrik",
            "how_obtained": "informant",
            "aspect": "economy",
            "urgency": "medium",
            "reliability": "B",
            "credibility": 2,
        },
    )
    return ActivityReport.objects.select_related("information").get(uuid=uuid)


def escalate(world: World, report: ActivityReport, unit_key: str) -> None:
    security_services.information_escalate(
        information=report.information,
        officer=report.officer,
        unit_code=world.units[unit_key].code,
    )


def test_the_review_queue_lists_sent_reports_oldest_first(
    world: World, file_report: FileReport, client_for: ClientFor
) -> None:
    newest, middle, oldest = (filed(file_report, n) for n in range(3))
    approved = filed(file_report, 3)
    services.report_review(
        report=ActivityReport.objects.get(uuid=approved),
        reviewer=world.users[Role.POLSEK],
        decision="approve",
    )
    polsek = signed_in(world, Role.POLSEK)
    # The work queue's link, exactly.
    assert listed(polsek, "state=sent&order=oldest") == [oldest, middle, newest]
    assert listed(polsek, "state=sent") == [newest, middle, oldest]
    assert listed(polsek, "order=oldest") == [approved, oldest, middle, newest]
    api = client_for(Role.POLSEK)
    assert answered(api, "state=sent&order=oldest") == [oldest, middle, newest]
    assert answered(api, "state=sent") == [newest, middle, oldest]
    assert downloaded(polsek, "state=sent&order=oldest") == [oldest, middle, newest]


def test_information_waiting_lists_exactly_what_the_reader_may_acknowledge(
    world: World, file_report: FileReport, client_for: ClientFor
) -> None:
    to_polsek = information(file_report, 0)
    escalate(world, to_polsek, "polsek_a1a")
    to_polres = information(file_report, 1)
    escalate(world, to_polres, "polres_a1")
    to_polda = information(file_report, 2)
    escalate(world, to_polda, "polda_a")
    acknowledged = information(file_report, 3)
    escalate(world, acknowledged, "polres_a1")
    kept = information(file_report, 4)  # never escalated
    sibling = information(file_report, 5, "polsek_a1b")
    escalate(world, sibling, "polsek_a1b")
    polres = signed_in(world, Role.POLRES)
    assert polres.post(f"/field/reports/{acknowledged.uuid}/acknowledge/").status_code == 302
    filed(file_report, 4, "polsek_a2a")  # a plain report

    waiting = {
        Role.OFFICER: set(),
        Role.POLSEK: {to_polsek},
        Role.POLRES: {to_polsek, to_polres, sibling},
        Role.POLDA: {to_polsek, to_polres, to_polda, sibling},
        Role.NATIONAL: {to_polsek, to_polres, to_polda, sibling},
    }
    for role, reports in waiting.items():
        expected = sorted(str(r.uuid) for r in reports)
        assert sorted(listed(signed_in(world, role), "escalated=waiting")) == expected, role
        assert sorted(answered(client_for(role), "escalated=waiting")) == expected, role
    assert downloaded(polres, "escalated=waiting") != []
    assert str(kept.uuid) in listed(polres, "")
    # What the filter shows is what the reader may acknowledge, and no more.
    polsek = signed_in(world, Role.POLSEK)
    for report in (to_polres, to_polda, sibling):
        polsek.post(f"/field/reports/{report.uuid}/acknowledge/")
    assert polsek.post(f"/field/reports/{to_polsek.uuid}/acknowledge/").status_code == 302
    assert listed(polsek, "escalated=waiting") == []
    assert sorted(listed(polres, "escalated=waiting")) == sorted(
        [str(to_polres.uuid), str(sibling.uuid)]
    )


def test_supervisors_narrow_the_list_by_unit_and_by_officer_name_or_nrp(
    world: World, file_report: FileReport, client_for: ClientFor
) -> None:
    a1a, a1b = world.officers["polsek_a1a"], world.officers["polsek_a1b"]
    # Two officers of the same name: the NRP tells them apart.
    Officer.objects.filter(pk__in=[a1a.pk, a1b.pk]).update(name="Teguh Sampel")
    mine = filed(file_report, 0, "polsek_a1a")
    theirs = filed(file_report, 1, "polsek_a1b")
    polres = signed_in(world, Role.POLRES)
    page = polres.get("/field/reports/").content.decode()
    assert f'Teguh Sampel <span class="muted">{a1a.nrp}</span>' in page
    assert f'Teguh Sampel <span class="muted">{a1b.nrp}</span>' in page
    options = re.findall(r'<option value="([A-Z0-9-]+)"[^>]*>([^<]+)</option>', page)
    assert options == [("POLSEK-A1A", "Polsek A1A"), ("POLSEK-A1B", "Polsek A1B")]
    assert listed(polres, "unit=POLSEK-A1B") == [theirs]
    assert (
        'value="POLSEK-A1B" selected'
        in polres.get("/field/reports/?unit=POLSEK-A1B").content.decode()
    )
    assert listed(polres, "q=teguh") == [mine, theirs]
    assert listed(polres, f"q={a1b.nrp}") == [theirs]
    assert listed(polres, "q=Budi") == []
    assert listed(polres, "q=sampel&unit=POLSEK-A1A") == [mine]
    assert answered(client_for(Role.POLRES), "q=TEGUH&unit=POLSEK-A1B") == [theirs]
    assert downloaded(polres, f"q={a1a.nrp}") == [mine]

    # A Polsek has no unit to choose; a Polda chooses among its Polres and their Polsek.
    assert (
        'name="unit"' not in signed_in(world, Role.POLSEK).get("/field/reports/").content.decode()
    )
    polda = signed_in(world, Role.POLDA).get("/field/reports/").content.decode()
    assert re.findall(r'<option value="([A-Z0-9-]+)"', polda) == [
        "POLRES-A1",
        "POLSEK-A1A",
        "POLSEK-A1B",
        "POLRES-A2",
        "POLSEK-A2A",
    ]
    assert "— Polsek A1A" in polda
    # National users: the Polda and Polres, and the Polsek of the unit they chose.
    national = signed_in(world, Role.NATIONAL)
    top = re.findall(
        r'<option value="([A-Z0-9-]+)"', national.get("/field/reports/").content.decode()
    )
    assert top == ["POLDA-A", "POLRES-A1", "POLRES-A2", "POLDA-B", "POLRES-B1"]
    chosen = national.get("/field/reports/?unit=POLRES-A1").content.decode()
    assert "POLSEK-A1A" in re.findall(r'<option value="([A-Z0-9-]+)"', chosen)
    assert listed(national, "unit=POLRES-A1") == [mine, theirs]
