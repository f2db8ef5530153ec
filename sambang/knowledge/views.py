"""The library (searchable, kept on the phone for reading offline), the training modules an
officer takes, and the completion a supervisor follows per unit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.types import AuthenticatedHttpRequest
from sambang.organization.models import Unit, UnitLevel
from sambang.personnel.models import Officer, OfficerStatus

from . import services
from .models import Attempt, Document, Question
from .search import library_search

# Summaries are the project's own Markdown; raw HTML in them is shown as text.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every document, or those matching a search (in Indonesian: any form of a word)."""
    query = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "knowledge/library.html",
        {
            "query": query,
            "found": library_search(query) if query else None,
            "documents": Document.objects.all(),
        },
    )


def document(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Document.objects.prefetch_related("activity_types"), slug=slug)
    return render(
        request,
        "knowledge/document.html",
        {
            "document": found,
            "body": _MARKDOWN.render(found.body),
            "modules": found.modules.filter(active=True),
        },
    )


def _officer_or_403(request: AuthenticatedHttpRequest) -> Officer:
    officer = access.officer_of(request.user)
    if officer is None:
        raise PermissionDenied
    return officer


def modules(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer's modules: each passed or not, with their last score."""
    officer = _officer_or_403(request)
    passed = services.modules_passed(officer)
    latest = {}
    for attempt in Attempt.objects.filter(officer=officer).order_by("taken_at"):
        latest[attempt.module_id] = attempt
    rows = [(m, m.pk in passed, latest.get(m.pk)) for m in services.active_modules()]
    return render(
        request,
        "knowledge/modules.html",
        {"rows": rows, "passed": sum(1 for _m, done, _a in rows if done), "total": len(rows)},
    )


def module(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A module's questions; sent, the score and each answer explained."""
    officer = _officer_or_403(request)
    found = get_object_or_404(
        services.active_modules().prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order", "pk"))
        ),
        slug=slug,
    )
    errors: dict[str, list[str]] = {}
    attempt = None
    if request.method == "POST":
        answers = {k.removeprefix("q"): v for k, v in request.POST.items() if k.startswith("q")}
        try:
            attempt = services.attempt_submit(officer=officer, module=found, answers=answers)
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        else:
            if attempt.passed:
                messages.success(request, _("Passed. It counts in your record."))
    chosen = attempt.answers if attempt else {}
    return render(
        request,
        "knowledge/module.html",
        {
            "module": found,
            "questions": [
                (q, chosen.get(str(q.pk)), request.POST.get(f"q{q.pk}", ""))
                for q in found.questions.all()
            ],
            "attempt": attempt,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def completion(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Training completion in a unit: per unit below it, or per officer for a Polsek."""
    unit = access.access_unit(request.user, code)
    if access.officer_of(request.user) is not None:
        raise PermissionDenied
    officers = access.officers_for_user(request.user)
    rows: list[tuple[Unit, services.Completion]] = []
    people: list[Officer] = []
    if unit.level == UnitLevel.POLSEK:
        people = list(
            services.with_modules_passed(
                officers.filter(unit=unit, status=OfficerStatus.ACTIVE)
            ).order_by("name")
        )
    else:
        for child in access.units_for_user(request.user).filter(parent=unit).order_by("name"):
            subtree = officers.filter(unit__path__startswith=child.path)
            rows.append((child, services.completion(subtree)))
    return render(
        request,
        "knowledge/completion.html",
        {
            "unit": unit,
            "total": services.completion(officers.filter(unit__path__startswith=unit.path)),
            "rows": rows,
            "people": people,
            "modules": services.active_modules().count(),
        },
    )
