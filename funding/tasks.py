from celery import shared_task

from .services import funding_rounds_close_due, payments_lapse_overdue


@shared_task(ignore_result=True)
def funding_rounds_close_task() -> dict[str, int]:
    """Beat job: close every funding round past its deadline; safe to run twice."""
    return funding_rounds_close_due()


@shared_task(ignore_result=True)
def payments_lapse_task() -> int:
    """Beat job: payments still owed past their due date lapse; safe to run twice."""
    return payments_lapse_overdue()
