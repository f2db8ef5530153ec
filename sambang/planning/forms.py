"""The settings of a recommendation, as a supervisor gives them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_EXTRA_OFFICERS, TIME_LIMITS, PlanSettings
from .workload import Weights


class RecommendationForm(forms.Form):
    max_changes = forms.IntegerField(
        label=_("Villages that may change officer"),
        min_value=0,
        required=False,
        help_text=_("Empty: a quarter of the villages that have an officer today."),
    )
    cover_all = forms.BooleanField(
        label=_("Give every village an officer"),
        help_text=_("Untick to share out only the villages that have an officer today."),
        required=False,
        initial=True,
    )
    extra_officers = forms.IntegerField(
        label=_("What if: officers added"),
        min_value=0,
        max_value=MAX_EXTRA_OFFICERS,
        initial=0,
        required=False,
    )
    leaving = forms.MultipleChoiceField(
        label=_("What if these officers leave (or are away)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    moves = forms.IntegerField(
        label=_("Officers who may move to another Polsek"),
        help_text=_(
            "A Polres only: placing officers where the workload is. Empty: a tenth of them."
        ),
        min_value=0,
        max_value=MAX_EXTRA_OFFICERS,
        required=False,
    )
    time_limit = forms.TypedChoiceField(
        label=_("Time for the solver"),
        choices=[(s, _("%(s)d seconds") % {"s": s}) for s in TIME_LIMITS],
        coerce=int,
        initial=10,
    )

    def __init__(self, *args: Any, officers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaving = self.fields["leaving"]
        assert isinstance(leaving, forms.MultipleChoiceField)
        leaving.choices = officers
        defaults = Weights()
        for name in Weights.names():
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=Weights.LABELS[name],
                min_value=0,
                max_value=1000,
                initial=getattr(defaults, name),
                required=False,  # empty: the default weight
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in Weights.names()]

    def settings(self) -> PlanSettings:
        data = self.cleaned_data
        defaults = Weights()
        weights = {
            name: getattr(defaults, name)
            if data[f"weight_{name}"] is None
            else data[f"weight_{name}"]
            for name in Weights.names()
        }
        return PlanSettings(
            weights=Weights(**weights),
            max_changes=data["max_changes"],
            extra_officers=data["extra_officers"] or 0,
            leaving=tuple(data["leaving"]),
            time_limit=data["time_limit"],
            moves=data["moves"],
            cover_all=data["cover_all"],
        )
