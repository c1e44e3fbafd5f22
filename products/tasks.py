from celery import shared_task


@shared_task(bind=True, ignore_result=True, max_retries=5, default_retry_delay=30)
def refund_send_task(self, refund_id: int) -> str:
    """Send one backer's refund after an abandonment (``products.refunds.refund_send``): safe
    to run twice, retried on the provider's network errors."""
    from .refunds import refund_send

    try:
        return refund_send(refund_id=refund_id)
    except ConnectionError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(ignore_result=True)
def refunds_resume_task() -> int:
    """Beat safety net: refunds still waiting to be sent (a queue message lost) go again."""
    from .refunds import refunds_resume

    return refunds_resume()
