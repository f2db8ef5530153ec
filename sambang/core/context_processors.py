"""Template context shared by every page: the navigation for the user's role.

The menu is grouped so that it fits a desktop's width and a phone's: Home, then the work of
every day (reports, plans, residents' reports, directives, incidents), the analysis (Anev,
map) and, for supervisors, their organisation (units, officers, resources, persons of
interest). An officer's phone has a bar at the bottom with what they use most: the inbox
(their home, with what waits for them), today's plan, a new report and their villages.
Exactly one item is the current one: the longest whose address begins the page's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sambang.personnel.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool = False


@dataclass
class NavGroup:
    label: str | Promise  # empty: items shown on their own (Home)
    items: list[NavItem] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


def _groups(user: User) -> list[NavGroup]:
    if user.is_partner:  # held to the partners' pages
        return [NavGroup("", [NavItem(_("Home"), reverse("partners:home"))])]
    home = NavGroup("", [NavItem(_("Home"), reverse("core:home"))])
    work = NavGroup(_("Work"))
    analysis = NavGroup(_("Analysis"))
    organisation = NavGroup(_("Organisation"))
    if user.role == "officer":
        work.items.append(NavItem(_("Today"), reverse("fieldwork:today")))
        work.items.append(NavItem(_("My week"), reverse("planning:week")))
    if user.role != "admin":  # field work and residents' reports are never an admin's
        work.items += [
            NavItem(_("Reports"), reverse("fieldwork:report_list")),
            NavItem(_("Plans"), reverse("fieldwork:plan_list")),
            NavItem(_("Residents' reports"), reverse("citizen:list")),
            NavItem(_("Directives"), reverse("directives:list")),
            NavItem(_("Incidents"), reverse("security:incident_list")),
            NavItem(_("Early warning"), reverse("alerts:list")),
        ]
        analysis.items.append(NavItem(_("Anev"), reverse("evaluation:home")))
    if user.role == "officer":  # the election periods watching their villages
        analysis.items.append(NavItem(_("Elections"), reverse("alerts:elections_home")))
    if user.role != "admin":
        work.items.append(NavItem(_("Partners' notes"), reverse("partners:notes")))
    knowledge = [NavItem(_("Library"), reverse("knowledge:library"))]
    if user.role == "officer":
        knowledge.append(NavItem(_("Training"), reverse("knowledge:modules")))
    elif user.unit is not None and user.is_supervisor:
        knowledge.append(
            NavItem(_("Training"), reverse("knowledge:completion", args=[user.unit.code]))
        )
    analysis.items += knowledge
    if user.role not in ("admin", "officer"):
        analysis.items.append(NavItem(_("Map"), reverse("evaluation:map_home")))
        analysis.items.append(NavItem(_("Vulnerability"), reverse("alerts:vulnerability_home")))
        analysis.items.append(NavItem(_("Elections"), reverse("alerts:elections_home")))
        organisation.items.append(NavItem(_("Planning"), reverse("planning:home")))
    if user.is_supervisor:
        organisation.items += [
            NavItem(_("Units"), reverse("organization:unit_list")),
            NavItem(_("Officers"), reverse("personnel:officer_list")),
            NavItem(_("Resources"), reverse("resources:list", args=["equipment"])),
        ]
    if user.role in ("polres", "polda", "national"):
        organisation.items.append(
            NavItem(_("Persons of interest"), reverse("security:person_list"))
        )
    officer = getattr(user, "officer", None)
    if officer is not None:
        organisation.items.append(
            NavItem(_("My profile"), reverse("personnel:officer_detail", args=[officer.nrp]))
        )
    if user.is_staff:
        organisation.items.append(NavItem(_("Master data"), reverse("admin:index")))
    return [group for group in (home, work, analysis, organisation) if group.items]


def _officer_bar() -> list[NavItem]:
    return [
        NavItem(_("Inbox"), reverse("core:home")),
        NavItem(_("Today"), reverse("fieldwork:today")),
        NavItem(_("Report"), reverse("fieldwork:report_new")),
        NavItem(pgettext_lazy("the quick bar", "Villages"), reverse("core:home") + "#my-villages"),
    ]


def _current(path: str, urls: list[str]) -> str | None:
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matching, key=len, default=None)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "nav_bar": []}
    groups = _groups(user)
    current = _current(request.path, [item.url for g in groups for item in g.items])
    for group in groups:
        group.items = [NavItem(i.label, i.url, i.url == current) for i in group.items]
    bar = _officer_bar() if user.role == "officer" else []
    here = _current(request.path, [item.url for item in bar])
    return {
        "nav_groups": groups,
        "nav_bar": [NavItem(i.label, i.url, i.url == here) for i in bar],
    }
