"""A small, real-coded police world for tests: two Polda, their units, officers and users.

    MABES
    ├── POLDA-A ── POLRES-A1 ── POLSEK-A1A (32.16.08 Cikarang Barat), POLSEK-A1B (32.16.18 Setu)
    │          └── POLRES-A2 ── POLSEK-A2A (32.16.01 Tarumajaya)
    └── POLDA-B ── POLRES-B1 ── POLSEK-B1A (34.71.01 Tegalrejo, Kota Yogyakarta)

Every unit has one active officer; every Polsek officer covers one village of the
Polsek, and each Polsek keeps at least one village without an officer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sambang.accounts.models import ApiToken
from sambang.community.models import Partner
from sambang.fieldwork.catalogue import catalogue_seed
from sambang.fieldwork.models import ActivityType
from sambang.knowledge.services import library_seed
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.organization.services import unit_create
from sambang.personnel.models import Assignment, Education, Officer, Rank, Role, User
from sambang.security.catalogue import categories_seed
from sambang.security.models import IncidentCategory
from sambang.territory.models import Region, RegionLevel
from sambang.territory.services import regions_load

UNITS = [
    # key, level, parent key, district covered
    ("mabes", UnitLevel.MABES, None, None),
    ("polda_a", UnitLevel.POLDA, "mabes", None),
    ("polres_a1", UnitLevel.POLRES, "polda_a", None),
    ("polsek_a1a", UnitLevel.POLSEK, "polres_a1", "32.16.08"),
    ("polsek_a1b", UnitLevel.POLSEK, "polres_a1", "32.16.18"),
    ("polres_a2", UnitLevel.POLRES, "polda_a", None),
    ("polsek_a2a", UnitLevel.POLSEK, "polres_a2", "32.16.01"),
    ("polda_b", UnitLevel.POLDA, "mabes", None),
    ("polres_b1", UnitLevel.POLRES, "polda_b", None),
    ("polsek_b1a", UnitLevel.POLSEK, "polres_b1", "34.71.01"),
]

# role → the unit key its user belongs to (the officer user is the Polsek A1A officer).
ROLE_UNITS = {
    Role.OFFICER: "polsek_a1a",
    Role.POLSEK: "polsek_a1a",
    Role.POLRES: "polres_a1",
    Role.POLDA: "polda_a",
    Role.NATIONAL: "mabes",
    Role.ADMIN: None,
    Role.PARTNER: "polsek_a1a",  # the Babinsa of the officer's village, made by its Polsek
}


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    officers: dict[str, Officer] = field(default_factory=dict)  # by unit key
    villages: dict[str, Region] = field(default_factory=dict)  # the assigned village, by Polsek key
    free_villages: dict[str, Region] = field(default_factory=dict)  # a village with no officer
    assignments: dict[str, Assignment] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # by role
    tokens: dict[str, str] = field(default_factory=dict)  # by role
    # A second officer of POLSEK-A1A with a village of their own: the officer user's colleague.
    colleague: Officer | None = None
    colleague_village: Region | None = None
    # The partner user's record: the Babinsa of POLSEK-A1A's assigned village.
    partner: Partner | None = None

    def reloaded(self) -> World:
        """The same world read again from the database: fresh instances for a test that
        shares the world's rows with others (what one test changes in memory stays there)."""
        units = Unit.objects.in_bulk([u.pk for u in self.units.values()])
        officers = Officer.objects.in_bulk(
            [o.pk for o in [*self.officers.values(), self.colleague] if o is not None]
        )
        villages = Region.objects.in_bulk(
            [
                r.code
                for r in [
                    *self.villages.values(),
                    *self.free_villages.values(),
                    self.colleague_village,
                ]
                if r is not None
            ]
        )
        assignments = Assignment.objects.in_bulk([a.pk for a in self.assignments.values()])
        users = User.objects.in_bulk([u.pk for u in self.users.values()])
        return World(
            units={key: units[u.pk] for key, u in self.units.items()},
            officers={key: officers[o.pk] for key, o in self.officers.items()},
            villages={key: villages[r.code] for key, r in self.villages.items()},
            free_villages={key: villages[r.code] for key, r in self.free_villages.items()},
            assignments={key: assignments[a.pk] for key, a in self.assignments.items()},
            users={role: users[u.pk] for role, u in self.users.items()},
            tokens=dict(self.tokens),
            colleague=officers[self.colleague.pk] if self.colleague else None,
            colleague_village=villages[self.colleague_village.code]
            if self.colleague_village
            else None,
            partner=Partner.objects.get(pk=self.partner.pk) if self.partner else None,
        )


def build_world() -> World:
    # Tests that flush the database (transactional ones) also empty the seeded catalogues.
    catalogue_seed(ActivityType)
    library_seed()
    categories_seed(IncidentCategory)
    regions_load(regency="32.16")
    regions_load(regency="34.71")
    world = World()
    for number, (key, level, parent_key, district) in enumerate(UNITS, start=1):
        unit = unit_create(
            code=key.upper().replace("_", "-"),
            name=key.replace("_", " ").title(),
            level=level,
            parent=world.units[parent_key] if parent_key else None,
        )
        world.units[key] = unit
        world.officers[key] = Officer.objects.create(
            nrp=f"{80000000 + number}",
            name=f"Officer {key}",
            rank=Rank.BRIPKA,
            unit=unit,
            education=Education.SMA,
        )
        if district:
            villages = list(Region.objects.filter(parent_id=district, level=RegionLevel.VILLAGE))
            Jurisdiction.objects.bulk_create(Jurisdiction(unit=unit, village=v) for v in villages)
            world.villages[key], world.free_villages[key] = villages[0], villages[1]
            world.assignments[key] = Assignment.objects.create(
                officer=world.officers[key],
                village=villages[0],
                start_date=dt.date(2024, 1, 1),
                is_contact=True,
            )
    for role, unit_key in ROLE_UNITS.items():
        user = User.objects.create_user(
            username=f"user-{role}",
            password="correct horse battery staple",
            role=role,
            unit=world.units[unit_key] if unit_key else None,
            is_staff=role == Role.ADMIN,
        )
        world.users[role] = user
        world.tokens[role] = ApiToken.issue(user, "test client")[1]
    officer = world.officers["polsek_a1a"]
    officer.user = world.users[Role.OFFICER]
    officer.save(update_fields=["user"])
    world.partner = Partner.objects.create(
        village=world.villages["polsek_a1a"],
        kind="babinsa",
        name="Serda Babinsa A1A",
        account=world.users[Role.PARTNER],
    )
    world.colleague = Officer.objects.create(
        nrp="80000099",
        name="Colleague of the officer",
        rank=Rank.BRIPTU,
        unit=world.units["polsek_a1a"],
        education=Education.S1,
    )
    world.colleague_village = Region.objects.filter(parent_id="32.16.08").order_by("code")[2]
    Assignment.objects.create(
        officer=world.colleague,
        village=world.colleague_village,
        start_date=dt.date(2024, 6, 1),
        is_contact=True,
    )
    return world
