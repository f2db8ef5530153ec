"""Who covers which villages: a workload-balanced, contiguous assignment solved by CP-SAT.

The model (OR-Tools CP-SAT, an exact solver: it reports whether its answer is optimal and,
if not, how far from the best possible it may be):

- ``x[o, v] = 1`` when officer ``o`` is to cover village ``v``; every village with a
  location gets exactly one officer. The villages an officer may take are those of their
  own unit's jurisdiction (an officer never crosses into another Polsek) that they cover
  today or whose nearest officers' bases include theirs (``CANDIDATES`` nearest).
- Each officer keeps a *base*: the village of their own today that is nearest to the rest
  of their villages (distinct per officer). Contiguity is the shortest-path rule of
  districting models (Validi, Buchanan & Lykhovyd 2022; p-median districting with
  contiguity, Vlček et al. 2024): a village newly given to an officer must have a
  neighbour closer to the officer's base that the officer covers too, so that every
  village joins the base through the officer's own villages. Neighbours are the edges of
  the Delaunay triangulation of the villages' centroids (shapely), without edges longer
  than three times the median one. What an officer covers today is never forbidden by it,
  so today's assignment is always a possible answer.
- An officer without a village today (a new officer, or one of the "N more" of a what-if)
  has no base: the solver chooses one village as their base and gives them villages
  within the unit's typical district radius of it.
- At most ``max_changes`` villages that keep an officer today change officer.
- Objective, in workload units (W): ``n × max load + Σ |load − mean load|`` (the largest
  load and the spread, which make max ÷ mean and the Gini coefficient), plus
  ``travel_weight`` W per km from an officer's base to each of their villages, plus
  ``change_weight`` W per village changing officer.

When no contiguous answer exists (today's assignment is not contiguous and the changes
allowed cannot make it so), the model is solved again without the contiguity rule, and the
result says so.
"""

from __future__ import annotations

import itertools
import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import shapely
from ortools.sat.python import cp_model

from sambang.territory.selectors import haversine_m

CANDIDATES = 6  # nearest officers' bases whose officers may take a village
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


@dataclass
class Solution:
    owner: dict[str, str]  # village code → officer key
    bases: dict[str, str]  # officer key → village code
    status: str  # "optimal", "feasible", "infeasible", "unknown", "trivial"
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    contiguous: bool = True  # whether the contiguity rule held in the model solved
    notes: list[str] = field(default_factory=list)

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


def _bases(officers: Sequence[Officer], villages: dict[str, Village]) -> dict[str, str]:
    """Each officer's base: of the villages they cover today, the one with the least distance
    to their others; distinct per officer (those with fewest villages choose first)."""
    taken: set[str] = set()
    bases: dict[str, str] = {}
    for officer in sorted(officers, key=lambda o: (len(o.current), o.key)):
        mine = [villages[c] for c in sorted(officer.current) if c in villages]
        choices = sorted(
            (v for v in mine if v.code not in taken),
            key=lambda v: (sum(km(v, w) for w in mine), v.code),
        )
        if choices:
            bases[officer.key] = choices[0].code
            taken.add(choices[0].code)
    return bases


def _allowed(officer: Officer, village: Village, base: Village | None, nearest: set[str]) -> bool:
    if not village.unit.startswith(officer.unit):
        return False
    return village.code in officer.current or base is None or officer.key in nearest


def _district_radius(
    problem: Problem,
    bases: dict[str, str],
    by_code: dict[str, Village],
    adjacent: dict[str, set[str]],
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
    bases = _bases(officers, by_code)
    solution = _solve(problem, bases, contiguous=True)
    if solution.status == "infeasible":
        solution = _solve(problem, bases, contiguous=False)
        solution.contiguous = False
    solution.seconds = time.monotonic() - started
    return solution


def _solve(problem: Problem, bases: dict[str, str], *, contiguous: bool) -> Solution:
    villages = list(problem.villages)
    by_code = {v.code: v for v in villages}
    officers = list(problem.officers)
    adjacent = neighbours(villages)
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
    for code, who in by_village.items():
        if who:
            model.add_exactly_one(x[o, code] for o in who)

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
            model.add_exactly_one(root.values())
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
    changed = {code: 1 - sum(x[o, code] for o in who) for code, who in keeps.items() if who}
    model.add(sum(changed.values()) <= problem.max_changes)

    weight = {v.code: round(v.workload * SCALE) for v in villages}
    total = sum(weight[c] for c, who in by_village.items() if who)
    mean = total // len(officers)
    top = model.new_int_var(0, max(total, 1), "max_load")
    deviations = []
    for o in officers:
        load = sum(weight[c] * x[o.key, c] for c in by_officer[o.key])
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
                model.add_hint(x[key, village_code], key == who[0])

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = problem.time_limit
    solver.parameters.num_workers = problem.workers
    solver.parameters.random_seed = 1
    status = STATUSES.get(solver.solve(model), "unknown")
    if status not in ("optimal", "feasible"):
        return Solution(owner={}, bases=dict(bases), status=status, notes=notes)
    owner = {v_code: o_key for (o_key, v_code), var in x.items() if solver.value(var)}
    chosen = dict(bases)
    for person in officers:
        if person.key not in bases:
            given = [c for c in by_officer[person.key] if owner.get(c) == person.key]
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
