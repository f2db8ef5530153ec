"""Forms for resources: one validation for the pages and for each imported row.

Units are named by code and officers by NRP, so a row of an import file and a form on
a page carry the same values; both offer only the units and officers of the user's scope.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sambang import access
from sambang.personnel.models import User

from .models import Allowance, Budget, Equipment, Training


class _Scoped(forms.ModelForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            field = self.fields["unit"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = access.units_for_user(user).order_by("path")
            field.to_field_name = "code"
        if "officer" in self.fields:
            field = self.fields["officer"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = access.officers_for_user(user).order_by("name")
            field.to_field_name = "nrp"
        # Counts and amounts with a default may be left out (an import's empty cell, say).
        self._defaults: dict[str, Any] = {}
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(field, forms.IntegerField) and model_field.has_default():
                field.required = False
                self._defaults[name] = model_field.get_default()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, default in self._defaults.items():
            if data.get(name) is None and name not in self.errors:
                data[name] = default
        return data


class EquipmentForm(_Scoped):
    class Meta:
        model = Equipment
        fields = ["unit", "officer", "kind", "good", "light_damage", "heavy_damage", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, officer = data.get("unit"), data.get("officer")
        if unit and officer and not officer.unit.path.startswith(unit.path):
            self.add_error("officer", _("This officer is not of this unit."))
        return data


class BudgetForm(_Scoped):
    class Meta:
        model = Budget
        fields = ["unit", "fiscal_year", "category", "allocation_idr", "realization_idr", "note"]

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Give a year such as 2026."))
        return int(year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        allocation, realization = data.get("allocation_idr"), data.get("realization_idr")
        if allocation is not None and realization is not None and realization > allocation:
            self.add_error("realization_idr", _("More than the allocation."))
        return data


class AllowanceForm(_Scoped):
    class Meta:
        model = Allowance
        fields = ["unit", "fiscal_year", "monthly_idr"]


class TrainingForm(_Scoped):
    class Meta:
        model = Training
        fields = ["officer", "course", "title", "start_date", "end_date", "passed"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ends before it starts."))
        return data
