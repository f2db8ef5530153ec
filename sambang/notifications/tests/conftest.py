"""A local push service and the server's VAPID keys, for the notification tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sambang.notifications.keys import new_key_pair

from .pushservice import LocalPushService, local_push_service

SUBJECT = "mailto:operations@sambang.example.org"


@pytest.fixture
def push(settings: Any) -> Iterator[LocalPushService]:
    """Push switched on (a new key pair), with the push service of the tests on 127.0.0.1
    as the only one subscriptions may name."""
    settings.SAMBANG_VAPID_PUBLIC_KEY, settings.SAMBANG_VAPID_PRIVATE_KEY = new_key_pair()
    settings.SAMBANG_VAPID_SUBJECT = SUBJECT
    settings.SAMBANG_PUSH_SERVICE_HOSTS = ["127.0.0.1"]
    with local_push_service() as service:
        yield service
