from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sambang.partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from sambang.community.models import Partner

        from .signals import reassess_their_reports

        pre_delete.connect(reassess_their_reports, sender=Partner, dispatch_uid="partner-removed")
