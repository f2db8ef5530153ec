"""Pages of the early warning: the alerts a user sees, and one alert with its evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.types import AuthenticatedHttpRequest
from sambang.personnel.models import Role

from . import selectors, services
from .models import ActionKind, AlertStatus, Family, Severity

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
