"""API tokens end with the password they were issued under.

Whatever sets a new password (the password page, a reset by e-mail, an activation, the
Django admin, ``changepassword``, the shell) revokes every API token of the account, so
that a device or a person holding a token signed in with the old password is out too.
It is a model hook for the same reason as the privilege hooks (``privileges``): every path
passes it. Each change is audited (``change: password_changed``, with the tokens revoked),
and the owner's security page says why their tokens are gone.

Django calls ``set_password`` also to re-hash an unchanged password at sign-in (a stronger
hasher); that keeps the raw password only until the hash is made, so it is not taken for a
change here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models.signals import post_save

from sambang.audit.models import AuditAction, AuditEvent
from sambang.audit.services import audit_record
from sambang.personnel.models import User

from .models import ApiToken
from .privileges import current_actor

_CHANGE = "password_changed"


def _password_saved(
    sender: type[User], instance: User, created: bool, raw: bool, **kwargs: Any
) -> None:
    # ``_password`` holds the raw password from set_password() until the save completes.
    if raw or created or getattr(instance, "_password", None) is None:
        return
    revoked, _rows = ApiToken.objects.filter(user=instance).delete()
    by, request = current_actor()
    audit_record(
        user=by,
        action=AuditAction.UPDATE,
        target=instance,
        request=request,
        change=_CHANGE,
        account=instance.username,
        tokens_revoked=revoked,
        **({} if request is not None else {"via": "command line or shell"}),
    )


def tokens_revoked_at(user: User) -> dt.datetime | None:
    """When a password change last revoked ``user``'s API tokens, if no token was issued
    since (then the owner has signed in again, and the notice is no longer needed)."""
    event = (
        AuditEvent.objects.filter(
            object_type=User._meta.label_lower,
            object_id=str(user.pk),
            detail__change=_CHANGE,
            detail__tokens_revoked__gt=0,
        )
        .order_by("-at", "-id")
        .first()
    )
    if event is None or ApiToken.objects.filter(user=user, created_at__gt=event.at).exists():
        return None
    return event.at


def connect() -> None:
    """Install the hook (from the app's ``ready()``)."""
    post_save.connect(_password_saved, sender=User, dispatch_uid="tokens-password-saved")
