"""An officer's week as day routes: OR-Tools' vehicle-routing solver, one "vehicle" per day.

Every day starts and ends at the officer's base. A stop takes its own minutes plus the
travel from the stop before; travel time is the straight-line distance × ``ROAD_FACTOR``
at ``SPEED_KMH`` (a motorbike on village roads). A day holds at most its working minutes.
A stop may be tied to some days (a mediation's follow-up date); a stop that does not fit
is left out, the least important first (each has a penalty). The solver balances the days
(the longest day costs extra) and otherwise minimises travel time.

``ROAD_FACTOR`` is the detour of roads over the straight line: around 1.3–1.4 on rural
networks (circuity studies such as Ballou, Rahardja & Sakai 2002 find 1.2–1.4 by region);
a road network can replace it later.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from sambang.territory.selectors import haversine_m

ROAD_FACTOR = 1.4
SPEED_KMH = 30.0


@dataclass(frozen=True)
class Stop:
    key: str
    lat: float
    lng: float
    minutes: int  # time spent there
    penalty: int  # what leaving it out costs, in minutes (of travel or of the longest day)
    days: tuple[int, ...] | None = None  # the days it may be on (None: any)


@dataclass(frozen=True)
class Week:
    base: tuple[float, float]
    stops: Sequence[Stop]
    days: int
    day_minutes: int
    time_limit: float = 0.5


@dataclass
class Route:
    days: list[list[tuple[str, int]]] = field(default_factory=list)  # (stop, arrival minute)
    km: list[float] = field(default_factory=list)  # road km driven each day
    dropped: list[str] = field(default_factory=list)
    status: str = "trivial"
    seconds: float = 0.0


def travel_minutes(a: tuple[float, float], b: tuple[float, float]) -> int:
    return math.ceil(road_km(a, b) / SPEED_KMH * 60)


def road_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return haversine_m(a[0], a[1], b[0], b[1]) / 1000 * ROAD_FACTOR


def plan_week(week: Week) -> Route:
    """The stops ordered into ``week.days`` day routes from the base (see the docstring)."""
    started = time.monotonic()
    if not week.stops or week.days <= 0:
        return Route(
            days=[[] for _ in range(max(week.days, 0))],
            km=[0.0] * max(week.days, 0),
            dropped=[s.key for s in week.stops],
        )
    points = [week.base, *((s.lat, s.lng) for s in week.stops)]
    service = [0, *(s.minutes for s in week.stops)]
    manager = pywrapcp.RoutingIndexManager(len(points), week.days, 0)
    routing = pywrapcp.RoutingModel(manager)
    matrix = [[travel_minutes(a, b) for b in points] for a in points]

    def transit(from_index: int, to_index: int) -> int:
        a, b = manager.IndexToNode(from_index), manager.IndexToNode(to_index)
        return int(matrix[a][b] + service[a])

    callback = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    routing.AddDimension(callback, 0, week.day_minutes, True, "time")
    clock = routing.GetDimensionOrDie("time")
    clock.SetGlobalSpanCostCoefficient(1)  # balance the days: the longest costs its minutes
    for node, stop in enumerate(week.stops, start=1):
        index = manager.NodeToIndex(node)
        routing.AddDisjunction([index], stop.penalty)
        if stop.days is not None:
            allowed = [d for d in stop.days if 0 <= d < week.days]
            routing.VehicleVar(index).SetValues([-1, *allowed])
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(max(int(week.time_limit * 1000), 1))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return Route(
            days=[[] for _ in range(week.days)],
            km=[0.0] * week.days,
            dropped=[s.key for s in week.stops],
            status="unsolved",
            seconds=time.monotonic() - started,
        )
    route = Route(status="solved")
    visited: set[str] = set()
    for day in range(week.days):
        index = routing.Start(day)
        stops: list[tuple[str, int]] = []
        driven = 0.0
        previous = 0
        while not routing.IsEnd(index):
            index = solution.Value(routing.NextVar(index))
            node = manager.IndexToNode(index)
            driven += road_km(points[previous], points[node])
            previous = node
            if node != 0:
                key = week.stops[node - 1].key
                stops.append((key, solution.Value(clock.CumulVar(index))))
                visited.add(key)
        route.days.append(stops)
        route.km.append(round(driven, 1) if stops else 0.0)
    route.dropped = [s.key for s in week.stops if s.key not in visited]
    route.seconds = time.monotonic() - started
    return route
