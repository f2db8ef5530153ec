"""The village profile page: Kakerda, key figures, partners, poskamling posts, vulnerable spots."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sambang import access
from sambang.core.errors import ApplicationError, error_text
from sambang.core.types import AuthenticatedHttpRequest

from . import services
from .api import profile_history
from .models import (
    ACCOUNT_KINDS,
    Factor,
    KeyFigure,
    Level,
    Partner,
    PoskamlingPost,
    VillageProfile,
    VulnerabilityFactor,
    VulnerableSpot,
)

_CHANGES = {
    ("profile", "created"): gettext_lazy("Village profile created"),
    ("profile", "changed"): gettext_lazy("Village profile changed"),
    ("profile", "deleted"): gettext_lazy("Village profile deleted"),
    ("factor", "created"): gettext_lazy("Vulnerability (Kakerda): “%(factor)s” added"),
    ("factor", "changed"): gettext_lazy("Vulnerability (Kakerda): “%(factor)s” changed"),
    ("factor", "deleted"): gettext_lazy("Vulnerability (Kakerda): “%(factor)s” removed"),
}


def _change_line(row: dict[str, Any]) -> dict[str, Any]:
    """One change of the profile's history as a sentence, with the changed fields' names."""
    model: type[Model] = VillageProfile if row["kind"] == "profile" else VulnerabilityFactor
    factor = Factor(row["record"]).label if row["kind"] == "factor" else ""
    fields = [
        str(getattr(model._meta.get_field(name), "verbose_name", name))
        for name in row["fields"]
        if not name.endswith("_id")
    ]
    return {
        **row,
        "text": _CHANGES[row["kind"], row["change"]] % {"factor": factor},
        "names": fields,
    }


class FigureForm(forms.ModelForm[KeyFigure]):
    class Meta:
        model = KeyFigure
        fields = ["kind", "name", "role", "phone", "influence", "note"]


class PartnerForm(forms.ModelForm[Partner]):
    class Meta:
        model = Partner
        fields = ["kind", "name", "contact", "phone", "members", "active", "note"]


class PostForm(forms.ModelForm[PoskamlingPost]):
    class Meta:
        model = PoskamlingPost
        fields = ["name", "latitude", "longitude", "active"]


class SpotForm(forms.ModelForm[VulnerableSpot]):
    class Meta:
        model = VulnerableSpot
        fields = ["category", "level", "latitude", "longitude", "note", "last_reviewed"]
        widgets = {"last_reviewed": forms.DateInput(attrs={"type": "date"})}


RECORDS: dict[str, tuple[type[Model], type[forms.ModelForm[Any]], str]] = {
    "figure": (KeyFigure, FigureForm, "figures"),
    "partner": (Partner, PartnerForm, "partners"),
    "post": (PoskamlingPost, PostForm, "posts"),
    "spot": (VulnerableSpot, SpotForm, "spots"),
}


def _shares(text: str) -> dict[str, float]:
    """``Islam: 90`` lines as a mapping; a line that is not ``name: number`` is an error."""
    shares: dict[str, float] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _sep, value = line.rpartition(":")
        try:
            shares[name.strip()] = float(value.strip().rstrip("%"))
        except ValueError:
            raise ApplicationError(_("Write one group a line: name: share.")) from None
    return shares


def _profile_data(post: Any) -> dict[str, Any]:
    def number(name: str) -> int | None:
        value = post.get(name, "").strip()
        return int(value) if value.isdigit() else None

    return {
        "households": number("households"),
        "rt_count": number("rt_count"),
        "rw_count": number("rw_count"),
        "livelihoods": post.get("livelihoods", ""),
        "religions": _shares(post.get("religions", "")),
        "ethnic_groups": _shares(post.get("ethnic_groups", "")),
        "geography": post.get("geography", ""),
        "access_notes": post.get("access_notes", ""),
        "factors": [
            {"factor": f, "level": post.get(f"factor-{f}"), "note": post.get(f"note-{f}", "")}
            for f in Factor.values
            if post.get(f"factor-{f}") in Level.values
        ],
    }


def village_profile(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    village = access.access_village(request.user, code)
    can_edit = access.can_edit_village(request.user)
    forms_by_kind = {kind: form(prefix=kind) for kind, (_m, form, _l) in RECORDS.items()}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "profile":
                services.profile_update(village=village, data=_profile_data(request.POST))
            elif action in RECORDS:
                model, form_class, _label = RECORDS[action]
                form = form_class(request.POST, prefix=action)
                forms_by_kind[action] = form
                if form.is_valid():
                    services.record_save(record=model(), village=village, data=form.cleaned_data)
                else:
                    raise ApplicationError(_("The record is not valid."))
            elif action.startswith("delete-") and action.split("-")[1] in RECORDS:
                _prefix, kind, pk = action.split("-", 2)
                model = RECORDS[kind][0]
                access.access_village_record(village, model, pk).delete()
            else:
                raise ApplicationError(_("Unknown action."))
        except ApplicationError as error:
            messages.error(request, error_text(error))
            if action not in RECORDS:
                return redirect("community:village_profile", code=code)
        else:
            messages.success(request, _("Saved."))
            return redirect("community:village_profile", code=code)
    profile = VillageProfile.objects.filter(village=village).first()
    levels = {f.factor: f for f in profile.factors.all()} if profile else {}
    return render(
        request,
        "community/village_profile.html",
        {
            "village": village,
            "profile": profile,
            "factors": [(value, label, levels.get(value)) for value, label in Factor.choices],
            "levels": Level.choices,
            "records": {
                kind: (label, model._default_manager.filter(village=village), forms_by_kind[kind])
                for kind, (model, _form, label) in RECORDS.items()
            },
            "history": [_change_line(row) for row in profile_history(village)[:20]],
            "can_edit": can_edit,
            # Partners' logins (Babinsa, village head, FKPM chair), made by supervisors here.
            "can_provision": access.can_provision_accounts(request.user),
            "account_kinds": ACCOUNT_KINDS,
        },
        status=400 if any(f.is_bound and f.errors for f in forms_by_kind.values()) else 200,
    )
