from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "sambang.chat"
    verbose_name = _("Chat channels")

    def ready(self) -> None:
        from sambang.public.services import answered

        from .tasks import answer_when_committed

        answered.connect(answer_when_committed, dispatch_uid="chat-answer-back")
