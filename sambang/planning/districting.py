"""Who covers which villages: a workload-balanced, contiguous assignment solved by CP-SAT.

The model (OR-Tools CP-SAT, an exact solver: it reports whether its answer is optimal and,
if not, how far from the best possible it may be):

- A village is covered in ``parts``: one, or, where its workload is larger than the mean
  workload per officer (a crowded kelurahan), as many parts as it holds mean workloads (at
  most ``MAX_PARTS``), and never fewer than the officers sharing it today. Each part goes
  to one officer (in the field: a group of RW); ``share[o, v]`` is officer ``o``'s number
  of parts of ``v`` and ``x[o, v] = 1`` when it is not zero. An officer's load is the sum
  of their villages' workloads times their share.
- The villages an officer may take are those of their own unit's jurisdiction (an officer
  never crosses into another Polsek) that they cover today or whose nearest officers' bases
  include theirs (``CANDIDATES`` nearest).
- Each officer keeps a *base*: the village of their own today that is nearest to the rest
  of their villages (distinct per officer, except in villages covered in parts). Contiguity
  is the shortest-path rule of districting models (Validi, Buchanan & Lykhovyd 2022; p-median
  districting with contiguity, Vlček et al. 2024): a village newly given to an officer must
  have a neighbour closer to the officer's base that the officer covers too, so that every
  village joins the base through the officer's own villages. Neighbours are villages whose
  outlines touch (``selectors.village_adjacency``), else the edges of the Delaunay
  triangulation of the villages' centroids (shapely), without edges longer than three times
  the median one. What an officer covers today is never forbidden by it, so
  today's assignment is always a possible answer.
- An officer without a village of their own today (a new officer, one of the "N more" of a
  what-if, or one whose only village is another's base) has no base: the solver may choose
  one village as their base and give them villages within the unit's typical district
  radius of it.
- At most ``max_changes`` villages that have officers today change them (an officer joins
  or leaves the village).
- For a Polres, up to ``moves`` officers may move to another of its Polseks. How many
  officers each Polsek should have is solved first (CP-SAT: the smallest largest workload
  per officer of a Polsek, then the least spread); those who move are the donor Polsek's
  officers with the least workload today (as long as the villages they leave fit in the
  changes allowed), each to the nearest Polsek that gains officers, where they start
  without a base.
- Objective, in workload units (W): ``n × max load + Σ |load − mean load|`` (the largest
  load and the spread, which make max ÷ mean and the Gini coefficient), plus
  ``travel_weight`` W per km from an officer's base to each of their villages, plus
  ``change_weight`` W per village changing officers.

When no contiguous answer exists (today's assignment is not contiguous and the changes
allowed cannot make it so), the model is solved again without the contiguity rule, and the
result says so.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import shapely
from ortools.sat.python import cp_model

from sambang.territory.selectors import haversine_m

CANDIDATES = 6  # nearest officers' bases whose officers may take a village
MAX_PARTS = 6  # the most parts a village is covered in
SCALE = 1000  # workload units → the solver's integers
KM_SCALE = 10  # distances in the solver: tenths of a kilometre
STATUSES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
}


@dataclass(frozen=True)
class Village:
    code: str
    lat: float
    lng: float
    workload: float
    unit: str  # the path of the unit covering it (its Polsek)


@dataclass(frozen=True)
class Officer:
    key: str  # the NRP, or "+1", "+2"… for officers a what-if adds
    unit: str  # the path of the officer's unit: they may cover villages of its jurisdiction
    current: frozenset[str] = frozenset()  # the codes of the villages they cover today


@dataclass(frozen=True)
class Problem:
    villages: Sequence[Village]
    officers: Sequence[Officer]
    max_changes: int
    travel_weight: float = 0.02  # W per km from the base
    change_weight: float = 0.05  # W per village changing officer
    time_limit: float = 10.0
    workers: int = 2
    moves: int = 0  # officers who may move to another unit (a Polres's Polseks)
    adjacent: Mapping[str, set[str]] | None = None  # neighbours (None: from the centroids)


@dataclass
class Solution:
    owner: dict[str, str]  # village code → its main officer (the largest share)
    bases: dict[str, str]  # officer key → village code
    status: str  # "optimal", "feasible", "infeasible", "unknown", "trivial"
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    contiguous: bool = True  # whether the contiguity rule held in the model solved
    notes: list[str] = field(default_factory=list)
    shares: dict[str, dict[str, int]] = field(default_factory=dict)  # village → officer → parts
    parts: dict[str, int] = field(default_factory=dict)  # village → its number of parts
    moved: dict[str, str] = field(default_factory=dict)  # officer → the unit they move to

    @property
    def gap(self) -> float | None:
        """The relative optimality gap: (objective − best bound) ÷ objective; 0 is optimal."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)


def km(a: Village, b: Village) -> float:
    return haversine_m(a.lat, a.lng, b.lat, b.lng) / 1000


def neighbours(villages: Sequence[Village]) -> dict[str, set[str]]:
    """Adjacent villages: the Delaunay triangulation of their centroids (in a local plane),
    without edges longer than three times the median edge; villages at the same point are
    adjacent to each other and share their neighbours. With fewer than four places every
    pair is adjacent; with all on one line, each is adjacent to the next."""
    found: dict[str, set[str]] = {v.code: set() for v in villages}
    mean_lat = math.radians(statistics.fmean(v.lat for v in villages)) if villages else 0.0
    at: dict[tuple[float, float], list[Village]] = {}
    for v in villages:
        at.setdefault((round(v.lng * math.cos(mean_lat), 9), round(v.lat, 9)), []).append(v)
    points = list(at)
    pairs: list[tuple[tuple[float, float], tuple[float, float], float]] = []
    if len(points) < 4:
        pairs = [(p, q, km(at[p][0], at[q][0])) for p, q in itertools.combinations(points, 2)]
    else:
        edges = shapely.delaunay_triangles(shapely.MultiPoint(points), only_edges=True)
        for line in getattr(edges, "geoms", []):
            (x1, y1), (x2, y2) = line.coords[0], line.coords[-1]
            start, end = (round(x1, 9), round(y1, 9)), (round(x2, 9), round(y2, 9))
            if start in at and end in at and start != end:
                pairs.append((start, end, km(at[start][0], at[end][0])))
        if not pairs:  # all on one line: each with the next
            ordered = sorted(points)
            pairs = [(p, q, km(at[p][0], at[q][0])) for p, q in itertools.pairwise(ordered)]
    longest = 3 * statistics.median(length for _, _, length in pairs) if pairs else 0.0
    for p, q, length in pairs:
        if length <= longest or len(points) < 4:
            for one in at[p]:
                found[one.code] |= {other.code for other in at[q]}
            for one in at[q]:
                found[one.code] |= {other.code for other in at[p]}
    for group in at.values():
        for one in group:
            found[one.code] |= {other.code for other in group if other.code != one.code}
    return found


def today_bases(problem: Problem) -> dict[str, str]:
    """Each officer's base in today's assignment (for its figures, such as travel)."""
    return _bases(problem.officers, {v.code: v for v in problem.villages}, _parts(problem))


def _bases(
    officers: Sequence[Officer], villages: dict[str, Village], parts: dict[str, int]
) -> dict[str, str]:
    """Each officer's base: of the villages they cover today, the one with the least distance
    to their others; distinct per officer except in a village covered in parts, which is
    the base of at most as many officers as it has parts (those with fewest villages choose
    first)."""
    taken: dict[str, int] = {}
    bases: dict[str, str] = {}
    for officer in sorted(officers, key=lambda o: (len(o.current), o.key)):
        mine = [villages[c] for c in sorted(officer.current) if c in villages]
        choices = sorted(
            (v for v in mine if taken.get(v.code, 0) < parts[v.code]),
            key=lambda v: (sum(km(v, w) for w in mine), v.code),
        )
        if choices:
            bases[officer.key] = choices[0].code
            taken[choices[0].code] = taken.get(choices[0].code, 0) + 1
    return bases


def _parts(problem: Problem) -> dict[str, int]:
    """How many parts each village is covered in (see the module's docstring)."""
    mean = sum(v.workload for v in problem.villages) / max(len(problem.officers), 1)
    sharing = _sharers(problem.officers)
    return {
        v.code: max(
            sharing.get(v.code, 1),
            min(MAX_PARTS, math.ceil(v.workload / mean)) if mean > 0 else 1,
            1,
        )
        for v in problem.villages
    }


def _allowed(officer: Officer, village: Village, base: Village | None, nearest: set[str]) -> bool:
    if not village.unit.startswith(officer.unit):
        return False
    return village.code in officer.current or base is None or officer.key in nearest


def _district_radius(
    problem: Problem,
    bases: dict[str, str],
    by_code: dict[str, Village],
    adjacent: Mapping[str, set[str]],
) -> float:
    """How far from the base chosen for an officer without a village today they may be given
    villages (km): twice the typical distance from a base to the villages of today's
    districts, at least twice the typical distance between neighbouring villages."""
    spans = [
        km(by_code[bases[o.key]], by_code[c])
        for o in problem.officers
        if o.key in bases
        for c in o.current
        if c in by_code
    ]
    steps = [km(by_code[a], by_code[b]) for a, near in adjacent.items() for b in near]
    typical = statistics.median(spans) if spans else 0.0
    step = statistics.median(steps) if steps else 0.0
    return max(2 * typical, 2 * step, 1.0)


def solve(problem: Problem) -> Solution:
    """The recommended officer of every village (see the module's docstring)."""
    started = time.monotonic()
    villages = list(problem.villages)
    by_code = {v.code: v for v in villages}
    officers = list(problem.officers)
    if not villages or not officers:
        return Solution(owner={}, bases={}, status="trivial", seconds=0.0)
    moved = _staffing(problem) if problem.moves > 0 else {}
    left = frozenset(c for o in problem.officers if o.key in moved for c in o.current)
    if moved:
        officers = [Officer(o.key, moved[o.key]) if o.key in moved else o for o in problem.officers]
        problem = dataclasses.replace(problem, officers=officers)
    parts = _parts(problem)
    bases = _bases(officers, by_code, parts)
    solution = _solve(problem, bases, parts, contiguous=True, left_by_movers=left)
    if solution.status == "infeasible":
        solution = _solve(problem, bases, parts, contiguous=False, left_by_movers=left)
        solution.contiguous = False
    solution.moved = moved
    solution.seconds = time.monotonic() - started
    return solution


def _staffing(problem: Problem) -> dict[str, str]:
    """Which officers move to which unit, when up to ``problem.moves`` may: how many officers
    each unit should have is solved exactly (CP-SAT: the smallest largest workload per
    officer of a unit, then the least spread, with every unit that has villages keeping at
    least one officer); those who move are the donor unit's officers with the least
    workload today, each to the nearest unit that gains officers."""
    villages = list(problem.villages)
    units = sorted({v.unit for v in villages})
    work = {u: round(sum(v.workload for v in villages if v.unit == u) * SCALE) for u in units}
    staff = {u: [o for o in problem.officers if o.unit == u] for u in units}
    total_staff = sum(len(people) for people in staff.values())
    if total_staff == 0 or len(units) < 2:
        return {}
    mean = sum(work.values()) // total_staff
    model = cp_model.CpModel()
    count: dict[str, cp_model.IntVar] = {}
    loads = []
    top = model.new_int_var(0, max(sum(work.values()), 1), "top")
    gained = []
    spread = []
    for u in units:
        today = len(staff[u])
        low = max(0, today - problem.moves)
        high = today + problem.moves
        options = {k: model.new_bool_var(f"k[{u},{k}]") for k in range(low, high + 1)}
        if work[u] > 0:
            for k in list(options):
                if k == 0:
                    model.add(options[k] == 0)
        model.add_exactly_one(options.values())
        count[u] = model.new_int_var(low, high, f"n[{u}]")
        model.add(count[u] == sum(k * b for k, b in options.items()))
        load = sum((work[u] // k if k else 0) * b for k, b in options.items())
        loads.append(load)
        model.add(top >= load)
        gain = model.new_int_var(0, problem.moves, f"gain[{u}]")
        model.add(gain >= count[u] - today)
        gained.append(gain)
        deviation = model.new_int_var(0, max(sum(work.values()), 1) * (high + 1), f"dev[{u}]")
        model.add_abs_equality(deviation, work[u] - mean * count[u])
        spread.append(deviation)
    model.add(sum(count.values()) == total_staff)
    model.add(sum(gained) <= problem.moves)
    model.minimize(total_staff * top + sum(spread))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = min(problem.time_limit / 4, 10.0)
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = 1
    if STATUSES.get(solver.solve(model)) not in ("optimal", "feasible"):
        return {}
    wanted = {u: int(solver.value(count[u])) for u in units}
    by_code = {v.code: v for v in villages}
    share = _sharers(problem.officers)
    light_first = {
        u: sorted(
            staff[u],
            key=lambda o: (
                sum(by_code[c].workload / share[c] for c in o.current if c in by_code),
                o.key,
            ),
        )
        for u in units
    }
    leaving = [o for u in units for o in light_first[u][: max(0, len(staff[u]) - wanted[u])]]
    places = {u: [v for v in villages if v.unit == u] for u in units}
    open_posts = [u for u in units for _ in range(max(0, wanted[u] - len(staff[u])))]
    moved: dict[str, str] = {}
    budget = problem.max_changes  # each village a mover leaves changes officer
    for officer in leaving:
        if not open_posts:
            break
        cost = sum(1 for c in officer.current if c in by_code)
        if cost > budget:
            continue
        budget -= cost
        home = [by_code[c] for c in officer.current if c in by_code] or places[officer.unit]
        nearest = min(
            open_posts,
            key=lambda u: (min(km(a, b) for a in home for b in places[u]) if home else 0.0, u),
        )
        open_posts.remove(nearest)
        moved[officer.key] = nearest
    return moved


def _sharers(officers: Sequence[Officer]) -> dict[str, int]:
    found: dict[str, int] = {}
    for officer in officers:
        for code in officer.current:
            found[code] = found.get(code, 0) + 1
    return found


def _solve(
    problem: Problem,
    bases: dict[str, str],
    parts: dict[str, int],
    *,
    contiguous: bool,
    left_by_movers: frozenset[str] = frozenset(),
) -> Solution:
    villages = list(problem.villages)
    by_code = {v.code: v for v in villages}
    officers = list(problem.officers)
    adjacent = problem.adjacent if problem.adjacent is not None else neighbours(villages)
    based = [o for o in officers if o.key in bases]
    nearest: dict[str, set[str]] = {}
    for v in villages:
        mine = [o for o in based if v.unit.startswith(o.unit)]
        mine.sort(key=lambda o: (km(by_code[bases[o.key]], v), o.key))
        nearest[v.code] = {o.key for o in mine[:CANDIDATES]}

    model = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    for o in officers:
        base = by_code[bases[o.key]] if o.key in bases else None
        for v in villages:
            if _allowed(o, v, base, nearest[v.code]):
                x[o.key, v.code] = model.new_bool_var(f"x[{o.key},{v.code}]")
    by_village: dict[str, list[str]] = {v.code: [] for v in villages}
    by_officer: dict[str, list[str]] = {o.key: [] for o in officers}
    for o_key, v_code in x:
        by_village[v_code].append(o_key)
        by_officer[o_key].append(v_code)
    notes: list[str] = []
    unreachable = [code for code, who in by_village.items() if not who]
    for code in unreachable:
        notes.append(f"unreachable:{code}")
    share: dict[tuple[str, str], cp_model.LinearExprT] = {}
    for code, who in by_village.items():
        if not who:
            continue
        if parts[code] == 1:
            model.add_exactly_one(x[o, code] for o in who)
            share.update({(o, code): x[o, code] for o in who})
            continue
        for key in who:
            held = model.new_int_var(0, parts[code], f"share[{key},{code}]")
            model.add(held >= x[key, code])
            model.add(held <= parts[code] * x[key, code])
            share[key, code] = held
        model.add(sum(share[key, code] for key in who) == parts[code])

    radius = _district_radius(problem, bases, by_code, adjacent)
    for o in officers:
        if o.key in bases:
            base = by_code[bases[o.key]]
            model.add(x[o.key, base.code] == 1)
            if not contiguous:
                continue
            for code in by_officer[o.key]:
                if code == base.code or code in o.current:
                    continue
                here = km(base, by_code[code])
                closer = [
                    x[o.key, u]
                    for u in adjacent[code]
                    if (o.key, u) in x and km(base, by_code[u]) < here
                ]
                model.add(x[o.key, code] <= sum(closer))
        elif by_officer[o.key]:  # no base today: the solver chooses one
            root = {code: model.new_bool_var(f"root[{o.key},{code}]") for code in by_officer[o.key]}
            model.add_at_most_one(root.values())  # none where the Polsek has no village left
            for code in by_officer[o.key]:
                model.add_implication(root[code], x[o.key, code])
                near = [
                    root[u] for u in by_officer[o.key] if km(by_code[u], by_code[code]) <= radius
                ]
                model.add(x[o.key, code] <= sum(near))

    keeps = {
        v.code: [o.key for o in officers if v.code in o.current and (o.key, v.code) in x]
        for v in villages
    }
    changed: dict[str, cp_model.IntVar] = {}
    for code, who in keeps.items():
        if code in left_by_movers:  # an officer of it moves away: it changes
            changed[code] = model.new_constant(1)
            continue
        if not who:  # a village without an officer today: giving it one is no change
            continue
        changed[code] = model.new_bool_var(f"changed[{code}]")
        for key in by_village[code]:
            model.add(changed[code] >= (1 - x[key, code] if key in who else x[key, code]))
    model.add(sum(changed.values()) <= problem.max_changes)

    weight = {v.code: round(v.workload * SCALE / parts[v.code]) for v in villages}  # per part
    total = sum(weight[c] * parts[c] for c, who in by_village.items() if who)
    mean = total // len(officers)
    top = model.new_int_var(0, max(total, 1), "max_load")
    deviations = []
    for o in officers:
        load = sum(weight[c] * share[o.key, c] for c in by_officer[o.key])
        model.add(top >= load)
        deviation = model.new_int_var(0, max(total, 1), f"dev[{o.key}]")
        model.add_abs_equality(deviation, load - mean)
        deviations.append(deviation)
    travel_coef = problem.travel_weight * SCALE / KM_SCALE
    travel = []
    for (o_key, code), var in x.items():
        if o_key in bases:
            tenths = round(km(by_code[bases[o_key]], by_code[code]) * KM_SCALE)
            travel.append(round(travel_coef * tenths) * var)
    change_cost = round(problem.change_weight * SCALE)
    model.minimize(
        len(officers) * top + sum(deviations) + sum(travel) + change_cost * sum(changed.values())
    )
    for village_code, who in keeps.items():  # today's officers as the starting point
        if who:
            for key in by_village[village_code]:
                model.add_hint(x[key, village_code], key in who)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = problem.time_limit
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = 1
    status = STATUSES.get(solver.solve(model), "unknown")
    if status not in ("optimal", "feasible"):
        return Solution(owner={}, bases=dict(bases), status=status, notes=notes)
    shares: dict[str, dict[str, int]] = {}
    for (o_key, v_code), expression in share.items():
        if solver.value(expression):
            shares.setdefault(v_code, {})[o_key] = int(solver.value(expression))
    owner = {code: max(held, key=lambda k: (held[k], k)) for code, held in shares.items()}
    chosen = dict(bases)
    for person in officers:
        if person.key not in bases:
            given = [c for c in by_officer[person.key] if person.key in shares.get(c, {})]
            if given:
                chosen[person.key] = min(
                    given, key=lambda c: sum(km(by_code[c], by_code[d]) for d in given)
                )
    return Solution(
        owner=owner,
        bases=chosen,
        status=status,
        objective=solver.objective_value / SCALE,
        bound=solver.best_objective_bound / SCALE,
        notes=notes,
        shares=shares,
        parts={code: parts[code] for code in shares},
    )


def gini(values: Iterable[float]) -> float:
    """The Gini coefficient: the mean absolute difference of all pairs ÷ twice the mean
    (0: all equal; 1 − 1/n: one holds everything)."""
    loads = sorted(values)
    n, total = len(loads), sum(loads)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((2 * (i + 1) - n - 1) * load for i, load in enumerate(loads))
    return weighted / (n * total)
