"""Forms for the personnel pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OfficerStatus


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NRP"), required=False, max_length=120)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *OfficerStatus.choices],
    )
    without_dikbangspes = forms.BooleanField(label=_("Without Dikbangspes"), required=False)
    dual_duties = forms.BooleanField(label=_("With other duties"), required=False)


class AssignmentStartForm(forms.Form):
    officer = forms.CharField(label=_("Officer (NRP)"), max_length=8)
    start_date = forms.DateField(
        label=_("Start date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = forms.CharField(
        label=_("Part of the village"),
        max_length=200,
        required=False,
        help_text=_("The RW covered, e.g. RW 01-05; leave empty for the whole village."),
    )
    contact = forms.BooleanField(label=_("Residents' contact"), required=False)


class AssignmentEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("End date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
