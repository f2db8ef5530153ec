"""Writing to the audit log; the only way events are made."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from sambang.access import AnyUser
from sambang.core.addresses import client_address
from sambang.personnel.models import User

from .models import AuditEvent


def audit_record(
    *,
    user: AnyUser | None,
    action: str,
    target: models.Model,
    request: HttpRequest | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event: ``user`` did ``action`` to ``target`` (from ``request``)."""
    account = user if isinstance(user, User) else None
    return AuditEvent.objects.create(
        user=account,
        username=account.get_username() if account else "",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        detail=detail,
        ip=client_address(request) if request is not None else None,
        path=request.path[:300] if request is not None else "",
    )
