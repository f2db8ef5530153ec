"""Every paginated list pages with its filters kept ({% pagination page %}).

For each list: enough rows that match the filters for two pages, and one that does not.
The filtered first page links to a second that keeps every filter (and every other
pager's place), and that second page holds the rest of the rows: none of the first page,
none that the filters leave out.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from sambang.fieldwork import services as fieldwork_services
from sambang.fieldwork.api.reports import ReportWriteSerializer
from sambang.fieldwork.models import ActivityReport, ReportState
from sambang.organization.models import Jurisdiction
from sambang.personnel.models import Education, Officer, Rank, Role, User
from sambang.public.models import CitizenReport
from sambang.resources.models import Allowance, Budget, Equipment, Training
from sambang.security.models import Incident, IncidentCategory, PersonOfInterest
from sambang.territory.models import Region, RegionLevel
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


@dataclass
class Listing:
    role: str
    url: str  # the first page, filtered
    row: str  # a pattern whose group names one row
    rows: set[str]  # the rows the filters keep
    per_page: int
    param: str = "page"


def many_officers(world: World, n: int = 51) -> list[Officer]:
    """``n`` officers of POLSEK-A1A named "Anggota 00"…, besides the world's two."""
    return Officer.objects.bulk_create(
        Officer(
            nrp=f"{81000000 + i}",
            name=f"Anggota {i:02d}",
            rank=Rank.BRIPDA,
            unit=world.units["polsek_a1a"],
            education=Education.SMA,
        )
        for i in range(n)
    )


def reports(world: World) -> Listing:
    payload = report_payload(world)
    payload["uuid"] = uuid.UUID(payload["uuid"])
    data = ReportWriteSerializer(data=payload)
    data.is_valid(raise_exception=True)
    first, _ = fieldwork_services.report_create(
        officer=world.officers["polsek_a1a"], data=data.validated_data
    )
    values = {
        f.attname: getattr(first, f.attname)
        for f in ActivityReport._meta.concrete_fields
        if f.name not in ("id", "uuid", "occurred_at", "state")
    }
    copies = ActivityReport.objects.bulk_create(
        ActivityReport(
            **values,
            uuid=uuid.uuid4(),
            occurred_at=first.occurred_at - dt.timedelta(minutes=i + 1),
            state=ReportState.SENT if i else ReportState.APPROVED,
        )
        for i in range(33)
    )
    kept = {str(r.uuid) for r in [first, *copies] if r.state == ReportState.SENT}
    return Listing(
        Role.POLSEK,
        "/field/reports/?state=sent&type=kegiatan-desa",
        r'href="/field/reports/([0-9a-f-]{36})/"',
        kept,
        30,
    )


def citizen_reports(world: World) -> Listing:
    now = timezone.now()
    made = CitizenReport.objects.bulk_create(
        CitizenReport(
            tracking_code=f"TEST{i:04d}",
            category="other" if i == 0 else "crime",
            description="Motor hilang di depan rumah.",
            village=world.villages["polsek_a1a"],
            unit=world.units["polsek_a1a"],
            received_at=now - dt.timedelta(minutes=i),
            due_at=now + dt.timedelta(days=1),
        )
        for i in range(33)
    )
    return Listing(
        Role.POLSEK,
        "/citizen-reports/?status=received&category=crime",
        r'href="/citizen-reports/(TEST\d{4})/"',
        {r.tracking_code for r in made if r.category == "crime"},
        30,
    )


def incidents(world: World) -> Listing:
    brawl, other = IncidentCategory.objects.filter(parent__isnull=False)[:2]
    made = Incident.objects.bulk_create(
        Incident(
            category=other if i == 0 else brawl,
            occurred_at=timezone.now() - dt.timedelta(hours=i),
            village=world.villages["polsek_a1a"],
            unit=world.units["polsek_a1a"],
            description="Keributan di jalan desa.",
        )
        for i in range(33)
    )
    return Listing(
        Role.POLSEK,
        f"/incidents/?category={brawl.code}",
        r'href="/incidents/(\d+)/"',
        {str(i.pk) for i in made if i.category_id == brawl.pk},
        30,
    )


def persons(world: World) -> Listing:
    made = PersonOfInterest.objects.bulk_create(
        PersonOfInterest(
            name="Orang Sama" if i < 2 else f"Orang {i:02d}",  # two of the same name
            village=world.villages["polsek_a1a"],
            unit=world.units["polsek_a1a"],
            recorded_by=world.users[Role.POLRES],
            retain_until=dt.date.today() + dt.timedelta(days=365),
            note=f"catatan-{i:02d}",
        )
        for i in range(32)
    )
    # The list has no filter: the second page is the second page.
    return Listing(
        Role.POLRES,
        "/persons-of-interest/",
        r"<td>(catatan-\d\d)</td>",
        {p.note for p in made},
        30,
    )


def resources(kind: str) -> Callable[[World], Listing]:
    def make(world: World) -> Listing:
        a1a, a1b = world.units["polsek_a1a"], world.units["polsek_a1b"]
        officers = many_officers(world)
        if kind == "equipment":
            made: list = Equipment.objects.bulk_create(
                Equipment(unit=a1a, officer=o, kind="vest", good=1) for o in officers
            )
            Equipment.objects.create(unit=a1b, kind="vest", good=1)
        elif kind == "budget":
            made = Budget.objects.bulk_create(
                Budget(unit=a1a, fiscal_year=1970 + i, category="bimkamsa", allocation_idr=1)
                for i in range(51)
            )
            Budget.objects.create(unit=a1b, fiscal_year=2026, category="other", allocation_idr=1)
        elif kind == "allowance":
            made = Allowance.objects.bulk_create(
                Allowance(unit=a1a, fiscal_year=1970 + i, monthly_idr=1) for i in range(51)
            )
            Allowance.objects.create(unit=a1b, fiscal_year=2026, monthly_idr=1)
        else:
            made = Training.objects.bulk_create(
                Training(officer=o, course="other", start_date=dt.date(2025, 1, 1))
                for o in officers
            )
            Training.objects.create(
                officer=world.officers["polsek_a1b"], course="other", start_date=dt.date.today()
            )
        return Listing(
            Role.POLRES,
            f"/resources/{kind}/?unit=POLSEK-A1A",
            rf'href="/resources/{kind}/(\d+)/"',
            {str(r.pk) for r in made},
            50,
        )

    return make


def officers(world: World) -> Listing:
    made = many_officers(world)
    return Listing(
        Role.POLSEK,
        "/officers/?q=anggota&status=active",
        r'href="/officers/(\d{8})/"',
        {o.nrp for o in made},
        50,
    )


def supervisor_accounts(world: World) -> Listing:
    for i in range(51):
        User.objects.create_user(
            username=f"kanit-{i:02d}", role=Role.POLSEK, unit=world.units["polsek_a1a"]
        )
    User.objects.create_user(
        username="wakapolsek", role=Role.POLSEK, unit=world.units["polsek_a1a"]
    )
    return Listing(
        Role.POLRES,
        "/accounts/logins/accounts/?q=kanit&without=1",
        r"<td>(kanit-\d\d)</td>",
        {f"kanit-{i:02d}" for i in range(51)},
        50,
    )


def uncovered_villages(world: World) -> set[str]:
    """Give POLSEK-A1A every village of Bekasi no unit covers: villages enough for pages."""
    unit = world.units["polsek_a1a"]
    free = Region.objects.filter(
        level=RegionLevel.VILLAGE, code__startswith="32.16.", jurisdiction__isnull=True
    )
    Jurisdiction.objects.bulk_create(
        Jurisdiction(unit=unit, village=v) for v in free.order_by("code")[:60]
    )
    assert world.colleague_village is not None
    covered = {world.villages["polsek_a1a"].code, world.colleague_village.code}
    codes = set(Region.objects.filter(jurisdiction__unit=unit).values_list("code", flat=True))
    assert len(codes - covered) > 50
    return codes - covered


def unit_villages(world: World) -> Listing:
    many_officers(world)
    # The officers' pager stands at its second page: the villages' pager keeps it there.
    return Listing(
        Role.POLSEK,
        "/units/POLSEK-A1A/?uncovered=1&officer_page=2",
        r'href="/villages/(\d\d\.\d\d\.\d\d\.\d{4})/"',
        uncovered_villages(world),
        50,
        param="village_page",
    )


def unit_officers(world: World) -> Listing:
    made = many_officers(world)
    uncovered_villages(world)
    assert world.colleague is not None
    every = {o.nrp for o in made} | {world.officers["polsek_a1a"].nrp, world.colleague.nrp}
    return Listing(
        Role.POLSEK,
        "/units/POLSEK-A1A/?uncovered=1&village_page=2",
        r'<tr><td><a href="/officers/(\d{8})/"',
        every,
        50,
        param="officer_page",
    )


LISTS = {
    "reports": reports,
    "residents-reports": citizen_reports,
    "incidents": incidents,
    "persons-of-interest": persons,
    "equipment": resources("equipment"),
    "budget": resources("budget"),
    "allowance": resources("allowance"),
    "training": resources("training"),
    "officers": officers,
    "supervisor-accounts": supervisor_accounts,
    "unit-villages": unit_villages,
    "unit-officers": unit_officers,
}


def pager_link(page: str, url: str, param: str, rel: str) -> str:
    """The href of the pager link ``rel`` (next or prev) that moves ``param`` from ``url``."""
    now = parse_qs(urlsplit(url).query).get(param, ["1"])
    links = [html.unescape(h) for h in re.findall(rf'<a href="([^"]+)" rel="{rel}">', page)]
    moving = [h for h in links if parse_qs(urlsplit(h).query).get(param) != now]
    assert len(moving) == 1, links
    return moving[0]


@pytest.mark.parametrize("make", LISTS.values(), ids=LISTS.keys())
def test_the_second_page_keeps_the_filters_and_shows_the_rest(
    world: World, make: Callable[[World], Listing]
) -> None:
    listing = make(world)
    assert listing.per_page < len(listing.rows) <= 2 * listing.per_page
    client = Client()
    client.force_login(world.users[listing.role])
    first = client.get(listing.url)
    assert first.status_code == 200
    on_first = re.findall(listing.row, first.content.decode())
    assert len(on_first) == listing.per_page and set(on_first) <= listing.rows

    path, query = urlsplit(listing.url).path, parse_qs(urlsplit(listing.url).query)
    following = pager_link(first.content.decode(), listing.url, listing.param, "next")
    assert parse_qs(urlsplit(following).query) == {**query, listing.param: ["2"]}
    second = client.get(path + following)
    assert second.status_code == 200
    on_second = re.findall(listing.row, second.content.decode())
    assert set(on_second) == listing.rows - set(on_first)
    assert len(on_second) == len(listing.rows) - listing.per_page

    back = pager_link(second.content.decode(), following, listing.param, "prev")
    assert parse_qs(urlsplit(back).query) == {**query, listing.param: ["1"]}
