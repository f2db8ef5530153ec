"""Background tasks of exports (django-tasks; run by ``sambang db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .services import export_job_run


@task()
def export_run(job_id: str) -> None:
    export_job_run(job_id)
