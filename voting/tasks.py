from celery import shared_task

from .services import voting_windows_close


@shared_task(ignore_result=True)
def voting_windows_close_task() -> dict[str, int]:
    """Beat safety net: expire ideas whose voting window ended; safe to run twice."""
    return voting_windows_close()
