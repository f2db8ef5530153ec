"""Enrolling an authenticator: only through a one-time link that an administrator or the
supervisor above issues, never after the password alone.

Whoever holds a password could otherwise enrol their own authenticator on an account that
has none (new, or reset after a lost phone) and hold both factors. So the sign-in refuses
such an account (it says whom to ask), and the enrolment link (an ``Activation`` with
purpose ``enrol``: expiring, single use, audited, only a hash stored) asks for the
account's password and the first code of the new authenticator. An account without a usable
password gets a full activation instead (password and authenticator).

Who issues links: the same authority as for opening the account again
(``provisioning.authority_problem``): an administrator, or a supervisor above the account's
unit; never for oneself. An administrator's reset of an authenticator in the Django admin
issues one (``two_factor_reset``).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.errors import ApplicationError
from sambang.personnel.models import User

from .models import Activation, ActivationPurpose
from .provisioning import (
    IssuedActivation,
    activation_issue,
    activation_spend,
    device_confirm,
    enrolment_device,
    first_code_check,
)


def enrolment_issue(
    *, user: User, by: User | None, request: HttpRequest | None = None
) -> IssuedActivation:
    """A one-time link with which ``user`` enrols a new authenticator (an account without a
    usable password: a full activation); earlier unused links stop working."""
    purpose = ActivationPurpose.ENROL if user.has_usable_password() else ActivationPurpose.ACTIVATE
    return activation_issue(user=user, by=by, request=request, purpose=purpose)


def two_factor_reset(
    *, device: TOTPDevice, by: User | None, request: HttpRequest | None = None
) -> IssuedActivation:
    """Remove an authenticator (a lost or changed phone) and issue the enrolment link for
    the next one; ``by`` needs the authority to issue it, or nothing is removed."""
    account = device.user
    with transaction.atomic():
        issued = enrolment_issue(user=account, by=by, request=request)
        audit_record(
            user=by,
            action=AuditAction.DELETE,
            target=device,
            request=request,
            change="two_factor_reset",
            account=account.username,
            confirmed=device.confirmed,
        )
        device.delete()
    return issued


def enrolment_complete(
    *, activation: Activation, password: str, code: str, request: HttpRequest | None = None
) -> User:
    """Use an enrolment link: with the account's password and the first code of the
    authenticator it enrols, confirm that authenticator (others are removed). A wrong
    password counts as a failed sign-in (and locks out like one)."""
    user = activation.user
    if activation.purpose != ActivationPurpose.ENROL:
        raise ApplicationError(
            _("This activation link no longer works."), code="gone", status_code=410
        )
    signed = authenticate(request, username=user.get_username(), password=password)
    if signed is None or signed.pk != user.pk:
        raise ApplicationError(
            _("The authenticator is not set up yet."),
            fields={"password": [_("That is not this account's password.")]},
        )
    device = enrolment_device(activation)
    first_code_check(device, code, _("The authenticator is not set up yet."))
    with transaction.atomic():
        activation_spend(activation)
        device_confirm(user, device)
        audit_record(
            user=user,
            action=AuditAction.UPDATE,
            target=user,
            request=request,
            change="two_factor_enrolled",
            activation=activation.pk,
        )
    return user
