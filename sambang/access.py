"""Who may see what: the one place where scoped data is reached.

A supervisor sees the subtree of their unit; national and administrator users see
every unit; an officer sees their own officer record and the villages they are
actively assigned to. Field work (plans, reports) is seen by its officer and the
supervisors above the unit it was filed in, never by administrators. Anything else,
and any user of unknown role, sees nothing. A partner (Babinsa, village head, FKPM chair)
reaches only what the ``partner_*`` functions give: their own villages' joint activities,
directives addressed to partners, and what the partners' pages show of those villages.

Views never fetch scoped rows by id themselves: they call an ``access_*`` function,
which answers 404 for rows out of scope so that ids cannot be probed.

Administrators keep accounts and master data and read no restricted data at all: not
field work, residents' reports or their reporters, incidents, nor persons of interest;
not in pages, the API, nor the Django admin (which has no page for them), and no grant
lifts this. Their power over accounts cannot be turned on themselves: nobody changes
their own role, unit, staff or superuser status, groups or permissions; only an
administrator changes those of another account; and every such change, whatever path
made it, is in the audit log (``accounts.privileges``), as are the activations and
enrolment links they issue and the passwords they set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeGuard, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from sambang.alerts.models import Alert, ElectionPeriod
from sambang.community.models import Partner
from sambang.fieldwork.models import ActivityReport, PlanItem, ReportState
from sambang.organization.models import Directive, DirectiveReceipt, Unit, UnitLevel
from sambang.partners.models import PartnerNote
from sambang.personnel.models import ROLE_UNIT_LEVEL, Assignment, Officer, OfficerStatus, Role, User
from sambang.planning.models import Recommendation
from sambang.public.models import CitizenReport
from sambang.security.models import Incident, PersonOfInterest
from sambang.territory.models import Region, RegionLevel

_ALL_UNITS = {Role.ADMIN, Role.NATIONAL}

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active


def sees_everything(user: AnyUser) -> bool:
    return _active(user) and user.role in _ALL_UNITS


def _unit_scope(user: AnyUser) -> Unit | None:
    """The unit whose subtree a supervisor sees, if the user's role and unit agree."""
    if not _active(user) or user.unit is None:
        return None
    if ROLE_UNIT_LEVEL.get(Role(user.role)) != user.unit.level:
        return None  # a role not matching its unit sees nothing rather than too much
    return user.unit


def scope_root(user: AnyUser) -> Unit | None:
    """The top unit a supervisor sees (the national unit for national and admin users)."""
    if sees_everything(user):
        return Unit.objects.filter(level=UnitLevel.MABES).first()
    if not _active(user) or not user.is_supervisor:
        return None
    return _unit_scope(user)


def units_for_user(user: AnyUser) -> QuerySet[Unit]:
    if sees_everything(user):
        return Unit.objects.all()
    root = scope_root(user)
    return Unit.objects.subtree(root) if root else Unit.objects.none()


def officers_for_user(user: AnyUser) -> QuerySet[Officer]:
    if sees_everything(user):
        return Officer.objects.all()
    if _active(user) and user.role == Role.OFFICER:
        return Officer.objects.filter(user=user)
    root = scope_root(user)
    return (
        Officer.objects.filter(unit__path__startswith=root.path) if root else Officer.objects.none()
    )


def _serving(user: AnyUser) -> bool:
    """An officer user whose officer record is active: a transferred or retired officer
    keeps their account (and their history) but no longer sees any village's data."""
    return _active(user) and Officer.objects.filter(user=user, status=OfficerStatus.ACTIVE).exists()


def villages_for_user(user: AnyUser) -> QuerySet[Region]:
    """Villages in the user's jurisdiction subtree (an officer: the villages they cover now,
    while their officer record is active)."""
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    if sees_everything(user):
        return villages
    if _active(user) and user.role == Role.OFFICER:
        return villages.filter(
            assignments__officer__user=user,
            assignments__officer__status=OfficerStatus.ACTIVE,
            assignments__end_date__isnull=True,
        )
    root = scope_root(user)
    return (
        villages.filter(jurisdiction__unit__path__startswith=root.path) if root else villages.none()
    )


def assignments_for_user(user: AnyUser) -> QuerySet[Assignment]:
    """Assignments of officers the user sees, and of villages the user sees."""
    officers = officers_for_user(user)
    if _active(user) and user.role == Role.OFFICER:
        return Assignment.objects.filter(officer__in=officers)
    return Assignment.objects.filter(
        Q(officer__in=officers) | Q(village__in=villages_for_user(user))
    )


def _field_records[M: Model](model: type[M], user: AnyUser) -> QuerySet[M]:
    """Plans, reports, residents' reports: an officer's own while serving (residents'
    reports given to them, of a village they cover now); a supervisor's by the unit they
    belong to.

    Administrators keep master data; field work and residents' reports are not theirs.
    """
    records = model._default_manager.all()
    if not _active(user) or user.role == Role.ADMIN:
        return records.none()
    if sees_everything(user):
        return records
    if user.role == Role.OFFICER:
        if not _serving(user):
            return records.none()
        if model is CitizenReport:  # the reporter's identity: only while the village is theirs
            return records.filter(officer__user=user, village__in=villages_for_user(user))
        return records.filter(officer__user=user)
    root = scope_root(user)
    return records.filter(unit__path__startswith=root.path) if root else records.none()


def plans_for_user(user: AnyUser) -> QuerySet[PlanItem]:
    return _field_records(PlanItem, user)


def reports_for_user(user: AnyUser) -> QuerySet[ActivityReport]:
    return _field_records(ActivityReport, user)


def citizen_reports_for_user(user: AnyUser) -> QuerySet[CitizenReport]:
    """Residents' reports routed to the user's subtree (an officer: those given to them)."""
    return _field_records(CitizenReport, user)


def access_citizen_report(user: AnyUser, code: str) -> CitizenReport:
    return _get(
        citizen_reports_for_user(user).select_related("village__parent", "unit", "officer"),
        tracking_code=code,
    )


def directives_for_user(user: AnyUser) -> QuerySet[Directive]:
    """Directives to the user's subtree or issued by them; an officer: those sent to them."""
    directives = Directive.objects.all()
    if not _active(user) or user.role == Role.ADMIN:
        return directives.none()
    if sees_everything(user):
        return directives
    if user.role == Role.OFFICER:
        return directives.filter(receipts__officer__user=user)
    root = scope_root(user)
    if root is None:
        return directives.none()
    # To the subtree, issued by the user, or reaching one of their officers (a directive
    # to several units or named officers; the other units' receipts stay hidden).
    return directives.filter(
        Q(unit__path__startswith=root.path)
        | Q(issuer=user)
        | Q(receipts__officer__unit__path__startswith=root.path)
    ).distinct()


def access_directive(user: AnyUser, pk: int) -> Directive:
    return _get(directives_for_user(user).select_related("unit", "issuer"), pk=pk)


def own_receipt(user: AnyUser, directive: Directive) -> DirectiveReceipt:
    """The officer's own receipt of a directive sent to them."""
    if not _active(user):
        raise Http404
    return _get(DirectiveReceipt.objects.filter(officer__user=user), directive=directive)


def incidents_for_user(user: AnyUser) -> QuerySet[Incident]:
    """Incidents of the user's subtree (an officer: of their villages); not administrators."""
    incidents = Incident.objects.all()
    if not _active(user) or user.role == Role.ADMIN:
        return incidents.none()
    if sees_everything(user):
        return incidents
    if user.role == Role.OFFICER:
        return incidents.filter(village__in=villages_for_user(user))
    root = scope_root(user)
    return incidents.filter(unit__path__startswith=root.path) if root else incidents.none()


def access_incident(user: AnyUser, pk: int) -> Incident:
    return _get(incidents_for_user(user).select_related("category", "village", "unit"), pk=pk)


# Persons of interest are restricted to Polres and above.
_PERSON_ROLES = (Role.POLRES, Role.POLDA, Role.NATIONAL)


def sees_persons(user: AnyUser) -> bool:
    return _active(user) and user.role in _PERSON_ROLES


def persons_for_user(user: AnyUser) -> QuerySet[PersonOfInterest]:
    """Persons of interest of the user's subtree, for Polres and above only."""
    persons = PersonOfInterest.objects.all()
    if not sees_persons(user):
        return persons.none()
    if sees_everything(user):
        return persons
    root = scope_root(user)
    return persons.filter(unit__path__startswith=root.path) if root else persons.none()


def access_person(user: AnyUser, pk: int) -> PersonOfInterest:
    return _get(persons_for_user(user).select_related("village", "unit"), pk=pk)


def can_edit_village(user: AnyUser) -> bool:
    """Village knowledge is kept by its officer and the supervisors above (not administrators).

    Callers reach the village through ``access_village`` first, which limits the scope.
    """
    return _active(user) and user.role not in (Role.ADMIN, Role.PARTNER)


def can_review(user: AnyUser) -> bool:
    """Supervisors review reports and comment on plans; administrators keep master data."""
    return _active(user) and user.role in (Role.POLSEK, Role.POLRES, Role.POLDA, Role.NATIONAL)


def can_import_incidents(user: AnyUser) -> bool:
    """Incidents kept on paper are entered in bulk by supervisors, into villages of their
    subtree (``villages_for_user``); an officer records incidents one at a time."""
    return can_review(user)


def can_keep_resources(user: AnyUser) -> bool:
    """Equipment, budget, allowance and training: supervisors for their subtree
    (``units_for_user``), administrators for every unit."""
    return can_review(user) or (_active(user) and user.role == Role.ADMIN)


def officer_of(user: AnyUser) -> Officer | None:
    """The officer record of an officer user, if any."""
    if not _active(user) or user.role != Role.OFFICER:
        return None
    relation = User._meta.get_field("officer")
    if relation.is_cached(user):  # read with the user (an API token's sign-in)
        return cast(Officer | None, relation.get_cached_value(user))
    return Officer.objects.select_related("unit").filter(user=user).first()


def evaluation_units_for_user(user: AnyUser) -> QuerySet[Unit]:
    """Units whose monthly evaluation a supervisor reads: their subtree (not administrators)."""
    if not can_review(user):
        return Unit.objects.none()
    return units_for_user(user)


def access_evaluation_unit(user: AnyUser, code: str) -> Unit:
    return _get(evaluation_units_for_user(user), code=code)


def can_submit_evaluation(user: AnyUser, unit: Unit) -> bool:
    """A unit's supervisor submits its own month (the national level has none above it)."""
    return can_review(user) and scope_root(user) == unit and unit.parent_id is not None


def can_decide_evaluation(user: AnyUser, unit: Unit) -> bool:
    """The supervisor of the unit directly above approves or returns a unit's month."""
    return can_review(user) and unit.parent_id is not None and scope_root(user) == unit.parent


def access_unit(user: AnyUser, code: str) -> Unit:
    return _get(units_for_user(user), code=code)


def access_officer(user: AnyUser, nrp: str) -> Officer:
    return _get(officers_for_user(user).select_related("unit", "user"), nrp=nrp)


def access_village(user: AnyUser, code: str) -> Region:
    return _get(villages_for_user(user).select_related("parent__parent"), code=code)


def access_village_record[M: Model](village: Region, model: type[M], pk: object) -> M:
    """A figure, partner, post or spot of a village already reached through ``access_village``."""
    return _get(model._default_manager.filter(village=village), pk=pk)


def access_assignment(user: AnyUser, pk: int) -> Assignment:
    return _get(assignments_for_user(user).select_related("officer__unit", "village"), pk=pk)


def access_plan(user: AnyUser, uuid: object) -> PlanItem:
    return _get(
        plans_for_user(user).select_related("officer__unit", "activity_type", "village"), uuid=uuid
    )


def access_report(user: AnyUser, uuid: object) -> ActivityReport:
    return _get(
        reports_for_user(user).select_related(
            "officer__unit", "activity_type", "village__parent", "plan_item", "reviewed_by"
        ),
        uuid=uuid,
    )


def can_provision_accounts(user: AnyUser) -> bool:
    """Supervisors and administrators create logins: for the officers they see
    (``officers_for_user``) and for supervisors of ``account_units_for_user``."""
    if not _active(user) or not user.is_supervisor:
        return False
    return sees_everything(user) or scope_root(user) is not None


def account_units_for_user(user: AnyUser) -> QuerySet[Unit]:
    """Units whose supervisor accounts the user may create: those strictly below their own
    unit, so that nobody makes an account at their own level or above; an administrator:
    every unit (the national one for national accounts)."""
    if _active(user) and user.role == Role.ADMIN:
        return Unit.objects.all()
    root = scope_root(user)
    if root is None:
        return Unit.objects.none()
    return Unit.objects.subtree(root).exclude(pk=root.pk)


def supervisor_accounts_for_user(user: AnyUser) -> QuerySet[User]:
    """Supervisors' and administrators' accounts whose activation or two-factor enrolment
    links the user may issue: for a supervisor, those of the units strictly below their
    own; for an administrator, every other account but officers' (an officer's login is
    issued from the officer's page). Never the user's own."""
    if not _active(user) or not can_provision_accounts(user):
        return User.objects.none()
    # Officers' logins are issued from the officer's page, partners' from the village's.
    accounts = User.objects.exclude(role__in=(Role.OFFICER, Role.PARTNER)).exclude(pk=user.pk)
    if user.role == Role.ADMIN:
        return accounts
    return accounts.exclude(role__in=(Role.ADMIN, Role.NATIONAL)).filter(
        unit__in=account_units_for_user(user)
    )


def can_manage_assignments(user: AnyUser) -> bool:
    """Supervisors and administrators assign officers to villages within their scope."""
    return _active(user) and user.is_supervisor


def planning_units_for_user(user: AnyUser) -> QuerySet[Unit]:
    """Units whose assignments a supervisor plans: their subtree (not administrators, who
    keep master data, nor officers)."""
    return evaluation_units_for_user(user)


def access_planning_unit(user: AnyUser, code: str) -> Unit:
    return _get(planning_units_for_user(user), code=code)


def access_recommendation(user: AnyUser, unit: Unit, pk: int) -> Recommendation:
    """A recommendation made for ``unit`` (already reached through ``access_planning_unit``)."""
    return _get(
        Recommendation.objects.filter(unit__in=planning_units_for_user(user)).select_related(
            "unit", "created_by", "accepted_by"
        ),
        unit=unit,
        pk=pk,
    )


def alerts_for_user(user: AnyUser) -> QuerySet[Alert]:
    """Early-warning alerts of the user's subtree; an officer: those of the villages they
    cover now. Not administrators: an alert counts restricted records."""
    alerts = Alert.objects.all()
    if not _active(user) or user.role == Role.ADMIN:
        return alerts.none()
    if sees_everything(user):
        return alerts
    if user.role == Role.OFFICER:
        return alerts.filter(village__in=villages_for_user(user))
    root = scope_root(user)
    return alerts.filter(unit__path__startswith=root.path) if root else alerts.none()


def access_alert(user: AnyUser, pk: int) -> Alert:
    return _get(alerts_for_user(user).select_related("unit", "village"), pk=pk)


def paths_above(paths: Iterable[str]) -> set[str]:
    """Each unit path with the paths of the units above it: "M/D/R/" gives "M/", "M/D/",
    "M/D/R/"."""
    found: set[str] = set()
    for path in paths:
        codes = path.rstrip("/").split("/")
        found.update(
            "".join(f"{code}/" for code in codes[:depth]) for depth in range(1, len(codes) + 1)
        )
    return found


def elections_for_user(user: AnyUser) -> QuerySet[ElectionPeriod]:
    """Election periods a user takes part in: those opened for a unit of a supervisor's
    subtree and those opened above it (a Polres's Pilkada is watched in each of its
    Polseks); an officer: those opened for the unit covering one of their villages or a unit
    above it. What a reader sees of a period is limited to their own villages
    (``election_villages``). Not administrators: a period counts restricted records."""
    periods = ElectionPeriod.objects.all()
    if not _active(user) or user.role == Role.ADMIN:
        return periods.none()
    if sees_everything(user):
        return periods
    if user.role == Role.OFFICER:
        covering = Unit.objects.filter(jurisdiction__village__in=villages_for_user(user))
        return periods.filter(unit__path__in=paths_above(covering.values_list("path", flat=True)))
    root = scope_root(user)
    if root is None:
        return periods.none()
    return periods.filter(
        Q(unit__path__startswith=root.path) | Q(unit__path__in=paths_above([root.path]))
    )


def access_election(user: AnyUser, pk: int) -> ElectionPeriod:
    return _get(elections_for_user(user).select_related("unit", "directive"), pk=pk)


def election_villages(user: AnyUser, period: ElectionPeriod) -> QuerySet[Region]:
    """The villages of ``period`` a user sees: those of the period's unit among their own."""
    return villages_for_user(user).filter(jurisdiction__unit__path__startswith=period.unit.path)


# --- partners ------------------------------------------------------------------------------
# A partner (Babinsa, village head, FKPM chair) reaches only what concerns the villages of
# their own active partner records, and only through these functions; every other function
# here gives them nothing (their role has no unit scope), and ``partners.routes`` holds them
# to the partners' pages.


def _partner(user: AnyUser) -> TypeGuard[User]:
    return _active(user) and user.role == Role.PARTNER


def partner_records(user: AnyUser) -> QuerySet[Partner]:
    """The partner's own active records (one per village they are a partner of)."""
    if not _partner(user):
        return Partner.objects.none()
    return Partner.objects.filter(account=user, active=True)


def partner_villages(user: AnyUser) -> QuerySet[Region]:
    return Region.objects.filter(
        level=RegionLevel.VILLAGE, pk__in=partner_records(user).values("village_id")
    )


def access_partner_village(user: AnyUser, code: str) -> Region:
    return _get(partner_villages(user).select_related("parent"), code=code)


def joint_reports_for_partner(user: AnyUser) -> QuerySet[ActivityReport]:
    """Reports that name one of the partner's records as present (sent, not drafts): the
    activities they may confirm or deny."""
    return (
        ActivityReport.objects.filter(partner_records__in=partner_records(user))
        .exclude(state=ReportState.DRAFT)
        .distinct()
    )


def access_joint_report(user: AnyUser, uuid: object) -> ActivityReport:
    return _get(
        joint_reports_for_partner(user).select_related("activity_type", "village", "officer"),
        uuid=uuid,
    )


def directives_for_partner(user: AnyUser) -> QuerySet[Directive]:
    """Directives addressed also to partners that reached an officer covering one of the
    partner's villages now."""
    if not _partner(user):
        return Directive.objects.none()
    return Directive.objects.filter(
        to_partners=True,
        receipts__officer__assignments__village__in=partner_villages(user),
        receipts__officer__assignments__end_date__isnull=True,
    ).distinct()


def partner_notes_for_user(user: AnyUser) -> QuerySet[PartnerNote]:
    """Partners' early-detection notes: a partner's own; an officer's, of the villages they
    cover now; a supervisor's, of their subtree. Not administrators."""
    notes = PartnerNote.objects.all()
    if not _active(user) or user.role == Role.ADMIN:
        return notes.none()
    if sees_everything(user):
        return notes
    if user.role == Role.PARTNER:
        return notes.filter(account=user)
    if user.role == Role.OFFICER:
        return notes.filter(village__in=villages_for_user(user))
    root = scope_root(user)
    return notes.filter(unit__path__startswith=root.path) if root else notes.none()


def access_partner_note(user: AnyUser, pk: int) -> PartnerNote:
    return _get(partner_notes_for_user(user).select_related("partner", "village"), pk=pk)


def _get[M: Model](queryset: QuerySet[M], **lookup: object) -> M:
    row = queryset.filter(**lookup).first()
    if row is None:
        raise Http404
    return row
