"""A synthetic country on the real region codes, for benchmarks and trials at scale.

``sambang generate --scale national --months 3`` builds the unit tree (one Polda per
province, one Polres per regency or city, about one Polsek per 1.5 districts), ~41,000
officers covering ~49% of the 83,762 villages, their plans and reports with household
visits, incidents and residents' reports, then the rollups the evaluation reads.

The patterns are those a supervisor meets: more work on weekdays and in office hours,
coverage and diligence that differ between regions (Java and Bali better covered than
Papua), a few officers who game the system, and villages where incidents cluster.
Everything comes from one seed: the same command builds the same country. Rows go in
through COPY on PostgreSQL (``sambang.core.bulk``); names are clearly fake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import h3
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.db.models import Q

from sambang.core.bulk import BulkTable, analyze, next_id, sequences_reset
from sambang.core.errors import ApplicationError
from sambang.demo.fieldwork import ACTIVITY_WEIGHTS, GAMED_TEXTS, PLACES, TOPICS
from sambang.evaluation.rollups import rollups_rebuild
from sambang.fieldwork.catalogue import catalogue_seed
from sambang.fieldwork.models import (
    ActivityReport,
    ActivityType,
    HouseholdVisit,
    IntegrityLevel,
    PlanItem,
    ReportState,
)
from sambang.organization.models import Jurisdiction, Unit, UnitLevel, UnitTimeZone
from sambang.organization.services import unit_path
from sambang.personnel.models import Assignment, Education, Officer, Rank, Role, User
from sambang.public.models import CitizenCategory, CitizenReport, CitizenStatus
from sambang.public.services import CODE_ALPHABET, CODE_LENGTH
from sambang.security.catalogue import categories_seed
from sambang.security.models import Incident, IncidentCategory, IncidentStatus
from sambang.territory.models import MAP_H3_RESOLUTION, Region, RegionLevel
from sambang.territory.services import regions_load

Progress = Callable[[str, int, int], None]  # (stage, done, total)

URBAN_SECOND_OFFICER = 0.3  # share of covered kelurahan with a second officer
GENERATED_PASSWORD = "sambang-generated"  # noqa: S105 - synthetic accounts for trials only

# The region each scale covers (None: the whole country).
SCALES: dict[str, str | None] = {"national": None, "province": "32", "regency": "32.16"}

SHARE_COVERED = 0.49  # villages with an officer, nationally
# Coverage by province relative to the national share: Java and Bali are better staffed.
_COVERAGE = {"31": 1.6, "32": 1.3, "33": 1.3, "34": 1.4, "35": 1.3, "36": 1.2, "51": 1.4}
_COVERAGE_EAST = 0.55  # Papua and Maluku (codes 81–97)
# Kinds of officer: share, mean reports per working day, share of planned items done.
PROFILES = {
    "diligent": (0.30, 3.2, 0.9),
    "average": (0.50, 2.0, 0.65),
    "lazy": (0.15, 0.6, 0.25),
    "gamer": (0.05, 5.0, 0.1),  # many pasted reports, few real visits
}
WEEKDAY = (1.0, 1.0, 1.0, 1.0, 0.8, 0.45, 0.25)  # Monday … Sunday
MAX_REPORTS_A_DAY = 7
# Hour of the day (local) a report is about: office hours, a dip at midday prayers.
_HOURS = [7, 8, 8, 9, 9, 9, 10, 10, 10, 11, 11, 13, 13, 14, 14, 15, 15, 16, 19, 20]
_ACTIVITIES = {**ACTIVITY_WEIGHTS, "jumat-curhat": 1}  # the demo's mix, and Friday talks
_SIGNALS = {
    IntegrityLevel.VERIFIED: [
        {"code": "gps", "status": "pass", "params": {"centroid_m": 420}},
        {"code": "sent", "status": "pass", "params": {"hours": 1}},
        {"code": "text_copy", "status": "pass", "params": {"similarity": 30}},
    ],
    IntegrityLevel.PLAUSIBLE: [
        {"code": "gps", "status": "warn", "params": {"centroid_m": 2600}},
        {"code": "sent", "status": "pass", "params": {"hours": 20}},
    ],
    IntegrityLevel.DOUBTFUL: [
        {"code": "gps", "status": "fail", "params": {"centroid_m": 14000}},
        {"code": "text_copy", "status": "fail", "params": {"similarity": 96}},
    ],
}
# Incidents a month per village, by category code, before regional and hot-spot factors.
INCIDENTS_A_MONTH = {
    "pencurian": 0.05,
    "narkoba": 0.02,
    "tawuran-pelajar": 0.01,
    "kdrt": 0.015,
    "penipuan": 0.02,
    "antar-kelompok": 0.004,
}
HOT_SPOT_SHARE = 0.03
HOT_SPOT_FACTOR = 6.0
CITIZEN_REPORTS_A_MONTH = 0.12  # per village
_ZONES = {7: UnitTimeZone.WIB, 8: UnitTimeZone.WITA, 9: UnitTimeZone.WIT}


@dataclass
class Generated:
    units: int = 0
    villages: int = 0
    officers: int = 0
    covered_villages: int = 0
    plans: int = 0
    reports: int = 0
    household_visits: int = 0
    incidents: int = 0
    citizen_reports: int = 0
    rollups: dict[str, int] = field(default_factory=dict)
    first_day: dt.date | None = None
    last_day: dt.date | None = None


@dataclass
class _Village:
    code: str
    lat: float
    lng: float
    polsek: int = 0


@dataclass
class _Officer:
    id: int
    user_id: int
    unit_id: int
    zone: ZoneInfo
    villages: list[_Village]
    profile: str


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only (all of ours are)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _near(rng: random.Random, village: _Village, metres: float) -> tuple[float, float]:
    lat = village.lat + rng.gauss(0, metres / 111_000)
    lng = village.lng + rng.gauss(0, metres / (111_000 * max(math.cos(math.radians(lat)), 0.2)))
    return round(lat, 6), round(lng, 6)


def _cell(lat: float, lng: float) -> int:
    return int(h3.str_to_int(h3.latlng_to_cell(lat, lng, MAP_H3_RESOLUTION)))


def _coverage(province: str) -> float:
    if province >= "81":
        return SHARE_COVERED * _COVERAGE_EAST
    return min(SHARE_COVERED * _COVERAGE.get(province, 0.9), 0.95)


def default_period(months: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """``months`` whole months ending with the last complete month."""
    today = today or dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first, last


class _Country:
    """The unit tree over the regions of the scale."""

    def __init__(self, rng: random.Random, region: str | None) -> None:
        self.rng = rng
        self.region = region or ""
        # The scale's region, its villages and the regions above it (the Polda's province).
        above = [self.region[:n] for n in (2, 5) if len(self.region) > n]
        regions = Region.objects.filter(
            Q(code__startswith=self.region) | Q(code__in=above)
        ).order_by("code")
        self.rows = list(regions.values_list("code", "name", "level", "utc_offset"))
        self.units: list[Unit] = []
        self.villages: list[_Village] = []

    def build(self) -> list[Unit]:
        names = {code: name for code, name, _, _ in self.rows}
        offsets = {code: offset for code, _, level, offset in self.rows if level == "regency"}
        start = next_id(Unit)
        mabes = self._unit(start, "MABES", "Mabes Polri (Korbinmas)", UnitLevel.MABES, None, 7)
        polda: dict[str, Unit] = {}
        polres: dict[str, Unit] = {}
        polsek_of_district: dict[str, Unit] = {}
        districts_of: dict[str, list[str]] = {}
        for code, _, level, _ in self.rows:
            if level == RegionLevel.DISTRICT:
                districts_of.setdefault(code[:5], []).append(code)
        for code, name, level, _ in self.rows:
            if level == RegionLevel.PROVINCE:
                polda[code] = self._unit(
                    start, f"POLDA-{code}", f"Polda {name}", UnitLevel.POLDA, mabes, 7
                )
            elif level == RegionLevel.REGENCY:
                offset = offsets.get(code) or 7
                unit = self._unit(
                    start,
                    f"POLRES-{code.replace('.', '-')}",
                    f"Polres {name}",
                    UnitLevel.POLRES,
                    polda[code[:2]],
                    offset,
                )
                polres[code] = unit
                # About one Polsek per 1.5 districts: some Polsek cover two districts.
                districts = districts_of.get(code, [])
                i = 0
                while i < len(districts):
                    cover = districts[i : i + (2 if self.rng.random() < 0.45 else 1)]
                    first = cover[0]
                    polsek = self._unit(
                        start,
                        f"POLSEK-{first.replace('.', '-')}",
                        f"Polsek {names[first]}",
                        UnitLevel.POLSEK,
                        unit,
                        offset,
                    )
                    for district in cover:
                        polsek_of_district[district] = polsek
                    i += len(cover)
        Unit.objects.bulk_create(self.units, batch_size=2000)
        villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=self.region)
        for code, lat, lng in villages.order_by("code").values_list(
            "code", "centroid_lat", "centroid_lng"
        ):
            if code[:8] not in polsek_of_district:
                continue
            self.villages.append(
                _Village(code, lat or 0.0, lng or 0.0, polsek_of_district[code[:8]].pk)
            )
        BulkTable(Jurisdiction, ["unit_id", "village_id"]).write(
            (village.polsek, village.code) for village in self.villages
        )
        return self.units

    def _unit(
        self, start: int, code: str, name: str, level: str, parent: Unit | None, offset: int
    ) -> Unit:
        unit = Unit(
            pk=start + len(self.units),
            code=code,
            name=name[:120],
            level=level,
            parent=parent,
            path=unit_path(code, parent),
            timezone=_ZONES.get(offset, UnitTimeZone.WIB),
        )
        self.units.append(unit)
        return unit


class _Writer:
    """The big tables, written officer by officer in chunks."""

    def __init__(self) -> None:
        self.plans = BulkTable(
            PlanItem,
            ["id", "uuid", "officer_id", "unit_id", "activity_type_id", "village_id", "date"],
        )
        self.reports = BulkTable(
            ActivityReport,
            [
                "id",
                "uuid",
                "officer_id",
                "unit_id",
                "activity_type_id",
                "village_id",
                "plan_item_id",
                "occurred_at",
                "latitude",
                "longitude",
                "accuracy_m",
                "cell",
                "narrative",
                "participants",
                "state",
                "submitted_at",
                "integrity_level",
                "integrity_signals",
                "content_hash",
                "created_at",
            ],
        )
        self.visits = BulkTable(HouseholdVisit, ["report_id", "rt", "rw"])
        self.plan_rows: list[tuple[object, ...]] = []
        self.report_rows: list[tuple[object, ...]] = []
        self.visit_rows: list[tuple[object, ...]] = []

    def flush(self) -> None:
        self.plans.write(self.plan_rows)
        self.reports.write(self.report_rows)
        self.visits.write(self.visit_rows)
        self.plan_rows, self.report_rows, self.visit_rows = [], [], []


def generate(
    *,
    scale: str = "national",
    months: int = 1,
    seed: int = 20261123,
    activity: float = 1.0,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Build a synthetic country into an empty database (units and officers); see the
    module docstring. ``activity`` scales the number of reports an officer files."""
    if scale not in SCALES:
        raise ApplicationError(f"Unknown scale {scale!r}: use one of {', '.join(SCALES)}.")
    if months < 1:
        raise ApplicationError("--months must be at least 1.")
    if Unit.objects.exists() or Officer.objects.exists():
        raise ApplicationError(
            "The database already holds units or officers: generate into an empty database."
        )
    region = SCALES[scale]
    report = progress or (lambda stage, done, total: None)
    # The scale's official regions, loaded or refreshed (idempotent; seconds nationally), so
    # that a database holding one regency still gets the whole country.
    report("regions", 0, 1)
    regions_load(
        province=region if region and len(region) == 2 else None,
        regency=region if region and len(region) == 5 else None,
    )
    report("regions", 1, 1)
    catalogue_seed(ActivityType)
    categories_seed(IncidentCategory)
    first_day, last_day = default_period(months, today)
    result = Generated(first_day=first_day, last_day=last_day)
    rng = random.Random(seed)
    with transaction.atomic():
        _skip_key_checks()
        country = _Country(rng, region)
        units = country.build()
        result.units, result.villages = len(units), len(country.villages)
        officers = _officers(rng, country, first_day, result)
        _field_work(seed, officers, first_day, last_day, activity, result, report)
        _incidents(rng, country, units, first_day, last_day, result)
        _citizen_reports(rng, country, first_day, last_day, result)
        sequences_reset(
            Unit,
            User,
            Officer,
            Assignment,
            PlanItem,
            ActivityReport,
            HouseholdVisit,
            Incident,
            CitizenReport,
            Jurisdiction,
        )
    analyze()
    total = len(officers)
    report("rollups", 0, total)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        report("rollups", done[0], total)

    result.rollups = rollups_rebuild(step)
    analyze()
    return result


def _skip_key_checks() -> None:
    """On PostgreSQL, skip the foreign-key triggers for this transaction when allowed
    (superuser): every key written points at a row written just before, and checking tens
    of millions of them one by one at COMMIT takes longer than writing them."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass  # not a superuser: the keys are checked at COMMIT


def _officers(
    rng: random.Random, country: _Country, first_day: dt.date, result: Generated
) -> list[_Officer]:
    """Officers for ~49% of villages (regional shares), one village each, some two; a
    supervisor account per unit."""
    password = make_password(GENERATED_PASSWORD)
    role_of: dict[str, str] = {
        UnitLevel.MABES: Role.NATIONAL,
        UnitLevel.POLDA: Role.POLDA,
        UnitLevel.POLRES: Role.POLRES,
        UnitLevel.POLSEK: Role.POLSEK,
    }
    # Demo accounts (is_demo): the password is published, so they sign in only where the
    # demo mode is on (personnel.auth).
    users = BulkTable(
        User, ["id", "username", "password", "first_name", "role", "unit_id", "is_demo"]
    )
    user_id = next_id(User)
    supervisor_rows = []
    for unit in country.units:
        supervisor_rows.append(
            (
                user_id,
                unit.code.lower(),
                password,
                f"Kepala {unit.name}"[:150],
                role_of[unit.level],
                unit.pk,
                True,
            )
        )
        user_id += 1
    users.write(supervisor_rows)
    zones = {unit.pk: ZoneInfo(unit.timezone) for unit in country.units}
    kinds = list(PROFILES)
    weights = [PROFILES[kind][0] for kind in kinds]
    officers: list[_Officer] = []
    officer_id = next_id(Officer)
    by_polsek: dict[int, list[_Village]] = {}
    for village in country.villages:
        by_polsek.setdefault(village.polsek, []).append(village)
    for polsek, villages in by_polsek.items():
        share = _coverage(villages[0].code[:2])
        covered: list[_Village] = []
        uncovered: list[_Village] = []
        for village in villages:
            (covered if rng.random() < share else uncovered).append(village)
        for village in covered:
            # Both patterns of the field: a rural officer may cover a second village; an
            # urban kelurahan (the code's fourth part starts with 1) may have a second
            # officer, each for a group of RW.
            shares = [[village]]
            if uncovered and rng.random() < 0.05:
                shares[0].append(uncovered.pop())
            if village.code[-4] == "1" and rng.random() < URBAN_SECOND_OFFICER:
                shares.append([village])
            for mine in shares:
                officers.append(
                    _Officer(
                        officer_id,
                        user_id,
                        polsek,
                        zones[polsek],
                        mine,
                        rng.choices(kinds, weights)[0],
                    )
                )
                officer_id += 1
                user_id += 1
    users.write(
        (
            o.user_id,
            f"{80_000_000 + o.id:08d}",
            password,
            f"Bhabin {o.id}",
            Role.OFFICER,
            o.unit_id,
            True,
        )
        for o in officers
    )
    ranks = [Rank.BRIPTU, Rank.BRIGPOL, Rank.BRIPKA, Rank.AIPDA, Rank.AIPTU]
    BulkTable(
        Officer,
        ["id", "nrp", "name", "rank", "unit_id", "education", "dikbangspes_done", "user_id"],
    ).write(
        (
            o.id,
            f"{80_000_000 + o.id:08d}",
            f"Bhabin Rekaan {o.id}",
            rng.choice(ranks),
            o.unit_id,
            Education.SMA if rng.random() < 0.7 else Education.S1,
            rng.random() < 0.55,
            o.user_id,
        )
        for o in officers
    )
    covering = Counter(v.code for o in officers for v in o.villages)
    met: Counter[str] = Counter()  # officers written so far per village: the first is its contact

    def assignment(officer: _Officer, village: _Village) -> tuple[object, ...]:
        met[village.code] += 1
        n = met[village.code]
        area = f"RW {5 * n - 4:02d}-{5 * n:02d}" if covering[village.code] > 1 else ""
        start = first_day - dt.timedelta(days=rng.randint(60, 1800))
        return (officer.id, village.code, start, area, n == 1)

    BulkTable(Assignment, ["officer_id", "village_id", "start_date", "area", "is_contact"]).write(
        assignment(o, v) for o in officers for v in o.villages
    )
    result.officers = len(officers)
    result.covered_villages = len(covering)
    return officers


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _field_work(
    seed: int,
    officers: list[_Officer],
    first_day: dt.date,
    last_day: dt.date,
    activity: float,
    result: Generated,
    report: Progress,
) -> None:
    types = dict(ActivityType.objects.values_list("code", "pk"))
    codes = [code for code in _ACTIVITIES if code in types]
    weights = [_ACTIVITIES[code] for code in codes]
    dds = types["dds"]
    writer = _Writer()
    plan_id, report_id = next_id(PlanItem), next_id(ActivityReport)
    days = list(_days(first_day, last_day))
    for done, officer in enumerate(officers, 1):
        # Each officer's own stream: the result does not depend on chunking or order.
        rng = random.Random(seed * 1_000_003 + officer.id)
        _, mean, realized = PROFILES[officer.profile]
        for day in days:
            expected = mean * activity * WEEKDAY[day.weekday()]
            planned = _poisson(rng, expected * 0.6) if day.weekday() < 5 else 0
            plans: list[tuple[int, int, str]] = []
            for _ in range(planned):
                village = rng.choice(officer.villages)
                kind = types[rng.choices(codes, weights)[0]]
                writer.plan_rows.append(
                    (plan_id, _uuid(rng), officer.id, officer.unit_id, kind, village.code, day)
                )
                plans.append((plan_id, kind, village.code))
                plan_id += 1
            count = min(_poisson(rng, expected), MAX_REPORTS_A_DAY)
            midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), officer.zone)
            for n in range(count):
                if plans and rng.random() < realized:
                    plan, kind, code = plans.pop()
                    village = next(v for v in officer.villages if v.code == code)
                else:
                    plan, kind, village = (
                        None,
                        types[rng.choices(codes, weights)[0]],
                        rng.choice(officer.villages),
                    )
                local = dt.datetime.combine(
                    day, dt.time(rng.choice(_HOURS), rng.randrange(60)), officer.zone
                )
                # The day's reports follow each other, and stay on the day: never past
                # midnight, where the last day of the period would spill into the next month.
                occurred = min(
                    local + dt.timedelta(minutes=n * 50),
                    midnight - dt.timedelta(minutes=count - n),
                )
                gamer = officer.profile == "gamer" and rng.random() < 0.7
                level = (
                    IntegrityLevel.DOUBTFUL
                    if gamer or rng.random() < 0.04
                    else IntegrityLevel.PLAUSIBLE
                    if rng.random() < 0.25
                    else IntegrityLevel.VERIFIED
                )
                lat, lng = _near(rng, village, 15_000 if gamer else 600)
                delay = dt.timedelta(
                    hours=rng.expovariate(1 / (30 if officer.profile == "lazy" else 4))
                )
                state = ReportState.APPROVED if rng.random() < 0.8 else ReportState.SENT
                the_uuid = _uuid(rng)
                narrative = (
                    GAMED_TEXTS[0]
                    if gamer
                    else (
                        f"Bersama warga di {rng.choice(PLACES)} membahas {rng.choice(TOPICS)}; "
                        f"hadir {rng.randint(3, 40)} orang dan disepakati langkah bersama."
                    )
                )
                writer.report_rows.append(
                    (
                        report_id,
                        the_uuid,
                        officer.id,
                        officer.unit_id,
                        kind,
                        village.code,
                        plan,
                        occurred,
                        lat,
                        lng,
                        float(rng.randint(4, 40)),
                        _cell(lat, lng),
                        narrative,
                        rng.randint(1, 40),
                        state,
                        occurred + delay,
                        level,
                        _SIGNALS[level],
                        hashlib.sha256(the_uuid.bytes).hexdigest(),
                        occurred + delay,
                    )
                )
                if kind == dds and rng.random() < 0.5:
                    writer.visit_rows.append(
                        (report_id, f"{rng.randint(1, 20):03d}", f"{rng.randint(1, 12):03d}")
                    )
                report_id += 1
        if len(writer.report_rows) >= 50_000 or done == len(officers):
            result.plans += len(writer.plan_rows)
            result.reports += len(writer.report_rows)
            result.household_visits += len(writer.visit_rows)
            writer.flush()
            report("field work", done, len(officers))


def _incidents(
    rng: random.Random,
    country: _Country,
    units: list[Unit],
    first_day: dt.date,
    last_day: dt.date,
    result: Generated,
) -> None:
    categories = dict(IncidentCategory.objects.values_list("code", "pk"))
    rates = {
        categories[code]: rate for code, rate in INCIDENTS_A_MONTH.items() if code in categories
    }
    zones = {unit.pk: ZoneInfo(unit.timezone) for unit in units}
    months = (last_day - first_day).days / 30.4
    statuses = [IncidentStatus.REPORTED, IncidentStatus.HANDLED, IncidentStatus.SETTLED]
    table = BulkTable(
        Incident,
        [
            "category_id",
            "occurred_at",
            "village_id",
            "unit_id",
            "latitude",
            "longitude",
            "cell",
            "description",
            "status",
        ],
    )
    span = (last_day - first_day).days + 1

    def rows() -> Iterator[tuple[object, ...]]:
        for village in country.villages:
            factor = HOT_SPOT_FACTOR if rng.random() < HOT_SPOT_SHARE else 1.0
            for category, rate in rates.items():
                for _ in range(_poisson(rng, rate * factor * months)):
                    day = first_day + dt.timedelta(days=rng.randrange(span))
                    moment = dt.datetime.combine(
                        day, dt.time(rng.randrange(24), rng.randrange(60)), zones[village.polsek]
                    )
                    lat, lng = _near(rng, village, 800)
                    yield (
                        category,
                        moment,
                        village.code,
                        village.polsek,
                        lat,
                        lng,
                        _cell(lat, lng),
                        "Kejadian dilaporkan warga dan ditangani Polsek.",
                        rng.choice(statuses),
                    )

    result.incidents = table.write(rows())


def _citizen_reports(
    rng: random.Random, country: _Country, first_day: dt.date, last_day: dt.date, result: Generated
) -> None:
    months = (last_day - first_day).days / 30.4
    span = (last_day - first_day).days + 1
    categories = list(CitizenCategory.values)
    seen: set[str] = set()
    table = BulkTable(
        CitizenReport,
        [
            "tracking_code",
            "category",
            "description",
            "occurred_at",
            "village_id",
            "latitude",
            "longitude",
            "unit_id",
            "status",
            "received_at",
            "due_at",
            "first_response_at",
            "closed_at",
        ],
    )

    def code() -> str:
        while (value := "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))) in seen:
            pass
        seen.add(value)
        return value

    def rows() -> Iterator[tuple[object, ...]]:
        for village in country.villages:
            for _ in range(_poisson(rng, CITIZEN_REPORTS_A_MONTH * months)):
                day = first_day + dt.timedelta(days=rng.randrange(span))
                received = dt.datetime.combine(
                    day, dt.time(rng.randrange(24), rng.randrange(60)), dt.UTC
                )
                answered = rng.random() < 0.85
                first_response = (
                    received + dt.timedelta(hours=rng.expovariate(1 / 30)) if answered else None
                )
                closed = (
                    first_response + dt.timedelta(days=rng.randint(1, 10))
                    if first_response is not None and rng.random() < 0.6
                    else None
                )
                status = (
                    CitizenStatus.RESOLVED
                    if closed
                    else CitizenStatus.IN_PROGRESS
                    if answered
                    else CitizenStatus.RECEIVED
                )
                lat, lng = _near(rng, village, 500)
                yield (
                    code(),
                    rng.choice(categories),
                    "Laporan warga tentang gangguan di lingkungan.",
                    received,
                    village.code,
                    lat,
                    lng,
                    village.polsek,
                    status,
                    received,
                    received + dt.timedelta(hours=72),
                    first_response,
                    closed,
                )

    result.citizen_reports = table.write(rows())
