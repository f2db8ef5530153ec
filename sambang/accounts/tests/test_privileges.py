"""An account's privileges (role, unit, staff and superuser status, groups, permissions):
nobody changes their own, only an administrator changes others', every change is audited,
and administrators read no restricted data by any door (issue 18.4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from sambang.audit.models import AuditEvent
from sambang.personnel.models import Role, User
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

REFUSED_OWN = "Nobody changes their own role"
USER_ADMIN = ["view_user", "change_user"]


def staff_client(user: User, *, superuser: bool = True) -> Client:
    user.is_staff, user.is_superuser = True, superuser
    user.save()  # by the operator (no request): allowed, audited
    if not superuser:
        user.user_permissions.add(*Permission.objects.filter(codename__in=USER_ADMIN))
    client = Client()
    client.force_login(user)
    return client


def change_form(user: User, **changes: Any) -> dict[str, Any]:
    """What the Django admin's change form posts for ``user``, with ``changes``."""
    user.refresh_from_db()
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "role": user.role,
        "unit": user.unit_id or "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def privilege_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(detail__change="privileges").order_by("id"))


@pytest.mark.parametrize(
    "changes",
    [
        {"role": Role.NATIONAL, "unit": "mabes"},
        {"unit": "polres_a1"},
        {"is_superuser": "on"},
        {"groups": "new group"},
        {"user_permissions": "security.view_personofinterest"},
    ],
    ids=["role", "unit", "superuser", "group", "permission"],
)
def test_an_administrator_cannot_raise_his_own_account_in_the_admin(
    world: World, changes: dict[str, str]
) -> None:
    """Issue 18.4: an administrator gave himself a national role in the Django admin, then
    read every report, person of interest and reporter identity, and nothing was audited."""
    me = world.users[Role.ADMIN]
    client = staff_client(me, superuser="is_superuser" not in changes)
    posted: dict[str, Any] = dict(changes)
    if "unit" in changes:
        posted["unit"] = world.units[changes["unit"]].pk
    if "groups" in changes:
        posted["groups"] = [Group.objects.create(name=changes["groups"]).pk]
    if "user_permissions" in changes:
        app, codename = changes["user_permissions"].split(".")
        posted["user_permissions"] = [
            Permission.objects.get(content_type__app_label=app, codename=codename).pk
        ]
    before = len(privilege_events())
    response = client.post(f"/admin/personnel/user/{me.pk}/change/", change_form(me, **posted))
    assert response.status_code == 200  # the form again, with the reason
    assert REFUSED_OWN in response.content.decode()
    me.refresh_from_db()
    assert (me.role, me.unit_id, me.is_superuser) == (
        Role.ADMIN,
        None,
        "is_superuser" not in changes,
    )
    assert not me.groups.exists()
    assert set(me.user_permissions.values_list("codename", flat=True)) <= set(USER_ADMIN)
    assert len(privilege_events()) == before
    # Still no door to restricted data.
    assert client.get(reverse("security:person_list")).status_code == 403


def test_an_administrator_changes_another_accounts_role_and_unit_and_it_is_audited(
    world: World,
) -> None:
    admin_user, account = world.users[Role.ADMIN], world.users[Role.POLSEK]
    client = staff_client(admin_user)
    polres = world.units["polres_a2"]
    response = client.post(
        f"/admin/personnel/user/{account.pk}/change/",
        change_form(account, role=Role.POLRES, unit=polres.pk),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.unit) == (Role.POLRES, polres)
    [event] = [e for e in privilege_events() if e.object_id == str(account.pk)]
    assert (event.action, event.user, event.object_type) == ("update", admin_user, "personnel.user")
    assert event.detail["role"] == {"from": "polsek", "to": "polres"}
    assert event.detail["unit"] == {"from": "POLSEK-A1A", "to": "POLRES-A2"}
    assert event.path == f"/admin/personnel/user/{account.pk}/change/"


def test_staff_who_are_not_administrators_change_no_privileges(world: World) -> None:
    polda, account = world.users[Role.POLDA], world.users[Role.POLSEK]
    client = staff_client(polda, superuser=False)
    response = client.post(
        f"/admin/personnel/user/{account.pk}/change/",
        change_form(account, is_staff="on"),
    )
    assert response.status_code == 200
    assert "Only an administrator changes" in response.content.decode()
    account.refresh_from_db()
    assert not account.is_staff


def test_a_groups_permissions_are_changed_only_by_an_administrator_outside_it(
    world: World,
) -> None:
    admin_user = world.users[Role.ADMIN]
    client = staff_client(admin_user)
    mine, theirs = Group.objects.create(name="mine"), Group.objects.create(name="theirs")
    admin_user.groups.add(mine)  # by the operator
    theirs.user_set.add(world.users[Role.POLDA])
    permission = Permission.objects.get(codename="view_personofinterest")
    own = client.post(
        f"/admin/auth/group/{mine.pk}/change/", {"name": "mine", "permissions": [permission.pk]}
    )
    assert own.status_code == 200 and REFUSED_OWN in own.content.decode()
    assert not mine.permissions.exists()
    other = client.post(
        f"/admin/auth/group/{theirs.pk}/change/", {"name": "theirs", "permissions": [permission.pk]}
    )
    assert other.status_code == 302
    [event] = [e for e in privilege_events() if e.object_type == "auth.group"]
    assert event.user == admin_user
    assert event.detail["permissions_added"] == ["security.view_personofinterest"]


# Models that hold restricted data: field work, residents' reports (reporters' identities),
# incidents and persons of interest.
RESTRICTED_APPS = {"fieldwork", "public", "security"}
MASTER_DATA = {"fieldwork.activitytype"}


def test_the_admin_site_shows_administrators_no_restricted_data(world: World) -> None:
    """Administrators keep accounts and master data; restricted records have no admin page,
    so that the admin site is no door around ``sambang.access``."""
    registered = {model._meta.label_lower for model in admin.site._registry}
    restricted = {
        model._meta.label_lower
        for app in RESTRICTED_APPS
        for model in apps.get_app_config(app).get_models()
    } - MASTER_DATA
    assert restricted and not registered & restricted
    client = staff_client(world.users[Role.ADMIN])
    assert client.get("/admin/security/personofinterest/").status_code == 404
