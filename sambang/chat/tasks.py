"""Background tasks of the chat channels (django-tasks; run by ``sambang db_worker``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from sambang.public.models import CitizenReport

from .models import ChatReport


@task()
def send_answer(report_id: int) -> bool:
    """Send the police's answer to the chat the report came from."""
    from .services import answer_back

    report = CitizenReport.objects.filter(pk=report_id).first()
    return report is not None and answer_back(report)


def answer_when_committed(sender: Any, report: CitizenReport, **kwargs: Any) -> None:
    """``public.services.answered``: queue the answer for a report that came by chat."""
    if ChatReport.objects.filter(report=report).exists():
        transaction.on_commit(lambda: send_answer.enqueue(report.pk), robust=True)
