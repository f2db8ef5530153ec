"""Pages of the monthly evaluation: a unit's Anev, drilling down to an officer's month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError, error_text, validated
from sambang.core.exports import Sheet, export_response, requested_format, workbook_response
from sambang.core.tabular import ImportResult, upload_path
from sambang.core.typed import keep_typed
from sambang.core.types import AuthenticatedHttpRequest
from sambang.organization.selectors import unit_ancestors

from . import maps, services
from .anev import anev as unit_anev
from .api import DecisionSerializer, SubmitSerializer
from .charts import map_chart
from .history_import import OPTIONAL, REQUIRED, historical_counts_import
from .models import EvaluationStatus, HistoricalCount, MonthlyEvaluation
from .pdf import anev_pdf, events_chart, trend_chart
from .periods import add_months, local_today
from .reporting import INDICATORS, officer_month
from .selectors import evaluations_to_decide
from .tables import anev_tables


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise Http404 from error


def evaluation_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Last month's Anev of the user's unit (an officer: their own last month)."""
    officer = getattr(request.user, "officer", None)
    root = access.scope_root(request.user)
    if officer is not None and not access.can_review(request.user):
        month = add_months(local_today(officer.unit).replace(day=1), -1)
        return redirect("evaluation:officer", nrp=officer.nrp, month=f"{month:%Y-%m}")
    if root is None or not access.can_review(request.user):
        raise PermissionDenied
    month = add_months(local_today(root).replace(day=1), -1)
    return redirect("evaluation:unit", code=root.code, month=f"{month:%Y-%m}")


def _act(request: AuthenticatedHttpRequest, unit: Any, month: dt.date) -> None:
    action = request.POST.get("action")
    try:
        if action == "submit":
            data = validated(SubmitSerializer, request.POST, ("summary",))
            services.evaluation_submit(
                user=request.user, unit=unit, month=month, summary=data["summary"]
            )
            messages.success(request, _("The month is submitted to the unit above."))
            return
        evaluation = MonthlyEvaluation.objects.filter(unit=unit, month=month).first()
        if evaluation is None or action not in ("approve", "return"):
            raise ApplicationError(_("Nothing to decide on."))
        choice = {"approve": action == "approve", "note": request.POST.get("note", "")}
        data = validated(DecisionSerializer, choice, ("approve", "note"))
        services.evaluation_decide(
            user=request.user, evaluation=evaluation, approve=data["approve"], note=data["note"]
        )
        messages.success(request, _("Saved."))
    except ApplicationError as error:
        messages.error(request, error_text(error))
        keep_typed(request, "anev", "summary", "note")


def evaluation_unit(request: AuthenticatedHttpRequest, code: str, month: str) -> HttpResponseBase:
    unit = access.access_evaluation_unit(request.user, code)
    first = _month(month)
    if request.method == "POST":
        _act(request, unit, first)
        return redirect("evaluation:unit", code=code, month=month)
    anev = unit_anev(unit, first)
    evaluation = MonthlyEvaluation.objects.filter(unit=unit, month=first).first()
    status = evaluation.get_status_display() if evaluation else _("Not submitted")
    fmt = request.GET.get("export", "")
    name = f"anev-{unit.code.lower()}-{month}"
    tables = anev_tables(anev)
    if fmt == "pdf":
        layer = maps.area_layer(unit, first, "activity")
        drawing = map_chart(layer, title=f"{layer['label']} · {first:%m/%Y}")
        response = HttpResponse(
            anev_pdf(anev, status=str(status), map_svg=drawing), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx" and not request.GET.get("table"):
        return workbook_response([Sheet(t.sheet, t.rows, t.columns) for t in tables], name=name)
    if chosen_format := requested_format(request):
        table = next((t for t in tables if t.name == request.GET.get("table")), None)
        if table is None:
            raise Http404
        return export_response(
            table.rows, table.columns, name=f"{name}-{table.name}", fmt=chosen_format
        )
    ancestors = unit_ancestors(unit, within=access.evaluation_units_for_user(request.user))
    return render(
        request,
        "evaluation/anev.html",
        {
            "anev": anev,
            "unit": unit,
            "month": first,
            "month_param": month,
            "previous": f"{add_months(first, -1):%Y-%m}",
            "next": f"{add_months(first, 1):%Y-%m}",
            "ancestors": ancestors,
            "evaluation": evaluation,
            "late_changes": evaluation.late_changes.count() if evaluation else 0,
            # On the reader's own unit: the months of the units below waiting for them.
            "to_decide": list(evaluations_to_decide(request.user))
            if unit == access.scope_root(request.user)
            else [],
            "status": status,
            "can_submit": access.can_submit_evaluation(request.user, unit)
            and (evaluation is None or evaluation.status == EvaluationStatus.RETURNED),
            "can_decide": access.can_decide_evaluation(request.user, unit)
            and evaluation is not None
            and evaluation.status == EvaluationStatus.SUBMITTED,
            # Every text in the charts is escaped when they are drawn.
            "chart": mark_safe(trend_chart(anev)),  # noqa: S308
            "events_chart": mark_safe(events_chart(anev)),  # noqa: S308
            "tables": tables,
            "indicators": INDICATORS,
        },
    )


def map_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Last month's map of the user's unit."""
    root = access.scope_root(request.user)
    if root is None or not access.can_review(request.user):
        raise PermissionDenied
    month = add_months(local_today(root).replace(day=1), -1)
    return redirect("evaluation:map", code=root.code, month=f"{month:%Y-%m}")


def map_page(request: AuthenticatedHttpRequest, code: str, month: str) -> HttpResponse:
    unit = access.access_evaluation_unit(request.user, code)
    first = _month(month)
    indicator = request.GET.get("indicator", "coverage")
    if indicator not in maps.INDICATORS:
        indicator = "coverage"
    return render(
        request,
        "evaluation/map.html",
        {
            "unit": unit,
            "month": first,
            "month_param": month,
            "indicator": indicator,
            "indicators": maps.INDICATORS.items(),
            "ancestors": unit_ancestors(
                unit, within=access.evaluation_units_for_user(request.user)
            ),
            "previous": f"{add_months(first, -1):%Y-%m}",
            "next": f"{add_months(first, 1):%Y-%m}",
            "map_tiles": settings.SAMBANG_MAP_TILES,
            "drill": unit.level not in ("polres", "polsek"),
            "labels": {
                "area": str(maps.INDICATORS[indicator]),
                "incidents": _("Incidents"),
                "reports": _("Residents' reports"),
                "spots": _("Vulnerable spots"),
                "heat": _("Incidents per hexagon"),
                "hotspots": _("Hot spots (Gi*, p < 0.05)"),
                "pai": _("PAI of the previous period's hot spots"),
                "none": _("none"),
                "open": _("Open"),
                "villages": _("Villages"),
                "units": _("Units below"),
                "empty": _("Nothing this month."),
            },
        },
    )


def evaluation_officer(request: AuthenticatedHttpRequest, nrp: str, month: str) -> HttpResponse:
    officer = access.access_officer(request.user, nrp)
    if not (access.can_review(request.user) or officer.user_id == request.user.pk):
        raise PermissionDenied
    first = _month(month)
    view = officer_month(officer, first)
    return render(
        request,
        "evaluation/officer_month.html",
        {
            "view": view,
            "officer": officer,
            "month": first,
            "previous": f"{add_months(first, -1):%Y-%m}",
            "next": f"{add_months(first, 1):%Y-%m}",
            "unit_link": access.evaluation_units_for_user(request.user)
            .filter(pk=officer.unit_id)
            .exists(),
            "indicators": INDICATORS,
        },
    )


def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Incident counts kept on paper before Sambang: those of the user's units, and a file
    to enter more (checked, tried or imported)."""
    if not access.can_import_incidents(request.user):
        raise PermissionDenied
    result: ImportResult | None = None
    error: str | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a CSV or XLSX file.")
        else:
            with upload_path(upload) as path:
                try:
                    result = historical_counts_import(
                        path=path, user=request.user, dry_run="dry_run" in request.POST
                    )
                except ApplicationError as failure:
                    error = error_text(failure)
    counts = (
        HistoricalCount.objects.filter(unit__in=access.units_for_user(request.user))
        .select_related("unit", "category")
        .order_by("unit__path", "-year", "month", "category__code")[:500]
    )
    return render(
        request,
        "evaluation/history.html",
        {
            "result": result,
            "error": error,
            "counts": counts,
            "required": REQUIRED,
            "optional": OPTIONAL,
        },
        status=400 if error or (result and not result.ok) else 200,
    )
