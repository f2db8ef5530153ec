"""Creating logins: accounts for officers and supervisors, each opened by a one-time
activation (a printable link and code), never by a shared or published password.

Who may create what (the scopes come from ``sambang.access``):

- an officer's account: a supervisor or administrator who sees the officer's record;
- a Polsek, Polres or Polda supervisor's account: for a unit strictly below the creator's
  own, so that nobody makes an account at their own level or above;
- national and administrator accounts: administrators only;
- a partner's account (Babinsa, village head, FKPM chair): a supervisor who sees the
  partner's village (``partner_login``), made from the village's partner record.

``by=None`` is the server's operator at the command line (``sambang accounts``), who may
do all of it. A new account has no usable password until its holder opens the activation,
sets one and, where the role requires it, enrols an authenticator in the same step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sambang import access
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.community.models import ACCOUNT_KINDS, Partner
from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, read_rows
from sambang.core.validators import text_problem
from sambang.organization.models import Jurisdiction, Unit
from sambang.personnel.models import ROLE_UNIT_LEVEL, Officer, OfficerStatus, Role, User

from . import twofactor
from .models import Activation, ActivationPurpose, ApiToken, format_code, key_digest

# Roles only an administrator gives.
_ADMIN_GIVES = (Role.ADMIN, Role.NATIONAL)


@dataclass(frozen=True)
class IssuedActivation:
    """A new activation with its code in clear: shown or printed once, never stored."""

    activation: Activation
    code: str

    @property
    def user(self) -> User:
        return self.activation.user

    @property
    def printable_code(self) -> str:
        return format_code(self.code)

    @property
    def path(self) -> str:
        return reverse("accounts:activate", args=[self.printable_code])


@dataclass
class AccountsImport(ImportResult):
    """An accounts import; ``activations`` holds the new accounts' codes (none on a dry run)."""

    activations: list[IssuedActivation] = field(default_factory=list)


@dataclass
class _Planned:
    username: str
    role: str
    unit: Unit | None
    name: str
    officer: Officer | None = None


def _not_in_scope() -> str:
    # The same words for a code that names nothing and one outside the scope.
    return str(_("Nothing with this code in your scope."))


def unit_named(code: str) -> Unit | None:
    """The unit of a code typed into a form or a request (None for an empty one); a code
    that names no unit is an error on the field ``unit``, in the words of one outside the
    scope."""
    if not code.strip():
        return None
    unit = Unit.objects.filter(code=code.strip().upper()).first()
    if unit is None:
        raise ApplicationError(
            _("The account cannot be created."), fields={"unit": [_not_in_scope()]}
        )
    return unit


def _require_provisioner(by: User | None) -> None:
    if by is not None and not access.can_provision_accounts(by):
        raise ApplicationError(
            _("Only supervisors and administrators create accounts."),
            code="permission_denied",
            status_code=403,
        )


@dataclass
class _Rules:
    """What ``by`` may create; the bulk import preloads what the rows name."""

    by: User | None
    officer_ids: set[int] | None = None
    unit_ids: set[int] | None = None
    taken: set[str] | None = None  # usernames in lower case

    def sees_officer(self, officer: Officer) -> bool:
        if self.by is None:
            return True
        if self.officer_ids is not None:
            return officer.pk in self.officer_ids
        return access.officers_for_user(self.by).filter(pk=officer.pk).exists()

    def may_use_unit(self, unit: Unit) -> bool:
        if self.by is None:
            return True
        if self.unit_ids is not None:
            return unit.pk in self.unit_ids
        return access.account_units_for_user(self.by).filter(pk=unit.pk).exists()

    def is_taken(self, username: str) -> bool:
        if self.taken is not None:
            return username.lower() in self.taken
        return User.objects.filter(username__iexact=username).exists()

    def gives_any_role(self) -> bool:
        return self.by is None or self.by.role == Role.ADMIN


def _check_officer(rules: _Rules, officer: Officer) -> tuple[_Planned, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if not rules.sees_officer(officer):
        errors["officer"] = [_not_in_scope()]
    elif officer.user_id is not None:
        errors["officer"] = [_("This officer already has an account.")]
    elif officer.status != OfficerStatus.ACTIVE:
        errors["officer"] = [_("Only an active officer gets an account.")]
    elif rules.is_taken(officer.nrp):
        errors["officer"] = [
            _("The username %(username)s belongs to another account.") % {"username": officer.nrp}
        ]
    planned = _Planned(officer.nrp, Role.OFFICER, officer.unit, officer.name, officer)
    return planned, errors


def _check_supervisor(
    rules: _Rules, *, username: str, role: str, unit: Unit | None, name: str
) -> tuple[_Planned, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not role:
        add("role", _("Give a role, or the NRP of an officer."))
    elif role not in Role.values:
        add("role", _("Unknown role; use one of: %s.") % ", ".join(Role.values))
    elif role == Role.OFFICER:
        add("role", _("An officer's account is made from the officer's record: give the NRP."))
    elif role in _ADMIN_GIVES and not rules.gives_any_role():
        add("role", _("Only an administrator creates national and administrator accounts."))
    elif role == Role.ADMIN:
        if unit is not None:
            add("unit", _("An administrator belongs to no unit."))
    elif unit is None:
        add("unit", _("This role needs a unit."))
    elif not rules.may_use_unit(unit):
        add("unit", _not_in_scope())
    elif unit.level != ROLE_UNIT_LEVEL[Role(role)]:
        add(
            "unit",
            _("A %(role)s account belongs to a %(level)s unit.")
            % {"role": Role(role).label, "level": ROLE_UNIT_LEVEL[Role(role)]},
        )
    if not username:
        add("username", _("This field is required."))
    elif problem := text_problem(username, 150):
        add("username", problem)
    else:
        try:
            User.username_validator(username)
        except ValidationError as error:
            add("username", " ".join(error.messages))
        else:
            if rules.is_taken(username):
                add("username", _("This username is taken."))
    if problem := text_problem(name, 150):
        add("name", problem)
    return _Planned(username, role, unit if role != Role.ADMIN else None, name), errors


def _issue(
    user: User,
    by: User | None,
    request: HttpRequest | None,
    purpose: str = ActivationPurpose.ACTIVATE,
    **detail: object,
) -> IssuedActivation:
    """A new activation for ``user``; the unused ones it replaces (of either purpose) stop
    working."""
    now = timezone.now()
    replaced = Activation.objects.filter(
        user=user, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    code = Activation.new_code()
    activation = Activation.objects.create(
        user=user,
        digest=key_digest(code),
        purpose=purpose,
        created_by=by,
        expires_at=now + dt.timedelta(days=settings.SAMBANG_ACTIVATION_DAYS),
    )
    audit_record(
        user=by,
        action=AuditAction.CREATE,
        target=activation,
        request=request,
        change="enrolment_issued" if purpose == ActivationPurpose.ENROL else "activation_issued",
        account=user.username,
        expires_at=activation.expires_at.isoformat(),
        replaced=replaced,
        **detail,
    )
    return IssuedActivation(activation, code)


def _create(planned: _Planned, by: User | None, request: HttpRequest | None) -> IssuedActivation:
    user = User(
        username=planned.username,
        role=planned.role,
        unit=planned.unit,
        first_name=planned.name[:150],
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ApplicationError(
            _("The account was not created."),
            code="conflict",
            status_code=409,
            fields={"username": [_("This username is taken.")]},
        ) from None
    if planned.officer is not None:
        # Only if no other account was linked to the officer meanwhile.
        linked = Officer.objects.filter(pk=planned.officer.pk, user__isnull=True).update(user=user)
        if not linked:
            raise ApplicationError(
                _("The account was not created."),
                code="conflict",
                status_code=409,
                fields={"officer": [_("This officer already has an account.")]},
            )
        planned.officer.user = user
    via = {"via": "command line"} if by is None else {}
    audit_record(
        user=by,
        action=AuditAction.CREATE,
        target=user,
        request=request,
        change="account_created",
        role=planned.role,
        unit=planned.unit.code if planned.unit else None,
        officer=planned.officer.nrp if planned.officer else None,
        **via,
    )
    return _issue(user, by, request, **via)


def account_create(
    *,
    by: User | None,
    officer: Officer | None = None,
    username: str = "",
    role: str = "",
    unit: Unit | None = None,
    name: str = "",
    request: HttpRequest | None = None,
) -> IssuedActivation:
    """Create an account without a usable password, and its first activation.

    Either for ``officer`` (username: the NRP, role officer, the officer's unit), or a
    supervisor's account from ``username``, ``role``, ``unit`` and ``name``. ``by`` must
    see the officer, or may give the role in the unit (see the module's docstring).
    """
    _require_provisioner(by)
    rules = _Rules(by)
    if officer is not None:
        planned, errors = _check_officer(rules, officer)
    else:
        planned, errors = _check_supervisor(
            rules, username=username.strip(), role=role, unit=unit, name=name.strip()
        )
    if errors:
        raise ApplicationError(_("The account cannot be created."), fields=errors)
    with transaction.atomic():
        return _create(planned, by, request)


def _partner_username(partner: Partner) -> str:
    """``babinsa.3216012001``: the kind and the village, readable when typed at sign-in;
    a number after it when the village has several of the kind."""
    base = f"{partner.kind.replace('_', '')}.{partner.village_id.replace('.', '')}"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}.{n}"
    return username


def partner_login(
    *,
    by: User | None,
    partner: Partner,
    existing: str = "",
    request: HttpRequest | None = None,
) -> IssuedActivation | None:
    """A partner's login (Babinsa, village head, FKPM chair), made by a supervisor who sees
    the partner's village: an account when the record has none (or, with ``existing``, the
    record joins that partner's account: a Babinsa of several villages signs in once), else
    a new activation for it (a lost link). Returns the activation to hand over, or None
    when a record joined an existing account."""
    _require_provisioner(by)
    if by is not None and not access.villages_for_user(by).filter(pk=partner.village_id).exists():
        raise ApplicationError(_("No login was made."), fields={"partner": [_not_in_scope()]})
    if partner.kind not in ACCOUNT_KINDS or not partner.active:
        raise ApplicationError(
            _("No login was made."),
            fields={
                "partner": [_("Logins are for active Babinsa, village heads and FKPM chairs.")]
            },
        )
    jurisdiction = Jurisdiction.objects.filter(village_id=partner.village_id).first()
    if jurisdiction is None:
        raise ApplicationError(
            _("No login was made."), fields={"partner": [_("No unit covers this village.")]}
        )
    via = {"via": "command line"} if by is None else {}
    if existing:
        account = User.objects.filter(username__iexact=existing.strip(), role=Role.PARTNER).first()
        if account is None or authority_problem(by, account):
            raise ApplicationError(
                _("No login was made."),
                fields={"username": [_("No partner's account of this name in your units.")]},
            )
        with transaction.atomic():
            Partner.objects.filter(pk=partner.pk).update(account=account)
            audit_record(
                user=by,
                action=AuditAction.UPDATE,
                target=account,
                request=request,
                change="partner_record_joined",
                village=partner.village_id,
                **via,
            )
        return None
    if partner.account_id is not None:
        assert partner.account is not None
        return activation_issue(user=partner.account, by=by, request=request)
    with transaction.atomic():
        issued = _create(
            _Planned(
                _partner_username(partner),
                Role.PARTNER,
                jurisdiction.unit,
                (partner.contact or partner.name)[:150],
            ),
            by,
            request,
        )
        Partner.objects.filter(pk=partner.pk).update(account=issued.user)
    return issued


def authority_problem(by: User | None, account: User) -> str | None:
    """Why ``by`` may not open ``account`` again, or None."""
    if by is None:
        return None
    if by.pk == account.pk:
        return str(_("Ask your supervisor or an administrator for a new activation."))
    if account.role == Role.OFFICER:
        visible = access.officers_for_user(by).filter(user=account).exists()
    elif account.role == Role.PARTNER:  # made by the Polsek, for a unit of the subtree
        visible = (
            access.can_provision_accounts(by)
            and account.unit_id is not None
            and access.units_for_user(by).filter(pk=account.unit_id).exists()
        )
    elif account.role in _ADMIN_GIVES:
        visible = by.role == Role.ADMIN
    else:
        visible = (
            account.unit_id is not None
            and access.account_units_for_user(by).filter(pk=account.unit_id).exists()
        )
    return None if visible else _not_in_scope()


def activation_issue(
    *,
    user: User,
    by: User | None,
    request: HttpRequest | None = None,
    purpose: str = ActivationPurpose.ACTIVATE,
) -> IssuedActivation:
    """A new activation for an existing account (a lost link, or a reset; with ``purpose``
    enrol, a new authenticator only): earlier unused ones stop working. The account keeps
    its password and authenticator until the new activation is used; ``by`` needs the same
    authority as for creating the account."""
    _require_provisioner(by)
    if problem := authority_problem(by, user):
        raise ApplicationError(_("No activation was issued."), fields={"user": [problem]})
    if not user.is_active:
        raise ApplicationError(
            _("No activation was issued."), fields={"user": [_("This account is disabled.")]}
        )
    with transaction.atomic():
        via = {"via": "command line"} if by is None else {}
        return _issue(user, by, request, purpose, **via)


def enrolment_device(activation: Activation) -> TOTPDevice:
    """The authenticator an activation enrols: its own, made on first need, so that no
    secret shown elsewhere (a sign-in with an old password, say) is ever confirmed here."""
    name = f"activation {activation.pk}"
    device = TOTPDevice.objects.filter(user=activation.user, confirmed=False, name=name).first()
    if device is None:
        device = TOTPDevice.objects.create(user=activation.user, name=name, confirmed=False)
    return device


def activation_complete(
    *, activation: Activation, password: str, code: str = "", request: HttpRequest | None = None
) -> User:
    """Use ``activation``: set the account's password and, where its role requires a
    second factor, confirm the authenticator being enrolled with its first code (a
    previous authenticator is removed). Then the activation never works again, and the
    account's API tokens (of a reset account) are revoked (``accounts.tokens``)."""
    user = activation.user
    if activation.purpose != ActivationPurpose.ACTIVATE:
        raise ApplicationError(
            _("This activation link no longer works."), code="gone", status_code=410
        )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError(
            _("The account is not activated yet."), fields={"password": list(error.messages)}
        ) from None
    device: TOTPDevice | None = None
    if twofactor.requires_two_factor(user):
        device = enrolment_device(activation)
        # The code is checked only once the password passes: a checked code is spent.
        first_code_check(device, code, _("The account is not activated yet."))
    with transaction.atomic():
        activation_spend(activation)
        revoked = ApiToken.objects.filter(user=user).count()
        user.set_password(password)  # which revokes the tokens, whatever sets a password
        user.save(update_fields=["password"])
        if device is not None:
            device_confirm(user, device)
        audit_record(
            user=user,
            action=AuditAction.UPDATE,
            target=user,
            request=request,
            change="account_activated",
            activation=activation.pk,
            two_factor=device is not None,
            tokens_revoked=revoked,
        )
    return user


# --- bulk ---------------------------------------------------------------------------------

_COLUMN_OF = {"officer": "nrp"}  # the service's field → the file's column


def accounts_import(*, path: Path, user: User | None, dry_run: bool = False) -> AccountsImport:
    """Create accounts from CSV/XLSX, each with its activation.

    A row names an officer by ``nrp`` (an officer's account), or a supervisor's account by
    ``username``, ``role`` and ``unit`` (a unit code), with an optional ``name``. Every
    row is checked against what ``user`` may create; nothing is written if any row is
    wrong, nor on a dry run.
    """
    _require_provisioner(user)
    rows = read_rows(path, [])
    result = AccountsImport(dry_run=dry_run)
    nrps = [r["nrp"] for _, r in rows if r.get("nrp")]
    officers = Officer.objects.select_related("unit").in_bulk(nrps, field_name="nrp")
    units = Unit.objects.in_bulk(
        [r["unit"].upper() for _, r in rows if r.get("unit")], field_name="code"
    )
    names = {(r.get("nrp") or r.get("username", "")).lower() for _, r in rows}
    rules = _Rules(
        user,
        officer_ids=set(
            access.officers_for_user(user).filter(nrp__in=nrps).values_list("pk", flat=True)
        )
        if user is not None
        else None,
        unit_ids=set(
            access.account_units_for_user(user)
            .filter(pk__in=[u.pk for u in units.values()])
            .values_list("pk", flat=True)
        )
        if user is not None
        else None,
        taken=set(
            User.objects.annotate(lower=Lower("username"))
            .filter(lower__in=names)
            .values_list("lower", flat=True)
        ),
    )
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for number, row in rows:
        nrp, username = row.get("nrp", ""), row.get("username", "")
        if nrp:
            officer = officers.get(nrp)
            if officer is None:
                result.errors.add(number, "nrp", _not_in_scope())
                continue
            plan, errors = _check_officer(rules, officer)
        elif username or row.get("role") or row.get("unit"):
            unit_code = row.get("unit", "")
            unit = units.get(unit_code.upper())
            plan, errors = _check_supervisor(
                rules,
                username=username,
                role=row.get("role", "").lower(),
                unit=unit,
                name=row.get("name", ""),
            )
            if unit_code and unit is None:
                errors["unit"] = [_not_in_scope()]
        else:
            result.errors.add(
                number, "nrp", _("Give an officer's NRP, or a username, role and unit.")
            )
            continue
        for name, messages in errors.items():
            for message in messages:
                result.errors.add(number, _COLUMN_OF.get(name, name), message)
        key = plan.username.lower()
        if key in seen:
            column = "nrp" if nrp else "username"
            result.errors.add(number, column, _("Also on row %(row)s.") % {"row": seen[key]})
        seen.setdefault(key, number)
        if not errors:
            planned.append(plan)
    result.created = len(planned)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        result.activations = [_create(plan, user, None) for plan in planned]
    return result


def first_code_check(device: TOTPDevice, code: str, message: str) -> None:
    """Refuse (``message``, the code's field naming why) unless ``code`` is the device's
    first good code."""
    problem = (
        twofactor.check_code(device, code)
        if code.strip()
        else _("Enter the 6 digits your authenticator shows now.")
    )
    if problem:
        raise ApplicationError(message, fields={"code": [problem]})


def activation_spend(activation: Activation) -> None:
    """Use an activation up, once: a second use at the same time finds it gone (410)."""
    now = timezone.now()
    taken = Activation.objects.filter(
        pk=activation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not taken:
        raise ApplicationError(
            _("This activation link no longer works."), code="gone", status_code=410
        )


def device_confirm(user: User, device: TOTPDevice) -> None:
    """The enrolled device becomes the account's only authenticator."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.name, device.confirmed = "authenticator", True
    device.save(update_fields=["name", "confirmed"])
