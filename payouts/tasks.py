"""Celery tasks: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True)
def settlement_run_task(settlement_id: int) -> str:
    """Compute the settlement's preview (claims the job; a second run finds it claimed)."""
    return services.settlement_run(settlement_id=settlement_id).status


@shared_task(ignore_result=True, acks_late=True)
def settlement_post_task(settlement_id: int) -> str:
    """Post an approved preview; posting twice finds it posted and does nothing."""
    return services.settlement_post(settlement_id=settlement_id).status


@shared_task(ignore_result=True)
def settlement_notify_task(settlement_id: int) -> int:
    """Queue one notification task per chunk of the settlement's members."""
    return services.settlement_notify(settlement_id=settlement_id)


@shared_task(ignore_result=True, acks_late=True)
def settlement_notify_chunk_task(settlement_id: int, first_member: int, last_member: int) -> int:
    """Notify one chunk of a posted settlement's members (safe to run twice)."""
    return services.settlement_notify_chunk(
        settlement_id=settlement_id, first_member=first_member, last_member=last_member
    )


@shared_task(ignore_result=True)
def settlements_resume_task() -> int:
    """Beat safety net: re-queue settlements a lost message or a dead worker left behind."""
    return services.settlements_resume()
