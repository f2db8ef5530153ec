"""Background tasks of notifications (django-tasks; run by ``sambang db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .services import notify_event


@task()
def send_event(kind: str, object_id: int) -> int:
    """Tell the people concerned about an event (``services.announce`` queues it)."""
    return notify_event(kind=kind, object_id=object_id)
