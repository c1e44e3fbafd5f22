from celery import shared_task

from .idempotency import records_purge


@shared_task
def idempotency_records_purge_task() -> int:
    """Expired Idempotency-Key records and form tokens (safe to run twice)."""
    return records_purge()
