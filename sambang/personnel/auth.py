"""Sign-in that refuses demo accounts unless the demo mode is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def demo_refused(user: Any) -> bool:
    return bool(getattr(user, "is_demo", False)) and not settings.DEMO_MODE


class SambangBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not demo_refused(user)

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        return None if user is None or demo_refused(user) else user
