"""Writes for planning: make a recommendation (run the solver and keep its result), accept
some or all of its changes as assignments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.errors import ApplicationError
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.personnel import services as personnel
from sambang.personnel.models import Assignment, Officer, OfficerStatus, User
from sambang.territory.models import Region

from .districting import Officer as Staff
from .districting import Problem, solve, today_bases
from .districting import Village as Place
from .models import Recommendation
from .selectors import balance, planning_area, village_adjacency
from .workload import Weights, village_figures

PLANNED_LEVELS = (UnitLevel.POLSEK, UnitLevel.POLRES)
MAX_EXTRA_OFFICERS = 50
TIME_LIMITS = (5, 10, 30, 60)


@dataclass(frozen=True)
class PlanSettings:
    weights: Weights = field(default_factory=Weights)
    max_changes: int | None = None  # None: a quarter of the villages
    extra_officers: int = 0  # what-if: officers added
    leaving: tuple[str, ...] = ()  # what-if (or on leave): NRPs left out
    time_limit: int = 10
    moves: int | None = None  # a Polres: officers who may move Polsek (None: a tenth of them)
    cover_all: bool = True  # False: villages without an officer today stay without


def recommendation_make(*, user: User, unit: Unit, plan: PlanSettings) -> Recommendation:
    """Recommend who covers which villages of ``unit`` (a Polsek or a Polres) and keep the
    result. Refuses, naming the field, a unit of another level, a unit without villages,
    unknown officers among those leaving, and a plan with no officer left."""
    if unit.level not in PLANNED_LEVELS:
        raise ApplicationError(
            _("Recommendations are made for a Polsek or a Polres; choose one below."),
            fields={"unit": [_("Choose a Polsek or a Polres.")]},
        )
    area = planning_area(unit)
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(plan.leaving) - set(area.officers))
    if unknown:
        errors["leaving"] = [
            _("Not an active officer of this unit: %(nrps)s.") % {"nrps": ", ".join(unknown)}
        ]
    if not 0 <= plan.extra_officers <= MAX_EXTRA_OFFICERS:
        errors["extra_officers"] = [
            _("Add between 0 and %(n)d officers.") % {"n": MAX_EXTRA_OFFICERS}
        ]
    if plan.moves is not None and (
        plan.moves < 0 or (plan.moves and unit.level != UnitLevel.POLRES)
    ):
        errors["moves"] = [_("Officers move between the Polseks of a Polres: give 0 here.")]
    if plan.max_changes is not None and plan.max_changes < 0:
        errors["max_changes"] = [_("Give 0 or more.")]
    if any(value < 0 for value in plan.weights.as_dict().values()):
        errors["weights"] = [_("Weights are 0 or more.")]
    if not area.villages:
        errors["unit"] = [_("This unit covers no village: add its jurisdiction first.")]
    available = [nrp for nrp in area.officers if nrp not in plan.leaving]
    if not errors and not available and plan.extra_officers == 0:
        errors["extra_officers"] = [
            _(
                "This unit has no active officer to assign (all are transferred, retired or "
                "left out): ask how N more officers would cover it."
            )
        ]
    if errors:
        raise ApplicationError(_("The recommendation cannot be made."), fields=errors)

    today = timezone.localdate()
    figures = village_figures(area.villages.values(), today)
    workloads = {code: figures[code].workload(plan.weights) for code in area.villages}
    located = {
        code: village
        for code, village in area.villages.items()
        if village.centroid_lat is not None
        and village.centroid_lng is not None
        and (plan.cover_all or area.covering.get(code))
    }
    places = {
        code: Place(
            code,
            v.centroid_lat or 0.0,
            v.centroid_lng or 0.0,
            workloads[code],
            area.village_unit[code].path,
        )
        for code, v in located.items()
    }
    current: dict[str, set[str]] = {nrp: set() for nrp in area.officers}
    for code, nrps in area.covering.items():
        for nrp in nrps:
            current[nrp].add(code)
    staff = [
        Staff(nrp, area.officers[nrp].unit.path, frozenset(current[nrp] & set(places)))
        for nrp in available
    ] + [Staff(f"+{i}", unit.path) for i in range(1, plan.extra_officers + 1)]
    held = sum(1 for code in places if any(nrp in available for nrp in area.covering.get(code, [])))
    max_changes = plan.max_changes if plan.max_changes is not None else held // 4
    moves = 0
    if unit.level == UnitLevel.POLRES:
        moves = plan.moves if plan.moves is not None else len(available) // 10
    adjacent = village_adjacency(located, places)
    problem = Problem(
        villages=list(places.values()),
        officers=staff,
        max_changes=max_changes,
        time_limit=float(plan.time_limit),
        moves=moves,
        adjacent=adjacent,
    )
    solution = solve(problem)
    if solution.status not in ("optimal", "feasible", "trivial"):
        raise ApplicationError(
            _("The solver found no assignment within %(s)d s: allow more time or more changes.")
            % {"s": plan.time_limit},
            fields={"time_limit": [_("Allow more time.")]},
        )

    units_by_path = {u.path: u for u in area.village_unit.values()}
    before_owner = {code: list(area.covering.get(code, [])) for code in area.villages}
    after_owner = {
        code: (
            sorted(solution.shares[code], key=lambda k: (-solution.shares[code][k], k))
            if code in solution.shares
            else list(before_owner[code])
        )
        for code in area.villages
    }
    before_loads = _loads({c: {k: 1 for k in who} for c, who in before_owner.items()}, workloads)
    after_loads = _loads(
        {c: solution.shares.get(c) or dict.fromkeys(after_owner[c], 1) for c in area.villages},
        workloads,
    )
    result = {
        "weights": plan.weights.as_dict(),
        "max_changes": max_changes,
        "moves_allowed": moves,
        "villages": [
            {
                "code": code,
                "name": village.name,
                "unit": area.village_unit[code].name,
                "lat": village.centroid_lat,
                "lng": village.centroid_lng,
                "workload": workloads[code],
                "figures": figures[code].__dict__,
                "before": before_owner[code],
                "inactive": area.inactive_covering.get(code, []),
                "after": after_owner[code],
                "shares": solution.shares.get(code, {}),
                "parts": solution.parts.get(code, 1),
                "located": code in places,
            }
            for code, village in area.villages.items()
        ],
        "officers": [
            {
                "key": s.key,
                "name": area.officers[s.key].name if s.key in area.officers else "",
                "unit": area.officers[s.key].unit.name if s.key in area.officers else unit.name,
                "before": round(before_loads.get(s.key, 0.0), 2),
                "after": round(after_loads.get(s.key, 0.0), 2),
                "villages": sum(1 for who in after_owner.values() if s.key in who),
                "moves_to": units_by_path[solution.moved[s.key]].name
                if s.key in solution.moved
                else None,
                "base": solution.bases.get(s.key),
            }
            for s in staff
        ]
        + [
            {
                "key": nrp,
                "name": area.officers[nrp].name,
                "unit": area.officers[nrp].unit.name,
                "before": round(before_loads.get(nrp, 0.0), 2),
                "after": None,
                "base": None,
                "leaving": True,
            }
            for nrp in plan.leaving
        ],
        # Every officer counts, those without a village too (a load of 0).
        "before": balance(
            {nrp: before_loads.get(nrp, 0.0) for nrp in area.officers},
            before_owner,
            places,
            today_bases(problem),
            len(area.villages),
            adjacent,
        ),
        "after": balance(
            {s.key: after_loads.get(s.key, 0.0) for s in staff},
            after_owner,
            places,
            solution.bases,
            len(area.villages),
            adjacent,
        ),
        "solver": {
            "status": solution.status,
            "objective": solution.objective,
            "bound": solution.bound,
            "gap": None if solution.gap is None else round(solution.gap, 4),
            "seconds": round(solution.seconds, 2),
            "contiguous": solution.contiguous,
            "time_limit": plan.time_limit,
        },
        "unlocated": sorted(
            code
            for code, v in area.villages.items()
            if v.centroid_lat is None or v.centroid_lng is None
        ),
        "cover_all": plan.cover_all,
        "unreachable": sorted(n.partition(":")[2] for n in solution.notes),
    }
    result["changed"] = sum(
        1
        for code, before in before_owner.items()
        if before and set(after_owner[code]) != set(before)
    )
    return Recommendation.objects.create(
        unit=unit,
        created_by=user,
        options={
            "max_changes": plan.max_changes,
            "extra_officers": plan.extra_officers,
            "leaving": list(plan.leaving),
            "time_limit": plan.time_limit,
            "moves": plan.moves,
            "cover_all": plan.cover_all,
            "weights": plan.weights.as_dict(),
        },
        result=result,
    )


def _loads(shares: dict[str, dict[str, int]], workloads: dict[str, float]) -> dict[str, float]:
    """Each officer's workload: their villages' workloads times their share of each
    (``shares``: village → officer → parts; today, a village's officers hold a part each)."""
    loads: dict[str, float] = {}
    for code, held in shares.items():
        parts = sum(held.values())
        for key, n in held.items():
            loads[key] = loads.get(key, 0.0) + workloads[code] * n / parts
    return loads


@dataclass
class Acceptance:
    applied: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def recommendation_accept(
    *,
    user: User,
    recommendation: Recommendation,
    codes: list[str],
    request: HttpRequest | None = None,
) -> Acceptance:
    """Make the recommended changes of the villages ``codes`` into assignments from today:
    the recommended officer starts covering the village as its residents' contact, and the
    officers covering it today stop. A village whose officers changed since the
    recommendation, or whose recommended officer is a what-if officer or no longer active,
    is skipped with the reason. Each change is audited; a recommendation is accepted once."""
    if recommendation.accepted_at is not None:
        raise ApplicationError(
            _("This recommendation was accepted on %(when)s; make a new one.")
            % {"when": timezone.localtime(recommendation.accepted_at).strftime("%d-%m-%Y %H:%M")},
            code="conflict",
            status_code=409,
        )
    rows = {v["code"]: v for v in recommendation.result.get("villages", [])}
    unknown = sorted(set(codes) - {c for c, v in rows.items() if _changes(v)})
    if unknown:
        raise ApplicationError(
            _("The recommendation does not change these villages: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            fields={"villages": [_("Choose villages from the list of changes.")]},
        )
    today = timezone.localdate()
    outcome = Acceptance()
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.accepted_at is not None:
            raise ApplicationError(
                _("This recommendation has just been accepted."), code="conflict", status_code=409
            )
        for code in codes:
            reason = _apply(user, recommendation, rows[code], today, request)
            if reason:
                outcome.skipped[code] = reason
            else:
                outcome.applied.append(code)
        locked.accepted_at, locked.accepted_by = timezone.now(), user
        locked.outcome = {"applied": outcome.applied, "skipped": outcome.skipped}
        locked.save(update_fields=["accepted_at", "accepted_by", "outcome"])
    recommendation.refresh_from_db()
    return outcome


def village_unit(village: Region) -> Unit | None:
    """The unit covering ``village`` (its Polsek)."""
    jurisdiction = Jurisdiction.objects.filter(village=village).select_related("unit").first()
    return jurisdiction.unit if jurisdiction else None


def _changes(row: dict[str, object]) -> bool:
    """Whether a village's row changes anything: a new officer, or officers released."""
    before, after = row.get("before") or [], row.get("after") or []
    return bool(after) and set(after) != set(before)  # type: ignore[call-overload]


def _apply(
    user: User,
    recommendation: Recommendation,
    row: dict[str, object],
    today: dt.date,
    request: HttpRequest | None,
) -> str:
    """One village's change, in a savepoint; the reason it was skipped, or ""."""
    code = str(row["code"])
    after = [str(key) for key in row["after"]]  # type: ignore[attr-defined]
    new = after[0]  # the village's recommended officer; any others keep sharing it
    active = Assignment.objects.filter(village_id=code, end_date__isnull=True).select_related(
        "officer"
    )
    now = sorted(a.officer.nrp for a in active if a.officer.status == OfficerStatus.ACTIVE)
    if now != sorted(row["before"]):  # type: ignore[call-overload]
        return _("its officers changed since the recommendation was made")
    if any(key.startswith("+") for key in after):
        return _("the recommended officer is one of the officers asked for, not yet posted")
    officer = Officer.objects.filter(nrp=new, status=OfficerStatus.ACTIVE).first()
    if officer is None:
        return _("the recommended officer is no longer active")
    try:
        with transaction.atomic():
            released = []
            for assignment in active:
                if assignment.officer.nrp not in after:
                    personnel.assignment_end(assignment=assignment, end_date=today)
                    released.append(assignment.officer.nrp)
            parts = int(str(row.get("parts") or 1))
            shares: dict[str, int] = dict(row.get("shares") or {})  # type: ignore[call-overload]
            village = Region.objects.get(code=code)
            joined = [key for key in after if key not in now]
            moving = {
                o["key"] for o in recommendation.result.get("officers", []) if o.get("moves_to")
            }
            for key in joined:
                joining = (
                    Officer.objects.filter(nrp=key, status=OfficerStatus.ACTIVE)
                    .select_related("unit")
                    .first()
                )
                if joining is None:
                    raise ApplicationError(_("the recommended officer is no longer active"))
                polsek = village_unit(village)
                if key in moving and polsek and not polsek.path.startswith(joining.unit.path):
                    personnel.officer_move(officer=joining, unit=polsek)
                    audit_record(
                        user=user,
                        action=AuditAction.UPDATE,
                        target=joining,
                        request=request,
                        recommendation=recommendation.pk,
                        moved_to=polsek.code,
                    )
                personnel.assignment_start(
                    officer=joining,
                    village=village,
                    start_date=today,
                    area=_("%(n)s of %(parts)s parts (name the RW)")
                    % {"n": shares.get(key, 1), "parts": parts}
                    if parts > 1
                    else "",
                )
            made = Assignment.objects.get(officer=officer, village_id=code, end_date__isnull=True)
            personnel.assignment_make_contact(assignment=made)
            audit_record(
                user=user,
                action=AuditAction.CREATE if joined else AuditAction.UPDATE,
                target=made,
                request=request,
                recommendation=recommendation.pk,
                village=code,
                officer=new,
                joined=joined,
                released=released,
            )
    except ApplicationError as error:
        return " ".join(p for ps in error.fields.values() for p in ps) or error.message
    return ""
