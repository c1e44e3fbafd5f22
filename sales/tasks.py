"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task

from . import importing


@shared_task(ignore_result=True, acks_late=True)
def sales_import_task(job_id: int) -> str:
    """Import a sales file whole or not at all (a second run finds the job claimed)."""
    return importing.import_run(job_id=job_id).status
