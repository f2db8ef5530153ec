"""Pages of the early warning: the alerts a user sees, and one alert with its evidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.types import AuthenticatedHttpRequest
from sambang.evaluation.periods import local_today
from sambang.personnel.models import Role

from . import selectors, services
from .election import ENTERED, INDICATORS, election_view
from .election import band as election_band
from .election import districts as election_districts
from .models import (
    ActionKind,
    AlertStatus,
    Dimension,
    ElectionEntry,
    ElectionKind,
    Family,
    Severity,
)
from .vulnerability import WEIGHTS, vulnerabilities

WAITING = "waiting"  # open or acknowledged: not yet closed
STATUSES = (WAITING, *AlertStatus.values, "all")


def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The alerts of the user's villages or subtree, newest first; by default those not yet
    closed. Not administrators' (alerts count restricted records)."""
    if request.user.role == Role.ADMIN:
        raise PermissionDenied
    status = request.GET.get("status", WAITING)
    if status not in STATUSES:
        status = WAITING
    alerts = access.alerts_for_user(request.user).select_related("unit", "village")
    if status == WAITING:
        alerts = alerts.exclude(status=AlertStatus.CLOSED)
    elif status != "all":
        alerts = alerts.filter(status=status)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        alerts = alerts.filter(severity=severity)
    family = request.GET.get("family", "")
    if family in Family.values:
        alerts = alerts.filter(family=family)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/list.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (WAITING, _("Not yet closed")),
                *AlertStatus.choices,
                ("all", _("All")),
            ],
            "family": family,
            "severity": severity,
            "severities": Severity.choices,
            "families": Family.choices,
        },
    )


def alert_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An alert: the rise and the records behind it, its series, and its follow-up."""
    alert = access.access_alert(request.user, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("do") == "acknowledge":
                services.alert_acknowledge(alert=alert, user=request.user)
                messages.success(request, _("Alert acknowledged."))
            else:
                services.alert_close(
                    alert=alert,
                    user=request.user,
                    action=request.POST.get("action", ""),
                    report=request.POST.get("report", ""),
                    directive=request.POST.get("directive", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("Alert closed."))
        except ApplicationError as error:
            errors = error.fields or {"general": [error.message]}
        else:
            return redirect("alerts:detail", pk=alert.pk)
    evidence, total = selectors.alert_evidence(request.user, alert)
    return render(
        request,
        "alerts/detail.html",
        {
            "alert": alert,
            "evidence": evidence,
            "evidence_total": total,
            "series": selectors.alert_series(alert),
            "window": selectors.alert_window(alert),
            "reports": selectors.action_reports(request.user, alert)[:50],
            "directives": selectors.action_directives(request.user, alert)[:50],
            "actions": ActionKind.choices,
            "errors": errors,
            "posted": request.POST if errors else {},
            "ratio": round(alert.observed / alert.expected, 1) if alert.expected else None,
        },
        status=400 if errors else 200,
    )


def vulnerability_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    root = access.scope_root(request.user)
    if root is None or not access.can_review(request.user):
        raise PermissionDenied
    return redirect("alerts:vulnerability", code=root.code)


RANKED = 200  # villages listed; the map shows them all


def vulnerability(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The villages of a unit ranked by their vulnerability index, each with its parts."""
    unit = access.access_evaluation_unit(request.user, code)
    today = local_today(unit)
    ranked = vulnerabilities(unit, today)
    bands = Counter(v.band for v in ranked)
    return render(
        request,
        "alerts/vulnerability.html",
        {
            "unit": unit,
            "today": today,
            "ranked": ranked[:RANKED],
            "total": len(ranked),
            "bands": {band: bands.get(band, 0) for band in ("high", "medium", "low")},
            "no_checklist": sum(1 for v in ranked if v.checklist is None),
            "weights": {name: round(100 * w) for name, w in WEIGHTS.items()},
            "below": access.evaluation_units_for_user(request.user)
            .filter(parent=unit)
            .order_by("name"),
            "month": f"{today:%Y-%m}",
        },
    )


ELECTIONS_PAGE = 50


def elections_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The election periods a user takes part in (those of their unit, of the units below
    and above it; an officer: those watching their villages); a supervisor opens one for
    their unit from its page."""
    if request.user.role == Role.ADMIN:
        raise PermissionDenied
    periods = access.elections_for_user(request.user).select_related("unit")
    root = access.scope_root(request.user)
    return render(
        request,
        "alerts/elections_home.html",
        {
            "page": Paginator(periods, ELECTIONS_PAGE).get_page(request.GET.get("page")),
            "unit": root if root is not None and access.can_review(request.user) else None,
        },
    )


def _date_field(request: AuthenticatedHttpRequest, name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.POST.get(name, ""))
    except ValueError:
        return None


def elections(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A unit's election periods (its own and those of the units below), and a form to open
    one for the unit."""
    unit = access.access_evaluation_unit(request.user, code)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        voting_day = _date_field(request, "voting_day")
        if voting_day is None:
            errors = {"voting_day": [_("Give the voting day (YYYY-MM-DD).")]}
        else:
            try:
                period = services.election_open(
                    user=request.user,
                    unit=unit,
                    name=request.POST.get("name", ""),
                    kind=request.POST.get("kind", ""),
                    voting_day=voting_day,
                    starts=_date_field(request, "starts"),
                    ends=_date_field(request, "ends"),
                    directive_url=(
                        lambda p: request.build_absolute_uri(
                            reverse("alerts:election", args=[p.pk])
                        )
                    )
                    if request.POST.get("directive")
                    else None,
                )
            except ApplicationError as error:
                errors = error.fields or {"general": [error.message]}
            else:
                messages.success(request, _("Election period opened."))
                return redirect("alerts:election", pk=period.pk)
    return render(
        request,
        "alerts/elections.html",
        {
            "unit": unit,
            # The unit's own periods, those below it and those above it that watch it.
            "periods": access.elections_for_user(request.user)
            .filter(
                Q(unit__path__startswith=unit.path)
                | Q(unit__path__in=access.paths_above([unit.path]))
            )
            .select_related("unit"),
            "kinds": ElectionKind.choices,
            "errors": errors,
            "posted": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


ELECTION_ROWS = 300  # villages listed; districts sum them all


def election_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An election period: each village's vulnerability on IKP's four dimensions, and each
    district's."""
    period = access.access_election(request.user, pk)
    villages = election_view(period, access.election_villages(request.user, period))
    return render(
        request,
        "alerts/election.html",
        {
            "period": period,
            # Opened for another unit than the reader's: only the reader's villages shown.
            "shared": period.unit != access.scope_root(request.user),
            # The directive, where the reader may open it (one of a unit above may be not).
            "directive": access.directives_for_user(request.user)
            .filter(election_periods=period)
            .first(),
            "villages": villages[:ELECTION_ROWS],
            "total": len(villages),
            "districts": election_districts(villages),
            "dimensions": Dimension.choices,
            "indicators": INDICATORS,
            "entered": sum(v.entered for v in villages),
            "bands": Counter(election_band(v.score) for v in villages),
        },
    )


def election_village(request: AuthenticatedHttpRequest, pk: int, village: str) -> HttpResponse:
    """A village's indicators in an election period, and the ones to enter by hand."""
    period = access.access_election(request.user, pk)
    place = access.access_village(request.user, village)
    here = access.election_villages(request.user, period).filter(code=place.code)
    if not here.exists():
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.election_enter(
                user=request.user,
                period=period,
                village=place,
                levels={i.code: request.POST.get(i.code, "") for i in ENTERED},
                note=request.POST.get("note", ""),
            )
        except ApplicationError as error:
            errors = error.fields or {"general": [error.message]}
        else:
            messages.success(request, _("Saved."))
            return redirect("alerts:election_village", pk=period.pk, village=place.code)
    (row,) = election_view(period, here)
    entered = dict(
        ElectionEntry.objects.filter(period=period, village=place).values_list("indicator", "level")
    )
    return render(
        request,
        "alerts/election_village.html",
        {
            "period": period,
            "village": place,
            "row": row,
            "indicators": [
                (i, row.scores.get(i.code), row.values.get(i.code), entered.get(i.code, ""))
                for i in INDICATORS
            ],
            "dimensions": Dimension.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
