"""One record of every scoped kind in every unit of the test world, for the generated scope
checks, the id enumeration and the export checks.

Each Polsek's records are made in its covered village by its officer (the Polsek A1A
officer is the officer user, so A1A's records are the officer user's own); unit-level
records (resources) are made for every unit; each role's user has a finished download.
Every text field holds the Polsek's key, so an out-of-scope row in a page or a file can
be recognised by the key of the unit it belongs to.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from sambang.organization.models import UnitLevel
from sambang.personnel.models import Role, User
from sambang.testing.world import UNITS, World

POLSEKS = sorted(key for key, level, *_ in UNITS if level == "polsek")
ALL_UNITS = [key for key, *_ in UNITS]
MONTH = "2026-09"
# A supervisor's account in every unit, of the role that unit's level has.
ACCOUNT_ROLES = {
    UnitLevel.MABES: Role.NATIONAL,
    UnitLevel.POLDA: Role.POLDA,
    UnitLevel.POLRES: Role.POLRES,
    UnitLevel.POLSEK: Role.POLSEK,
}


@dataclass
class Specimens:
    """Per kind: the owner (a unit key, or a role for a user's own records) → URL values."""

    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def add(self, kind: str, owner: str, **kwargs: object) -> None:
        self.values.setdefault(kind, {})[owner] = {k: str(v) for k, v in kwargs.items()}


def build_specimens(world: World) -> Specimens:
    from sambang.alerts.models import Alert, ElectionPeriod, Family
    from sambang.community.models import KeyFigure, Partner, PoskamlingPost, VulnerableSpot
    from sambang.exports.models import ExportJob, ExportStatus
    from sambang.fieldwork import services as field_services
    from sambang.fieldwork.api.plans import PlanItemWriteSerializer
    from sambang.fieldwork.api.reports import ReportWriteSerializer
    from sambang.fieldwork.models import HouseholdVisit, QuickReport, QuickReportPhoto
    from sambang.fieldwork.selectors import visit_token
    from sambang.organization.services import directive_issue
    from sambang.partners.models import PartnerNote
    from sambang.planning.services import PlanSettings, recommendation_make
    from sambang.public.services import citizen_report_submit
    from sambang.resources.models import Allowance, Budget, Equipment, Training
    from sambang.security.incidents import incident_record, person_record
    from sambang.testing.fieldwork import household, photo_bytes, report_payload

    found = Specimens()
    national = world.users[Role.NATIONAL]
    # The library is the same for everyone; a module is taken by each officer for themself.
    found.add("document", "mabes", slug="panduan-mediasi")
    found.add("module", Role.OFFICER, slug="mediasi")
    for key in ALL_UNITS:
        unit, officer = world.units[key], world.officers[key]
        found.add("unit", key, code=unit.code, month=MONTH)
        found.add("officer", key, nrp=officer.nrp, month=MONTH)
        account = User.objects.create_user(
            username=f"account-{key}", role=ACCOUNT_ROLES[UnitLevel(unit.level)], unit=unit
        )
        found.add("account", key, username=account.username)
        found.add(
            "equipment",
            key,
            kind_name="equipment",
            pk=Equipment.objects.create(unit=unit, kind="vest", good=1).pk,
        )
        found.add(
            "budget",
            key,
            kind_name="budget",
            pk=Budget.objects.create(
                unit=unit, fiscal_year=2026, category="bimkamsa", allocation_idr=1_000_000
            ).pk,
        )
        found.add(
            "allowance",
            key,
            kind_name="allowance",
            pk=Allowance.objects.create(unit=unit, fiscal_year=2026, monthly_idr=500_000).pk,
        )
        found.add(
            "training",
            key,
            kind_name="training",
            pk=Training.objects.create(
                officer=officer, course="mediation", start_date=dt.date(2025, 1, 6)
            ).pk,
        )
    for key in POLSEKS:
        officer, village = world.officers[key], world.villages[key]
        found.add("village", key, code=village.code)
        found.add("schedule", key, code=world.units[key].code)
        found.add("assignment", key, pk=world.assignments[key].pk)
        report = ReportWriteSerializer(
            data=report_payload(
                world,
                key,
                activity_type="dds",
                participants=None,
                household=household(),
                narrative=f"Sambang rumah warga di desa {key}: ronda malam dibahas bersama.",
            )
        )
        report.is_valid(raise_exception=True)
        filed, _ = field_services.report_create(officer=officer, data=report.validated_data)
        found.add("report", key, uuid=filed.uuid, fmt="pdf", photo_uuid=uuid.uuid4())
        found.add("visit", key, token=visit_token(HouseholdVisit.objects.get(report=filed)))
        quick = QuickReport.objects.create(
            uuid=uuid.uuid4(),
            officer=officer,
            channel="telegram",
            text=f"Patroli di desa {key}",
            started_at=timezone.now(),
            last_message_at=timezone.now(),
        )
        photo = QuickReportPhoto.objects.create(
            quick_report=quick, data=photo_bytes(1), content_type="image/jpeg"
        )
        found.add("quick", key, uuid=quick.uuid, pk=photo.pk)
        # A joint activity naming the village's Babinsa (the partner user's, in Polsek A1A),
        # and a note the Babinsa wrote to the officer.
        babinsa = (
            world.partner
            if key == "polsek_a1a" and world.partner is not None
            else Partner.objects.create(
                village=village,
                kind="babinsa",
                name=f"Babinsa {key}",
                account=User.objects.create_user(
                    username=f"partner-{key}", role=Role.PARTNER, unit=world.units[key]
                ),
            )
        )
        joint = ReportWriteSerializer(
            data=report_payload(
                world,
                key,
                narrative=f"Patroli tiga pilar di desa {key} bersama Babinsa dan kepala desa.",
                partner_records=[babinsa.pk],
            )
        )
        joint.is_valid(raise_exception=True)
        filed, _ = field_services.report_create(officer=officer, data=joint.validated_data)
        found.add("joint", key, uuid=filed.uuid)
        assert babinsa.account is not None
        note = PartnerNote.objects.create(
            partner=babinsa,
            account=babinsa.account,
            village=village,
            unit=world.units[key],
            text=f"Ada warga pendatang di desa {key}",
            urgency="medium",
        )
        found.add("partner_note", key, pk=note.pk)
        plan = PlanItemWriteSerializer(
            data={
                "uuid": str(uuid.uuid4()),
                "activity_type": "dds",
                "village": village.code,
                "date": dt.date.today().isoformat(),
            }
        )
        plan.is_valid(raise_exception=True)
        item, _ = field_services.plan_create(officer=officer, data=plan.validated_data)
        found.add("plan", key, uuid=item.uuid)
        submitted = citizen_report_submit(
            data={
                "category": "crime",
                "description": f"Laporan warga tentang pencurian di {key}",
                "village": village.code,
                "anonymous": False,
                "reporter_name": f"Pelapor {key}",
            },
            uploads=[],
            address=f"10.0.1.{len(found.values.get('citizen', {})) + 1}",
        )
        found.add("citizen", key, code=submitted.report.tracking_code)
        directive = directive_issue(
            issuer=national,
            unit=world.units[key],
            title=f"Atensi {key}",
            body="Tingkatkan sambang.",
            due_date=None,
        )
        found.add("directive", key, pk=directive.pk)
        incident = incident_record(
            user=national,
            data={
                "category": "curanmor",
                "village": village.code,
                "occurred_at": dt.datetime(2026, 9, 5, 21, tzinfo=dt.UTC),
                "description": f"Pencurian sepeda motor di {key}",
            },
        )
        found.add("incident", key, pk=incident.pk)
        alert = Alert.objects.create(
            unit=world.units[key],
            village=village,
            family=Family.INCIDENTS,
            first_week=dt.date(2026, 8, 31),
            week=dt.date(2026, 8, 31),
            observed=4,
            expected=0.5,
            score=4.2,
            threshold=4.0,
        )
        found.add("alert", key, pk=alert.pk)
        person = person_record(
            user=national,
            data={"name": f"Orang {key}", "village": village.code, "incidents": [incident.pk]},
        )
        found.add("person", key, pk=person.pk)
        figure = KeyFigure.objects.create(
            village=village, kind="religious", name=f"Tokoh {key}", influence="high"
        )
        found.add("figure", key, code=village.code, pk=figure.pk)
        found.add("partner", key, code=village.code, pk=babinsa.pk)  # the village's Babinsa
        post = PoskamlingPost.objects.create(village=village, name=f"Pos {key}")
        found.add("post", key, code=village.code, pk=post.pk)
        spot = VulnerableSpot.objects.create(
            village=village,
            category="crime",
            level="high",
            latitude=village.centroid_lat or 0,
            longitude=village.centroid_lng or 0,
            cell=0,
            last_reviewed=dt.date(2026, 1, 1),
        )
        found.add("spot", key, code=village.code, pk=spot.pk)
    # An election period opened by every unit, each named with a village of its subtree.
    below = {key: key for key in POLSEKS}
    below |= {"mabes": "polsek_a1a", "polda_a": "polsek_a1a", "polres_a1": "polsek_a1a"}
    below |= {"polres_a2": "polsek_a2a", "polda_b": "polsek_b1a", "polres_b1": "polsek_b1a"}
    for key, polsek in below.items():
        period = ElectionPeriod.objects.create(
            unit=world.units[key],
            name=f"Pilkada {key}",
            kind="pilkada",
            voting_day=dt.date(2026, 11, 27),
            starts=dt.date(2026, 8, 29),
            ends=dt.date(2026, 12, 27),
            opened_by=national,
        )
        found.add("election", key, pk=period.pk, village=world.villages[polsek].code)
    for key in ALL_UNITS:
        unit = world.units[key]
        if unit.level in (UnitLevel.POLSEK, UnitLevel.POLRES):
            made = recommendation_make(user=national, unit=unit, plan=PlanSettings(time_limit=5))
            found.add("recommendation", key, code=unit.code, pk=made.pk)
    # The officer user's colleague in the same Polsek: their record, village and assignment.
    assert world.colleague is not None and world.colleague_village is not None
    colleague = "polsek_a1a#colleague"
    found.add("officer", colleague, nrp=world.colleague.nrp, month=MONTH)
    found.add("village", colleague, code=world.colleague_village.code)
    found.add("assignment", colleague, pk=world.colleague.assignments.get().pk)
    theirs = Alert.objects.create(
        unit=world.units["polsek_a1a"],
        village=world.colleague_village,
        family=Family.RESIDENTS,
        first_week=dt.date(2026, 8, 31),
        week=dt.date(2026, 8, 31),
        observed=5,
        expected=1,
        score=4.1,
        threshold=4.0,
    )
    found.add("alert", colleague, pk=theirs.pk)
    for role, user in world.users.items():
        job = ExportJob.objects.create(
            user=user, table="officers", fmt="csv", status=ExportStatus.DONE
        )
        job.file.save(f"officers-{role}.csv", ContentFile(b"nrp\n"), save=True)
        found.add("export", role, pk=job.pk)
    return found
