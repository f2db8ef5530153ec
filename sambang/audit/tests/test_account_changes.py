"""Every change of what an account may do is in the audit log, whatever path made it, and
nobody changes their own (``sambang.accounts.privileges``; issue 18.4). The Django admin's
forms are tested in ``accounts/tests/test_privileges.py``; here, every other door the ORM
has: ``save()`` with and without ``update_fields``, both sides of each many-to-many link,
``clear()``, from a request (someone signed in) and without one (the operator)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from sambang.audit.models import AuditEvent
from sambang.personnel.models import Role, User
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def promote(user: User, world: World) -> None:
    user.role, user.unit = Role.NATIONAL, world.units["mabes"]
    user.save()


def move(user: User, world: World) -> None:
    user.unit = world.units["polres_a2"]
    user.save(update_fields=["unit"])


def make_staff(user: User, world: World) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])


def join_group(user: User, world: World) -> None:
    user.groups.add(Group.objects.create(name="joined"))


def group_takes_in(user: User, world: World) -> None:
    Group.objects.create(name="joined").user_set.add(user)


def group_gains_permission(user: User, world: World) -> None:
    group = Group.objects.create(name="holders")
    group.user_set.add(user)
    group.permissions.add(Permission.objects.get(codename="view_personofinterest"))


def permission_joins_group(user: User, world: World) -> None:
    group = Group.objects.create(name="holders")
    group.user_set.add(user)
    Permission.objects.get(codename="view_personofinterest").group_set.add(group)


def gain_permission(user: User, world: World) -> None:
    user.user_permissions.add(Permission.objects.get(codename="view_personofinterest"))


def leave_all_groups(user: User, world: World) -> None:
    user.groups.clear()


CHANGES: dict[str, Callable[[User, World], None]] = {
    "role by save()": promote,
    "unit by save(update_fields)": move,
    "staff status": make_staff,
    "user.groups.add": join_group,
    "group.user_set.add": group_takes_in,
    "group.permissions.add": group_gains_permission,
    "permission.group_set.add": permission_joins_group,
    "user.user_permissions.add": gain_permission,
    "user.groups.clear": leave_all_groups,
}


@pytest.fixture
def readers(world: World) -> Group:
    group = Group.objects.create(name="readers")
    # The account to change is in it already, so that clear() has something to do.
    world.users[Role.POLSEK].groups.add(group)
    return group


@pytest.fixture
def acting_as() -> Iterator[Callable[[Any], None]]:
    """Answer a request of ``user``, as simple_history's middleware records it."""

    def act(user: Any) -> None:
        request = RequestFactory().post("/somewhere/")
        request.user = user
        HistoricalRecords.context.request = request

    yield act
    if hasattr(HistoricalRecords.context, "request"):
        del HistoricalRecords.context.request


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(detail__change="privileges").order_by("id"))


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_by_the_operator_is_audited(world: World, readers: Group, change: str) -> None:
    before = len(events())
    CHANGES[change](world.users[Role.POLSEK], world)
    new = events()[before:]
    assert new, f"{change}: not audited"
    assert all(e.user is None and e.detail["via"] == "command line or shell" for e in new)


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_by_an_administrator_is_audited_as_his(
    world: World, readers: Group, acting_as: Callable[[Any], None], change: str
) -> None:
    acting_as(world.users[Role.ADMIN])
    before = len(events())
    CHANGES[change](world.users[Role.POLSEK], world)
    new = events()[before:]
    assert new and all(e.user == world.users[Role.ADMIN] for e in new)
    assert all(e.path == "/somewhere/" for e in new)


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("who", ["oneself", "a supervisor", "anonymous"])
def test_nobody_else_changes_privileges_by_any_door(
    world: World, readers: Group, acting_as: Callable[[Any], None], change: str, who: str
) -> None:
    account = world.users[Role.POLSEK]
    if who == "oneself":
        account.role, account.is_staff = Role.ADMIN, False  # an administrator, on himself
        account.unit = None
        User.objects.filter(pk=account.pk).update(role=Role.ADMIN, unit=None)
    actor = {
        "oneself": account,
        "a supervisor": world.users[Role.NATIONAL],
        "anonymous": AnonymousUser(),
    }[who]
    acting_as(actor)
    before = AuditEvent.objects.count()
    # (A refused link rolls back the transaction it is in, as the admin's request does.)
    with pytest.raises(PermissionDenied), transaction.atomic():
        CHANGES[change](account, world)
    assert AuditEvent.objects.count() == before
