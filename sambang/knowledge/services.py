"""Keeping the library as shipped, scoring the modules' tries, and who has completed what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.personnel.models import Officer, OfficerStatus

from .content import DOCUMENTS, MODULES
from .models import Attempt, Question, TrainingModule
from .search import document_index


def library_seed(apps: Any = global_apps) -> None:
    """Bring the library and the modules in line with ``content`` (by slug; a module's
    questions are replaced only while nobody has tried it, so that tries keep what they
    answered). Called by a migration and by ``sambang knowledge load``."""
    documents = apps.get_model("knowledge", "Document")
    modules = apps.get_model("knowledge", "TrainingModule")
    questions = apps.get_model("knowledge", "Question")
    types = apps.get_model("fieldwork", "ActivityType")
    with transaction.atomic():
        for order, entry in enumerate(DOCUMENTS):
            fields = {k: v for k, v in entry.items() if k not in ("slug", "types")}
            document, _created = documents.objects.update_or_create(
                slug=entry["slug"], defaults={**fields, "order": order}
            )
            document.activity_types.set(types.objects.filter(code__in=entry["types"]))
            document_index(document, apps.get_model("knowledge", "DocumentWord"))
        for order, entry in enumerate(MODULES):
            module, _created = modules.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "title": entry["title"],
                    "summary": entry["summary"],
                    "document": documents.objects.get(slug=entry["document"]),
                    "order": order,
                },
            )
            if module.attempts.exists():
                continue
            questions.objects.filter(module=module).delete()
            questions.objects.bulk_create(
                questions(
                    module=module,
                    order=n,
                    text=text,
                    choices=choices,
                    correct=correct,
                    explanation=explanation,
                )
                for n, (text, choices, correct, explanation) in enumerate(entry["questions"])
            )


def attempt_submit(*, officer: Officer, module: TrainingModule, answers: dict[str, Any]) -> Attempt:
    """Score an officer's answers (question id → the index of the choice): every question
    must be answered; passed at the module's pass mark."""
    if officer.status != OfficerStatus.ACTIVE:
        raise ApplicationError(
            _("Only an active officer takes modules."), code="forbidden", status_code=403
        )
    asked = list(Question.objects.filter(module=module))
    errors: dict[str, list[str]] = {}
    given: dict[str, int] = {}
    for question in asked:
        value = str(answers.get(str(question.pk), ""))
        if not value.isdigit() or int(value) >= len(question.choices):
            errors[f"q{question.pk}"] = [_("Choose an answer.")]
        else:
            given[str(question.pk)] = int(value)
    if errors:
        raise ApplicationError(_("Answer every question."), fields=errors)
    correct = sum(1 for q in asked if given[str(q.pk)] == q.correct)
    total = len(asked)
    return Attempt.objects.create(
        officer=officer,
        module=module,
        answers=given,
        correct=correct,
        total=total,
        passed=total > 0 and correct * 100 >= module.pass_mark * total,
    )


def active_modules() -> QuerySet[TrainingModule]:
    return TrainingModule.objects.filter(active=True)


def modules_passed(officer: Officer) -> set[int]:
    """The active modules the officer has passed."""
    return set(
        Attempt.objects.filter(officer=officer, passed=True, module__active=True).values_list(
            "module_id", flat=True
        )
    )


def with_modules_passed(officers: QuerySet[Officer]) -> QuerySet[Officer]:
    """``officers`` with ``modules_passed``: how many active modules each has passed."""
    passed = (
        Attempt.objects.filter(officer=OuterRef("pk"), passed=True, module__active=True)
        .order_by()
        .values("officer")
        .annotate(n=Count("module", distinct=True))
        .values("n")
    )
    return officers.annotate(modules_passed=Coalesce(Subquery(passed), 0))


@dataclass(frozen=True)
class Completion:
    officers: int  # active officers
    completed: int  # of them, those who passed every active module
    modules: int  # active modules

    @property
    def share(self) -> int | None:
        return round(100 * self.completed / self.officers) if self.officers else None


def completion(officers: QuerySet[Officer]) -> Completion:
    """Of the active ``officers``, how many passed every active module."""
    modules = active_modules().count()
    active = with_modules_passed(officers.filter(status=OfficerStatus.ACTIVE))
    counted = active.aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(modules_passed__gte=modules))
    )
    return Completion(counted["n"], counted["done"] if modules else 0, modules)
