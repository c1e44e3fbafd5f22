from celery import shared_task

from . import stripe_adapter


@shared_task(bind=True, ignore_result=True, max_retries=5, default_retry_delay=30)
def charge_payment_task(self, payment_id: int) -> str:
    """Charge one funded pledge (exactly once: ``stripe_adapter.charge``); retried on network
    errors."""
    import stripe

    try:
        return stripe_adapter.charge(payment_id)
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise self.retry(exc=exc) from exc


@shared_task(ignore_result=True)
def release_methods_task(pledge_ids: list[int]) -> int:
    return stripe_adapter.release(pledge_ids)
