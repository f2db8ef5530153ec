"""Writing resources, one at a time or from a CSV/XLSX file checked row by row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, read_rows
from sambang.personnel.models import User

from .forms import AllowanceForm, BudgetForm, EquipmentForm, TrainingForm, _Scoped
from .models import Allowance, Budget, Equipment, Training


@dataclass(frozen=True)
class Kind:
    """One kind of resource: its model, form, the columns of its file and its natural key."""

    name: str
    title: Any
    model: type[models.Model]
    form: type[_Scoped]
    required: list[str]
    key: Callable[[dict[str, str]], dict[str, Any]]
    scope: Callable[[User], models.QuerySet[Any]]


def _in_units(model: type[models.Model]) -> Callable[[User], models.QuerySet[Any]]:
    return lambda user: model._default_manager.filter(
        unit__in=access.units_for_user(user)
    ).select_related("unit")


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "equipment",
            _("Equipment"),
            Equipment,
            EquipmentForm,
            ["unit", "kind", "good", "light_damage", "heavy_damage"],
            lambda r: {
                "unit__code": r.get("unit", "").upper(),
                "officer__nrp": r.get("officer") or None,
                "kind": r.get("kind"),
            },
            lambda user: _in_units(Equipment)(user).select_related("officer"),
        ),
        Kind(
            "budget",
            _("Budget"),
            Budget,
            BudgetForm,
            ["unit", "fiscal_year", "category", "allocation_idr"],
            lambda r: {
                "unit__code": r.get("unit", "").upper(),
                "fiscal_year": r.get("fiscal_year"),
                "category": r.get("category"),
            },
            _in_units(Budget),
        ),
        Kind(
            "allowance",
            _("Allowance"),
            Allowance,
            AllowanceForm,
            ["unit", "fiscal_year", "monthly_idr"],
            lambda r: {
                "unit__code": r.get("unit", "").upper(),
                "fiscal_year": r.get("fiscal_year"),
            },
            _in_units(Allowance),
        ),
        Kind(
            "training",
            _("Training"),
            Training,
            TrainingForm,
            ["officer", "course", "start_date"],
            lambda r: {
                "officer__nrp": r.get("officer"),
                "course": r.get("course"),
                "start_date": r.get("start_date"),
            },
            lambda user: Training.objects.filter(
                officer__in=access.officers_for_user(user)
            ).select_related("officer__unit"),
        ),
    )
}


def _existing(kind: Kind, user: User, row: dict[str, str]) -> models.Model | None:
    key = kind.key(row)
    if key.get("officer__nrp") is None and "officer__nrp" in key:
        key = {k: v for k, v in key.items() if k != "officer__nrp"} | {"officer__isnull": True}
    try:
        return kind.scope(user).filter(**key).first()
    except (ValueError, TypeError, models.ObjectDoesNotExist):
        return None  # an unreadable key: the form names the field


def resources_import(*, kind: Kind, path: Path, user: User, dry_run: bool = False) -> ImportResult:
    """Create or update records of ``kind`` from a CSV/XLSX file, within the user's scope.

    Columns are the form's fields (a unit by its code, an officer by NRP). Every row is
    checked; nothing is written if any row is wrong. A row matching an existing record
    by its key (unit, officer and kind for equipment; unit, year and category for
    budget; …) updates it.
    """
    if not access.can_keep_resources(user):
        raise ApplicationError(
            str(_("Resources are kept by supervisors and administrators.")),
            code="forbidden",
            status_code=403,
        )
    rows = read_rows(path, kind.required, list(kind.form.base_fields))
    result = ImportResult(dry_run=dry_run)
    forms = []
    seen: dict[str, int] = {}
    for number, row in rows:
        key = repr(sorted(kind.key(row).items()))
        if key in seen:
            result.errors.add(number, "row", _("The same record as row %s.") % seen[key])
            continue
        seen[key] = number
        instance = _existing(kind, user, row)
        data = {name: row.get(name, "") for name in kind.form.base_fields}
        if "passed" in data:
            data["passed"] = (
                "on" if data["passed"].lower() in ("", "1", "ya", "yes", "true") else ""
            )
        form = kind.form(data=data, instance=instance, user=user)
        if form.is_valid():
            forms.append(form)
            if instance is None:
                result.created += 1
            else:
                result.updated += 1
        else:
            for field, messages in form.errors.items():
                for message in messages:
                    result.errors.add(number, field if field != "__all__" else "row", str(message))
    if result.ok and not dry_run:
        with transaction.atomic():
            for form in forms:
                form.save()
    return result
