"""Reads for accounts: the activation a code opens."""

from __future__ import annotations

from django.utils import timezone

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
