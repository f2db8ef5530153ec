"""Resource pages: list, add, change, remove, import and download, per kind."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError, error_text
from sambang.core.exports import Column, export_response, requested_format
from sambang.core.tabular import upload_path
from sambang.core.types import AuthenticatedHttpRequest

from .services import KINDS, Kind, resources_import


def _kind(request: AuthenticatedHttpRequest, name: str) -> Kind:
    if not access.can_keep_resources(request.user):
        raise PermissionDenied
    kind = KINDS.get(name)
    if kind is None:
        raise Http404
    return kind


def _columns(kind: Kind) -> list[Column[Any]]:
    """The download's columns: the import's columns, so a download can be edited and re-imported."""

    def cell(name: str) -> Column[Any]:
        def value(record: Any) -> Any:
            item = getattr(record, name)
            if name == "unit":
                return item.code
            if name == "officer":
                return item.nrp if item else ""
            return item

        return Column(name, value)

    return [cell(name) for name in kind.form.base_fields]


def _import(request: AuthenticatedHttpRequest, kind: Kind) -> None:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
        return
    with upload_path(upload) as path:
        try:
            result = resources_import(
                kind=kind, path=path, user=request.user, dry_run="dry_run" in request.POST
            )
        except ApplicationError as error:
            messages.error(request, error_text(error))
            return
    if result.ok:
        messages.success(
            request,
            _("%(created)s added, %(updated)s changed%(dry)s.")
            % {
                "created": result.created,
                "updated": result.updated,
                "dry": _(" (a trial: nothing saved)") if result.dry_run else "",
            },
        )
    else:
        messages.error(
            request,
            _("Nothing was saved. Correct these rows: %(errors)s")
            % {"errors": "; ".join(str(e) for e in result.errors.errors[:50])},
        )


def resource_list(request: AuthenticatedHttpRequest, kind_name: str) -> HttpResponseBase:
    kind = _kind(request, kind_name)
    form = kind.form(user=request.user)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "import":
            _import(request, kind)
            return redirect("resources:list", kind_name=kind.name)
        form = kind.form(data=request.POST, user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("resources:list", kind_name=kind.name)
        status = 400
    # The model's order, then the id: rows that tie (one unit's vests, a day's trainings)
    # keep their place from one page to the next.
    records = kind.scope(request.user).order_by(*(kind.model._meta.ordering or ()), "pk")
    if unit := request.GET.get("unit"):
        records = (
            records.filter(unit__code=unit)
            if kind.name != "training"
            else records.filter(officer__unit__code=unit)
        )
    if fmt := requested_format(request):
        return export_response(
            records.iterator(chunk_size=2000), _columns(kind), name=kind.name, fmt=fmt
        )
    return render(
        request,
        "resources/list.html",
        {
            "kind": kind,
            "kinds": KINDS.values(),
            "page": Paginator(records, 50).get_page(request.GET.get("page")),
            "form": form,
            "columns": list(kind.form.base_fields),
            "required": kind.required,
        },
        status=status,
    )


def resource_detail(request: AuthenticatedHttpRequest, kind_name: str, pk: int) -> HttpResponse:
    kind = _kind(request, kind_name)
    record = kind.scope(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    form = kind.form(instance=record, user=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            try:
                record.delete()
            except ProtectedError:
                messages.error(request, _("This record is still in use."))
                return redirect("resources:detail", kind_name=kind.name, pk=pk)
            messages.success(request, _("Removed."))
            return redirect("resources:list", kind_name=kind.name)
        form = kind.form(data=request.POST, instance=record, user=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("resources:list", kind_name=kind.name)
    return render(
        request,
        "resources/detail.html",
        {"kind": kind, "record": record, "form": form},
        status=400 if form.errors else 200,
    )
