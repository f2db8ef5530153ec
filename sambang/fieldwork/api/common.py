"""Helpers shared by the field-work API views."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from sambang import access
from sambang.core.validators import within_the_century
from sambang.personnel.models import Officer, User


def request_user(request: Request) -> User:
    """The signed-in user of an API view (DRF has already refused anonymous callers)."""
    return cast(User, request.user)


def request_officer(request: Request) -> Officer:
    officer = access.officer_of(request.user)
    if officer is None:
        raise PermissionDenied("Only officers plan and file reports.")
    return officer


class LocalDateTimeField(serializers.DateTimeField):
    """A date/time as the client sent it: without an offset, it is read in the unit's zone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(within_the_century)

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


def parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: ["Use a date as YYYY-MM-DD."]}) from None
