"""Pages of planning: a unit's recommendation settings, and a recommendation shown before and
after, with its changes to accept."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError, error_text
from sambang.core.types import AuthenticatedHttpRequest
from sambang.evaluation.periods import local_today
from sambang.organization.models import Unit

from . import services, week
from .forms import RecommendationForm
from .models import Recommendation
from .selectors import active_officers
from .workload import Weights


def planning_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The planning page of the user's own unit."""
    root = access.scope_root(request.user)
    if root is None or not access.can_review(request.user):
        raise PermissionDenied
    return redirect("planning:unit", code=root.code)


def unit_planning(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Settings for a recommendation of who covers which villages of a Polsek or Polres,
    and the recommendations made for it; above a Polres, the units to choose from."""
    unit = access.access_planning_unit(request.user, code)
    plannable = unit.level in services.PLANNED_LEVELS
    officers = [(o.nrp, f"{o.name} ({o.nrp})") for o in active_officers(unit)] if plannable else []
    form = RecommendationForm(request.POST or None, officers=officers)
    if request.method == "POST" and plannable and form.is_valid():
        try:
            made = services.recommendation_make(user=request.user, unit=unit, plan=form.settings())
        except ApplicationError as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return redirect("planning:recommendation", code=unit.code, pk=made.pk)
    below = (
        access.planning_units_for_user(request.user)
        .filter(path__startswith=unit.path, level__in=services.PLANNED_LEVELS)
        .exclude(pk=unit.pk)
        .order_by("path")[:200]
        if unit.level != "polsek"
        else Unit.objects.none()
    )
    return render(
        request,
        "planning/unit.html",
        {
            "unit": unit,
            "plannable": plannable,
            "form": form,
            "below": below,
            "recent": Recommendation.objects.filter(unit=unit).select_related("created_by")[:10],
        },
        status=400 if form.errors else 200,
    )


def recommendation_detail(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    """A recommendation before and after, on a map, with its changes to accept."""
    unit = access.access_planning_unit(request.user, code)
    recommendation = access.access_recommendation(request.user, unit, pk)
    if request.method == "POST":
        codes = request.POST.getlist("village")
        if request.POST.get("all"):
            codes = [row["code"] for row in _changes(recommendation) if row["can_accept"]]
        try:
            outcome = services.recommendation_accept(
                user=request.user, recommendation=recommendation, codes=codes, request=request
            )
        except ApplicationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("%(n)d changes made into assignments; %(m)d skipped.")
                % {"n": len(outcome.applied), "m": len(outcome.skipped)},
            )
        return redirect("planning:recommendation", code=unit.code, pk=recommendation.pk)
    result = recommendation.result
    located = {v["code"]: v for v in result["villages"] if v["located"]}
    bases = {o["key"]: located.get(o["base"] or "") for o in result["officers"]}
    return render(
        request,
        "planning/recommendation.html",
        {
            "unit": unit,
            "recommendation": recommendation,
            "result": result,
            "figures": _figures(result),
            # (objective − best bound) ÷ objective, in percent: 0 is proven optimal
            "gap_pct": None
            if result["solver"]["gap"] is None
            else round(100 * result["solver"]["gap"], 2),
            "changes": _changes(recommendation),
            "moved": sum(1 for o in result["officers"] if o.get("moves_to")),
            "officers": sorted(
                result["officers"], key=lambda o: -(o["after"] if o["after"] is not None else -1)
            ),
            "weights": [(Weights.LABELS[name], value) for name, value in result["weights"].items()],
            "map_tiles": settings.SAMBANG_MAP_TILES,
            "map_villages": [
                {
                    "code": v["code"],
                    "name": v["name"],
                    "lat": v["lat"],
                    "lng": v["lng"],
                    "before": v["before"],
                    "after": v["after"],
                    "changed": bool(v["after"]) and set(v["after"]) != set(v["before"]),
                    "base": _place(bases.get(v["after"][0]) if v["after"] else None),
                }
                for v in located.values()
            ],
        },
    )


def _place(village: dict[str, Any] | None) -> list[float] | None:
    return [village["lat"], village["lng"]] if village else None


def _changes(recommendation: Recommendation) -> list[dict[str, Any]]:
    """The villages whose officers the recommendation changes, with whether each can be
    accepted (not an officer yet to be posted, not accepted already)."""
    names = {o["key"]: o["name"] for o in recommendation.result["officers"]}
    skipped = recommendation.outcome.get("skipped", {})
    applied = set(recommendation.outcome.get("applied", []))
    rows = []
    for village in recommendation.result["villages"]:
        before, after = village["before"], village["after"]
        if not after or set(after) == set(before):
            continue
        new = after[0]
        rows.append(
            {
                **village,
                "new": new,
                "new_name": names.get(new, ""),
                "today": [(k, names.get(k, "")) for k in before],
                "sharing": [(k, names.get(k, "")) for k in after[1:]],
                "hands": bool(before) and new not in before,
                "can_accept": recommendation.accepted_at is None and not new.startswith("+"),
                "applied": village["code"] in applied,
                "skipped": skipped.get(village["code"], ""),
            }
        )
    return rows


def _figures(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The balance figures before and after, each with its change where it is a ratio."""
    before, after = result["before"], result["after"]
    rows = []
    for key, label in (
        ("max_over_mean", _("Largest workload ÷ mean workload")),
        ("gini", _("Gini coefficient of workload per officer")),
        ("max", _("Largest workload (W)")),
        ("min", _("Smallest workload (W)")),
        ("mean", _("Mean workload (W)")),
        ("officers", _("Officers")),
        ("travel_km", _("Distance from each officer's base to their villages, in all (km)")),
    ):
        a, b = before.get(key), after.get(key)
        cut = None
        if key in ("max_over_mean", "gini") and a and b is not None:
            # max ÷ mean: the imbalance is what lies above 1 (all equal)
            excess_a = a - 1 if key == "max_over_mean" else a
            excess_b = b - 1 if key == "max_over_mean" else b
            cut = round(100 * (excess_a - excess_b) / excess_a) if excess_a > 0 else None
        rows.append({"label": label, "before": a, "after": b, "cut": cut})
    return rows


def _week_start(request: AuthenticatedHttpRequest, today: dt.date) -> dt.date:
    """The week asked for (``?start=``, up to four weeks ahead), else next Monday."""
    asked = request.GET.get("start") or request.POST.get("start")
    if asked:
        try:
            start = dt.date.fromisoformat(asked)
        except ValueError:
            start = None
        if start is not None and today <= start <= today + dt.timedelta(days=28):
            return start
        messages.error(request, _("Choose a week starting between today and four weeks from now."))
    return week.next_monday(today)


def _chosen(request: AuthenticatedHttpRequest) -> dict[str, tuple[int, Any, Any]]:
    """The ticked items of the week form: key → (day index, start, end as shown)."""
    chosen: dict[str, tuple[int, Any, Any]] = {}
    for key in request.POST.getlist("item"):
        try:
            day = int(request.POST.get(f"day-{key}", ""))
        except ValueError:
            day = -1
        shown = request.POST.get(f"shown-{key}", "")
        times: tuple[dt.time | None, dt.time | None] = (None, None)
        if shown and request.POST.get(f"shown-day-{key}") == str(day):
            first, _dash, last = shown.partition("-")
            with suppress(ValueError):  # else no time: the plan item keeps the day only
                times = (dt.time.fromisoformat(first), dt.time.fromisoformat(last))
        chosen[key] = (day, *times)
    return chosen


def officer_week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An officer's suggested week: what is due, as day routes, to accept into plans."""
    officer = access.officer_of(request.user)
    if officer is None or request.user.role != "officer":
        raise PermissionDenied
    start = _week_start(request, local_today(officer.unit))
    try:
        suggestion = week.week_suggest(officer=officer, start=start)
    except ApplicationError as error:
        messages.error(request, error_text(error))
        return render(request, "planning/week.html", {"suggestion": None}, status=200)
    if request.method == "POST":
        try:
            made = week.week_accept(officer=officer, suggestion=suggestion, chosen=_chosen(request))
        except ApplicationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(n)d items added to your plans.") % {"n": len(made)})
            return redirect("fieldwork:plan_list")
    return render(
        request,
        "planning/week.html",
        {
            "suggestion": suggestion,
            "days": list(zip(suggestion.dates, suggestion.days, suggestion.km, strict=False)),
            "day_choices": list(enumerate(suggestion.dates)),
        },
    )
