"""A partner record removed from a village profile takes its answers with it: the reports
they answered are assessed again (``fieldwork.processing``)."""

from __future__ import annotations

from typing import Any

from sambang.community.models import Partner
from sambang.fieldwork.models import PartnerConfirmation
from sambang.fieldwork.processing import mark_pending


def reassess_their_reports(sender: type[Partner], instance: Partner, **kwargs: Any) -> None:
    answered = PartnerConfirmation.objects.filter(partner=instance).values_list(
        "report_id", flat=True
    )
    mark_pending(list(answered))
