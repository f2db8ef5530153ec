from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sambang.evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from . import rollups

        rollups.connect()
