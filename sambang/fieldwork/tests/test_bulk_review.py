"""Approving several reports at once, from the report list and through the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sambang.fieldwork import services
from sambang.fieldwork.models import ActivityReport, ReportState
from sambang.fieldwork.tests.conftest import ClientFor
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

FileReport = Callable[..., ActivityReport]

# Texts different enough not to be taken for copies of each other.
NARRATIVES = {
    1: "Patroli dialogis di pasar pagi, pedagang mengeluhkan parkir liar di depan los ikan.",
    2: "Menghadiri rapat karang taruna tentang turnamen voli antar RW bulan depan.",
    3: "Sosialisasi bahaya narkoba kepada siswa SMP negeri bersama guru bimbingan konseling.",
    4: "Mediasi sengketa batas tanah antara dua warga dusun timur, disepakati ukur ulang.",
    5: "Kunjungan ke posyandu, ibu-ibu kader meminta penerangan jalan menuju balai.",
}


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def sent(file_report: FileReport, unit_key: str = "polsek_a1a", hours: int = 1) -> ActivityReport:
    """A sent report, checked verified or plausible (a distinct text each: no copies)."""
    report = file_report(
        unit_key,
        occurred_at=(dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).isoformat(),
        narrative=NARRATIVES[hours],
    )
    assert report.state == ReportState.SENT
    assert report.integrity_level in ("verified", "plausible"), [
        s for s in report.integrity_signals if s["status"] == "fail"
    ]
    return report


def doubtful(file_report: FileReport, world: World) -> ActivityReport:
    """A sent report whose GPS fix is some 50 km from its village: doubtful."""
    village = world.villages["polsek_a1a"]
    assert village.centroid_lat is not None
    report = file_report(
        latitude=village.centroid_lat + 0.45,
        narrative="Sambang ke pos kamling membahas jadwal ronda bersama ketua RW setempat.",
    )
    assert report.integrity_level == "doubtful"
    return report


def states(*reports: ActivityReport) -> list[str]:
    return [ActivityReport.objects.get(pk=r.pk).state for r in reports]


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_supervisor_approves_the_ticked_reports_from_the_filtered_list(
    world: World, file_report: FileReport
) -> None:
    first, second = sent(file_report, hours=3), sent(file_report, hours=2)
    dubious = doubtful(file_report, world)
    already = sent(file_report, hours=4)
    services.report_review(report=already, reviewer=world.users[Role.POLRES], decision="approve")
    polsek = signed_in(world, Role.POLSEK)

    listing = polsek.get("/field/reports/?state=sent&order=oldest").content.decode()
    for report in (first, second):
        assert f'name="reports" value="{report.uuid}"' in listing
    assert f'value="{dubious.uuid}"' not in listing  # doubtful: no box to tick
    assert "integrity-doubtful" in listing and "integrity-" + first.integrity_level in listing
    assert 'action="/field/reports/review/?state=sent&amp;order=oldest"' in listing

    # The doubtful one sent anyway, and one approved meanwhile by the Polres.
    chosen = [first.uuid, second.uuid, dubious.uuid, already.uuid]
    response = polsek.post("/field/reports/review/?state=sent&order=oldest", {"reports": chosen})
    assert response.status_code == 302
    assert response["Location"] == "/field/reports/?state=sent&order=oldest"
    assert states(first, second, dubious) == ["approved", "approved", "sent"]
    assert ActivityReport.objects.get(pk=first.pk).reviewed_by == world.users[Role.POLSEK]
    assert ActivityReport.objects.get(pk=already.pk).reviewed_by == world.users[Role.POLRES]

    shown = polsek.get(response["Location"])
    said = messages_of(shown)
    assert len(said) == 3 and said[0] == "2 reports approved."
    officer = f"{dubious.officer.name} ({dubious.officer.nrp})"  # each skipped report named
    assert said[1].startswith("Not approved: ") and f"Village activity, {officer}." in said[1]
    assert said[1].endswith("Doubtful: review it on its own page, with the reasons.")
    assert said[2].endswith("It is no longer waiting for review (Approved).")
    page = shown.content.decode()
    assert str(dubious.uuid) in page and str(first.uuid) not in page  # the list, still filtered


def test_bulk_approval_follows_the_scope_on_the_page(world: World, file_report: FileReport) -> None:
    own, sibling = sent(file_report, "polsek_a1a"), sent(file_report, "polsek_a1b", hours=2)
    for role in (Role.OFFICER, Role.ADMIN):
        answer = signed_in(world, role).post("/field/reports/review/", {"reports": [own.uuid]})
        assert answer.status_code == 403
    assert states(own, sibling) == ["sent", "sent"]

    polsek = signed_in(world, Role.POLSEK)
    # A sibling Polsek's report is named like one that does not exist, and nothing is approved.
    response = polsek.post("/field/reports/review/", {"reports": [own.uuid, sibling.uuid]})
    assert response.status_code == 302
    said = messages_of(polsek.get(response["Location"]))
    assert said == [
        f"Choose only reports you can see. No report you can see has the id {sibling.uuid}."
    ]
    assert states(own, sibling) == ["sent", "sent"]
    response = polsek.post(
        "/field/reports/review/", {"reports": ["00000000-0000-4000-8000-000000000000"]}
    )
    assert "Choose only reports you can see." in messages_of(polsek.get(response["Location"]))[0]

    polres = signed_in(world, Role.POLRES)
    assert f'value="{sibling.uuid}"' in polres.get("/field/reports/").content.decode()
    polres.post("/field/reports/review/", {"reports": [own.uuid, sibling.uuid]})
    assert states(own, sibling) == ["approved", "approved"]


def test_nothing_ticked_is_said_and_changes_nothing(world: World, file_report: FileReport) -> None:
    report = sent(file_report)
    polsek = signed_in(world, Role.POLSEK)
    response = polsek.post("/field/reports/review/?state=sent", {})
    assert response["Location"] == "/field/reports/?state=sent"
    said = messages_of(polsek.get(response["Location"]))
    assert said == ["The input is not valid. Choose at least one report."]
    assert states(report) == ["sent"]


def test_the_api_approves_in_bulk_and_answers_for_each_report(
    world: World, file_report: FileReport, client_for: ClientFor
) -> None:
    good = sent(file_report)
    dubious = doubtful(file_report, world)
    already = sent(file_report, hours=5)
    services.report_review(
        report=already, reviewer=world.users[Role.POLSEK], decision="return", comment="Foto?"
    )
    response = client_for(Role.POLRES).post(
        "/api/v1/reports/review",
        {"reports": [str(good.uuid), str(dubious.uuid), str(already.uuid)]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["approved"] == 1
    assert [(r["report"], r["outcome"], r["code"]) for r in body["results"]] == [
        (str(good.uuid), "approved", ""),
        (str(dubious.uuid), "skipped", "doubtful"),
        (str(already.uuid), "skipped", "not_sent"),
    ]
    assert "Doubtful" in body["results"][1]["reason"]
    assert states(good, dubious, already) == ["approved", "sent", "returned"]
    assert ActivityReport.objects.get(pk=good.pk).reviewed_by == world.users[Role.POLRES]


def test_bulk_approval_follows_the_scope_in_the_api(
    world: World, file_report: FileReport, client_for: ClientFor
) -> None:
    own, sibling = sent(file_report, "polsek_a1a"), sent(file_report, "polsek_a1b", hours=2)
    body = {"reports": [str(own.uuid)]}
    for role in (Role.OFFICER, Role.ADMIN):
        answer = client_for(role).post("/api/v1/reports/review", body, format="json")
        assert answer.status_code == 403
    answer = client_for(Role.POLSEK).post(
        "/api/v1/reports/review", {"reports": [str(own.uuid), str(sibling.uuid)]}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {
        "reports": [f"No report you can see has the id {sibling.uuid}."]
    }
    missing = client_for(Role.POLSEK).post(
        "/api/v1/reports/review",
        {"reports": [str(own.uuid), "00000000-0000-4000-8000-000000000000"]},
        format="json",
    )
    assert missing.status_code == 400
    assert states(own, sibling) == ["sent", "sent"]
    answer = client_for(Role.POLDA).post(
        "/api/v1/reports/review", {"reports": [str(own.uuid), str(sibling.uuid)]}, format="json"
    )
    assert answer.json()["approved"] == 2
    assert states(own, sibling) == ["approved", "approved"]


@pytest.mark.worker_behind
def test_a_report_changed_and_not_yet_checked_again_is_not_approved_in_bulk(
    world: World, file_report: FileReport, client_for: ClientFor
) -> None:
    """Its level is the previous version's: the new one may be doubtful (issue 20)."""
    from sambang.fieldwork.processing import mark_pending

    report = sent(file_report)
    mark_pending([report.pk])  # edited a moment ago; the worker has not come yet
    page = signed_in(world, Role.POLSEK).get("/field/reports/?state=sent").content.decode()
    assert f'value="{report.uuid}" form="bulk-review"' not in page
    body = (
        client_for(Role.POLSEK)
        .post("/api/v1/reports/review", {"reports": [str(report.uuid)]}, format="json")
        .json()
    )
    assert [r["code"] for r in body["results"]] == ["unchecked"]
    assert states(report) == ["sent"]
