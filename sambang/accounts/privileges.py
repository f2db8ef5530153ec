"""What an account may do, who may change it, and the audit of every change.

An account's privileges are its role, its unit, its staff and superuser flags, its groups
and its permissions (and the permissions of its groups). The rules:

- nobody changes their own, whatever the change (raising or lowering: ask another
  administrator);
- of other accounts, only an active administrator changes them, and only a superuser gives
  or takes superuser status;
- the server's operator (a command or the shell: no request being answered) may do all of it.

Every change is written to the audit log (action ``update``, ``change: privileges``, the
fields from and to), by whatever path it came: the Django admin, a service, the shell. The
admin's forms check the rules first and answer with the reason (``change_problem``); the
model hooks below check them again and write the events, because a hook is the one place
every path passes (``save()``, the many-to-many managers) and a new path cannot forget it.
``QuerySet.update()`` and SQL pass no hook: only the operator has them. New accounts are
audited where they are made (``provisioning``, the admin's add form).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.organization.models import Unit
from sambang.personnel.models import Role, User

# The account's own fields that decide what it may read and do.
FIELDS = ("role", "unit", "is_staff", "is_superuser")
_ATTNAMES = {
    "role": "role",
    "unit": "unit_id",
    "is_staff": "is_staff",
    "is_superuser": "is_superuser",
}
# The links that give permissions: (through model, its left and right fields).
_LINKS: dict[type[models.Model], tuple[str, str]] = {
    User.groups.through: ("user", "group"),
    User.user_permissions.through: ("user", "permission"),
    Group.permissions.through: ("group", "permission"),
}
_PENDING = "_sambang_privilege_changes"
_CLEARING = "_sambang_links_cleared"

Actor = User | AnonymousUser | None


def current_request() -> HttpRequest | None:
    """The request being answered, if any: simple_history's middleware keeps it for every
    request, for the model-level code that records who made a change."""
    return getattr(HistoricalRecords.context, "request", None)


def current_actor() -> tuple[Actor, HttpRequest | None]:
    """Who is making a change now: the request's user (anonymous included), or None for the
    operator (no request)."""
    request = current_request()
    if request is None:
        return None, None
    return getattr(request, "user", AnonymousUser()), request


def change_problem(*, by: Actor, account: User | None, fields: Collection[str]) -> str | None:
    """Why ``by`` may not change ``fields`` (privileges) of ``account`` (None: a new
    account), or None when they may."""
    if by is None:
        return None
    if account is not None and account.pk is not None and by.pk == account.pk:
        return _(
            "Nobody changes their own role, unit, staff or superuser status, groups or "
            "permissions. Ask another administrator."
        )
    if not isinstance(by, User) or not by.is_active or by.role != Role.ADMIN:
        return _(
            "Only an administrator changes the role, unit, staff or superuser status, groups "
            "or permissions of an account."
        )
    if "is_superuser" in fields and not by.is_superuser:
        return _("Only a superuser gives or takes superuser status.")
    return None


def _refuse_if_barred(by: Actor, accounts: Iterable[User], fields: Collection[str]) -> None:
    for account in accounts:
        if problem := change_problem(by=by, account=account, fields=fields):
            raise PermissionDenied(problem)


def _via(request: HttpRequest | None) -> dict[str, str]:
    return {} if request is not None else {"via": "command line or shell"}


def _readable(name: str, value: Any) -> Any:
    if name == "unit" and value is not None:
        return Unit.objects.filter(pk=value).values_list("code", flat=True).first()
    return value


# --- role, unit, staff and superuser ------------------------------------------------------------


def _before_save(
    sender: type[User], instance: User, raw: bool, update_fields: Any, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        return
    names = [n for n in FIELDS if update_fields is None or n in update_fields]
    if not names:
        return
    stored = User.objects.filter(pk=instance.pk).values(*(_ATTNAMES[n] for n in names)).first()
    if stored is None:
        return
    changes = {
        name: (stored[_ATTNAMES[name]], getattr(instance, _ATTNAMES[name]))
        for name in names
        if stored[_ATTNAMES[name]] != getattr(instance, _ATTNAMES[name])
    }
    if not changes:
        return
    by, _request = current_actor()
    _refuse_if_barred(by, [instance], changes)
    setattr(instance, _PENDING, changes)


def _after_save(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    changes = instance.__dict__.pop(_PENDING, None)
    if not changes:
        return
    by, request = current_actor()
    audit_record(
        user=by,
        action=AuditAction.UPDATE,
        target=instance,
        request=request,
        change="privileges",
        account=instance.username,
        **{
            name: {"from": _readable(name, old), "to": _readable(name, new)}
            for name, (old, new) in changes.items()
        },
        **_via(request),
    )


# --- groups and permissions --------------------------------------------------------------------


def _pairs(
    sender: type[models.Model], instance: models.Model, reverse: bool, pks: Iterable[Any]
) -> list[tuple[Any, Any]]:
    """The (left, right) links of ``sender`` being changed, e.g. (user, group)."""
    return [(pk, instance.pk) if reverse else (instance.pk, pk) for pk in pks]


def _accounts(sender: type[models.Model], left_pks: Collection[Any]) -> list[User]:
    """The accounts whose permissions change with these left-hand rows."""
    left, _right = _LINKS[sender]
    if left == "user":
        return list(User.objects.filter(pk__in=left_pks))
    return list(User.objects.filter(groups__in=left_pks).distinct())


def _label(row: models.Model) -> str:
    if isinstance(row, Permission):
        return f"{row.content_type.app_label}.{row.codename}"
    return str(row)


def _links_changing(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if sender not in _LINKS:
        return
    left, right = _LINKS[sender]
    if action == "pre_clear":
        side, other = (right, left) if reverse else (left, right)
        pk_set = set(
            sender._default_manager.filter(**{f"{side}_id": instance.pk}).values_list(
                f"{other}_id", flat=True
            )
        )
        instance.__dict__[_CLEARING] = pk_set
    if action not in ("pre_add", "pre_remove", "pre_clear") or not pk_set:
        return
    pairs = _pairs(sender, instance, reverse, pk_set)
    by, _request = current_actor()
    _refuse_if_barred(by, _accounts(sender, {a for a, _b in pairs}), [right])


def _links_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if sender not in _LINKS or action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop(_CLEARING, None)
    if not pk_set:
        return
    left, right = _LINKS[sender]
    by_left: dict[Any, list[Any]] = defaultdict(list)
    for a, b in _pairs(sender, instance, reverse, pk_set):
        by_left[a].append(b)
    left_model = sender._meta.get_field(left).related_model
    right_model = sender._meta.get_field(right).related_model
    assert isinstance(left_model, type) and isinstance(right_model, type)
    rows = left_model._default_manager.in_bulk(list(by_left))
    others = right_model._default_manager.in_bulk([pk for pks in by_left.values() for pk in pks])
    verb = "added" if action == "post_add" else "removed"
    by, request = current_actor()
    for pk, right_pks in by_left.items():
        target = rows.get(pk)
        if target is None:
            continue
        audit_record(
            user=by,
            action=AuditAction.UPDATE,
            target=target,
            request=request,
            change="privileges",
            **{f"{right}s_{verb}": sorted(_label(others[o]) for o in right_pks if o in others)},
            **_via(request),
        )


def connect() -> None:
    """Install the hooks (from the app's ``ready()``)."""
    pre_save.connect(_before_save, sender=User, dispatch_uid="privileges-before-save")
    post_save.connect(_after_save, sender=User, dispatch_uid="privileges-after-save")
    for through in _LINKS:
        m2m_changed.connect(_links_changing, sender=through, dispatch_uid=f"privileges-{through}")
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"privileges-done-{through}"
        )


# --- forms ----------------------------------------------------------------------------------------


def checked_form[F: forms.ModelForm[Any]](
    form: type[F],
    *,
    by: Actor,
    watched: Collection[str],
    accounts: Callable[[Any], Iterable[User | None]],
) -> type[F]:
    """``form`` answering a change of its ``watched`` fields that ``by`` may not make with
    the reason, before anything is saved (the hooks would refuse it later, without one).
    ``accounts`` gives the accounts whose privileges the form's instance carries (None: an
    account being created)."""

    def clean(self: F) -> dict[str, Any]:
        data = form.clean(self) or {}
        changed = [name for name in self.changed_data if name in watched]
        if changed:
            for account in accounts(self.instance):
                if problem := change_problem(by=by, account=account, fields=changed):
                    raise ValidationError(problem)
        return data

    checked = type(f"Checked{form.__name__}", (form,), {"clean": clean})
    return checked
