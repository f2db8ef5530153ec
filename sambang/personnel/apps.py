from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "sambang.personnel"
    verbose_name = _("Personnel")
