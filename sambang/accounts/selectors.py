"""Reads for accounts: the activation a code opens, and the accounts a supervisor
issues links for."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sambang import access
from sambang.personnel.models import User

from .models import CODE_LENGTH, Activation, key_digest, normalize_code


def open_activation(code: str) -> Activation | None:
    """The activation ``code`` opens (as typed: any case, dashes, O for 0), if it is
    unused, not replaced, not expired, and its account is not disabled; otherwise None,
    the same for every reason, so that nothing tells whether an account exists."""
    normalized = normalize_code(code)
    if len(normalized) != CODE_LENGTH:
        return None
    return (
        Activation.objects.select_related("user__unit")
        .filter(
            digest=key_digest(normalized),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def supervisor_accounts(
    user: User, *, search: str = "", without_authenticator: bool = False
) -> QuerySet[User]:
    """The accounts ``user`` issues activation and enrolment links for
    (``access.supervisor_accounts_for_user``), each with ``has_authenticator`` (a confirmed
    one) and ``link_open`` (an unused, unexpired link waits), by unit then username."""
    open_links = Activation.objects.filter(
        user=OuterRef("pk"),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    accounts = (
        access.supervisor_accounts_for_user(user)
        .select_related("unit")
        .annotate(
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            link_open=Exists(open_links),
        )
    )
    if search:
        accounts = accounts.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(unit__name__icontains=search)
            | Q(unit__code__startswith=search)
        )
    if without_authenticator:
        accounts = accounts.filter(has_authenticator=False)
    return accounts.order_by("unit__code", "username")
