"""Template context shared by every page: the navigation for the user's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[tuple[str | Promise, str]] = [(_("Home"), reverse("core:home"))]
    if user.role == "officer":
        items.append((_("Today"), reverse("fieldwork:today")))
    items += [
        (_("Plans"), reverse("fieldwork:plan_list")),
        (_("Reports"), reverse("fieldwork:report_list")),
        (_("Residents' reports"), reverse("citizen:list")),
        (_("Directives"), reverse("directives:list")),
        (_("Incidents"), reverse("security:incident_list")),
    ]
    if user.role != "admin":
        items.append((_("Anev"), reverse("evaluation:home")))
    if user.role not in ("admin", "officer"):
        items.append((_("Map"), reverse("evaluation:map_home")))
    if user.role in ("polres", "polda", "national"):
        items.append((_("Persons of interest"), reverse("security:person_list")))
    if user.is_supervisor:
        items += [
            (_("Units"), reverse("organization:unit_list")),
            (_("Officers"), reverse("personnel:officer_list")),
            (_("Resources"), reverse("resources:list", args=["equipment"])),
        ]
    officer = getattr(user, "officer", None)
    if officer is not None:
        items.append((_("My profile"), reverse("personnel:officer_detail", args=[officer.nrp])))
    if user.is_staff:
        items.append((_("Master data"), reverse("admin:index")))
    path = request.path
    return {
        "nav_items": [
            NavItem(label, url, path == url or (url != "/" and path.startswith(url)))
            for label, url in items
        ]
    }
