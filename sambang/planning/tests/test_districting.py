"""The assignment solver on small cases whose best answer is known by hand."""

from __future__ import annotations

import itertools

import pytest

from sambang.planning.districting import Officer, Problem, Village, gini, neighbours, solve

UNIT = "/1/2/"


def line(*workloads: float) -> list[Village]:
    """Villages on an east-west line, 2 km apart, in the order given."""
    return [
        Village(f"v{i}", -6.3, 107.0 + 0.018 * i, workload, UNIT)
        for i, workload in enumerate(workloads, start=1)
    ]


def officer(key: str, *codes: str, unit: str = UNIT) -> Officer:
    return Officer(key, unit, frozenset(codes))


def districts(owner: dict[str, str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for code, key in owner.items():
        found.setdefault(key, set()).add(code)
    return found


def test_the_gini_coefficient_is_the_textbook_one() -> None:
    assert gini([5, 5, 5, 5]) == 0
    # 0, 0, 0, 4: mean absolute difference of all 16 pairs = 24/16, ÷ (2 × mean 1) = 0.75
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)
    assert gini([]) == 0


def test_villages_on_a_line_are_neighbours_of_the_next_only() -> None:
    adjacent = neighbours(line(1, 1, 1, 1, 1))
    assert adjacent["v1"] == {"v2"}
    assert adjacent["v3"] == {"v2", "v4"}


def test_one_change_balances_two_officers_and_that_is_optimal() -> None:
    # Workloads 4 1 1 4: A covers v1–v3 (6), B covers v4 (4). The best: A v1–v2, B v3–v4 (5, 5).
    solution = solve(
        Problem(
            line(4, 1, 1, 4),
            [officer("A", "v1", "v2", "v3"), officer("B", "v4")],
            max_changes=1,
            travel_weight=0,
            change_weight=0,
        )
    )
    assert solution.status == "optimal" and solution.gap == 0
    assert districts(solution.owner) == {"A": {"v1", "v2"}, "B": {"v3", "v4"}}


def test_no_change_allowed_keeps_todays_assignment() -> None:
    solution = solve(
        Problem(line(4, 1, 1, 4), [officer("A", "v1", "v2", "v3"), officer("B", "v4")], 0)
    )
    assert districts(solution.owner) == {"A": {"v1", "v2", "v3"}, "B": {"v4"}}


def test_an_officer_is_never_given_villages_that_do_not_join_their_own() -> None:
    # Workloads 1 1 5 1 1; A covers v1–v2 (2), B v3–v5 (7). A taking v4 alone (3 against 6)
    # would be better balanced, but v4 does not touch A's villages: the best contiguous
    # answers keep the largest load at 7.
    solution = solve(
        Problem(
            line(1, 1, 5, 1, 1),
            [officer("A", "v1", "v2"), officer("B", "v3", "v4", "v5")],
            max_changes=5,
            travel_weight=0,
            change_weight=0,
        )
    )
    assert solution.status == "optimal" and solution.contiguous
    adjacent = neighbours(line(1, 1, 5, 1, 1))
    for codes in districts(solution.owner).values():
        ordered = sorted(codes, key=lambda c: int(c[1:]))
        assert all(b in adjacent[a] for a, b in itertools.pairwise(ordered))
    loads = {"v1": 1, "v2": 1, "v3": 5, "v4": 1, "v5": 1}
    assert max(
        sum(loads[c] for c in codes) for codes in districts(solution.owner).values()
    ) == pytest.approx(7)


def test_every_village_gets_an_officer_and_a_village_without_one_is_not_a_change() -> None:
    # v3 has no officer today; with no change allowed it still gets one (the nearer, A).
    solution = solve(
        Problem(line(1, 1, 1, 1), [officer("A", "v1", "v2"), officer("B", "v4")], max_changes=0)
    )
    assert set(solution.owner) == {"v1", "v2", "v3", "v4"}
    assert solution.owner["v1"] == "A" and solution.owner["v4"] == "B"


def test_an_officer_added_takes_the_heaviest_end() -> None:
    # One officer covers six villages; a second officer, with no village yet, is given a
    # contiguous half: the loads 3 + 3 is the optimum.
    solution = solve(
        Problem(
            line(1, 1, 1, 1, 1, 1),
            [officer("A", "v1", "v2", "v3", "v4", "v5", "v6"), officer("+1")],
            max_changes=6,
            travel_weight=0,
            change_weight=0,
        )
    )
    assert solution.status == "optimal"
    assert sorted(len(codes) for codes in districts(solution.owner).values()) == [3, 3]
    assert "+1" in solution.bases


def test_an_officer_stays_in_their_own_polsek() -> None:
    # B belongs to another Polsek: it never takes A's villages however unbalanced A is.
    villages = line(1, 1, 1, 1)
    other = Village("w1", -6.3, 107.09, 1, "/1/3/")
    solution = solve(
        Problem(
            [*villages, other],
            [officer("A", "v1", "v2", "v3", "v4"), officer("B", "w1", unit="/1/3/")],
            max_changes=4,
        )
    )
    assert districts(solution.owner) == {"A": {"v1", "v2", "v3", "v4"}, "B": {"w1"}}


def test_nothing_to_assign_is_answered_at_once() -> None:
    assert solve(Problem([], [officer("A")], 0)).status == "trivial"
    assert solve(Problem(line(1, 1), [], 0)).status == "trivial"


def test_a_crowded_village_is_shared_in_parts() -> None:
    # H (4 W) is covered by A alone, L1 and L2 (0.5 W each) by B: loads 4 and 1. The mean is
    # 2.5, so H is covered in 2 parts of 2 W; the best is A one part (2), B the other (3).
    villages = line(0.5, 0.5, 4)
    solution = solve(
        Problem(
            villages,
            [officer("A", "v3"), officer("B", "v1", "v2")],
            max_changes=1,
            travel_weight=0,
            change_weight=0,
        )
    )
    assert solution.status == "optimal"
    assert solution.parts["v3"] == 2 and solution.shares["v3"] == {"A": 1, "B": 1}
    assert solution.owner["v1"] == solution.owner["v2"] == "B"


def test_officers_move_from_a_crowded_polsek_to_one_without_enough() -> None:
    # Polsek P has four villages of 1 W and one officer; Polsek Q one village of 1 W and three
    # officers sharing it. With two moves allowed the best staffing is 3 and 1: two of Q's
    # officers move to P, where four whole villages make loads 2, 1, 1; Q's last officer
    # keeps its village (1).
    p_villages = line(1, 1, 1, 1)
    q_village = Village("w1", -6.3, 107.1, 1, "/1/3/")
    officers = [
        officer("A", "v1", "v2", "v3", "v4"),
        officer("X", "w1", unit="/1/3/"),
        officer("Y", "w1", unit="/1/3/"),
        officer("Z", "w1", unit="/1/3/"),
    ]
    solution = solve(
        Problem([*p_villages, q_village], officers, max_changes=5, moves=2, change_weight=0)
    )
    assert set(solution.moved.values()) == {UNIT} and len(solution.moved) == 2
    loads: dict[str, float] = {}
    for code, held in solution.shares.items():
        for key, n in held.items():
            loads[key] = loads.get(key, 0) + n / solution.parts[code]
    assert sorted(loads.values()) == pytest.approx([1, 1, 1, 2])
    moved_villages = {c for c, held in solution.shares.items() if set(held) & set(solution.moved)}
    assert moved_villages and moved_villages <= {"v1", "v2", "v3", "v4"}
    # Without moves, Q keeps its three officers and P its one.
    still = solve(Problem([*p_villages, q_village], officers, max_changes=5))
    assert still.moved == {} and set(still.shares["w1"]) == {"X", "Y", "Z"}


def test_neighbours_are_villages_whose_outlines_touch_where_outlines_are_known() -> None:
    from sambang.planning.selectors import village_adjacency
    from sambang.territory.models import Region

    def square(west: float) -> dict[str, object]:
        ring = [
            [west, -6.3],
            [west + 0.01, -6.3],
            [west + 0.01, -6.29],
            [west, -6.29],
            [west, -6.3],
        ]
        return {"type": "Polygon", "coordinates": [ring]}

    places = {v.code: v for v in line(1, 1, 1)}  # three places: every pair by the centroids
    assert neighbours(list(places.values()))["v1"] == {"v2", "v3"}
    outlined = {
        code: Region(code=code, boundary=square(107.0 + 0.01 * i)) for i, code in enumerate(places)
    }
    adjacent = village_adjacency(outlined, places)
    assert adjacent == {"v1": {"v2"}, "v2": {"v1", "v3"}, "v3": {"v2"}}
    # A village without an outline keeps the neighbours its centroid gives it.
    outlined["v3"] = Region(code="v3", boundary=None)
    assert village_adjacency(outlined, places)["v3"] == {"v1", "v2"}
