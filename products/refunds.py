"""Refunds after an abandonment (the money half of issue 27), called by the life half once a
second reviewer confirms an abandonment: ``abandonment_refunds_start(abandonment_id=…)``.

The work is in ``products.money.services.refunds``; this module is the seam both halves and
the payments app (webhooks) name."""

from django.apps import apps

from .money.services.refunds import (
    refund_confirm,
    refund_id_of,
    refund_send,
    refund_settle,
    refunds_start,
)
from .money_models import BackerRefund, RefundStatus

__all__ = [
    "abandonment_refunds_start",
    "backer_refund_reconcile",
    "refund_confirm",
    "refund_send",
    "refund_settle",
    "refunds_resume",
]


def abandonment_refunds_start(*, abandonment_id: int) -> list[BackerRefund]:
    """The abandonment's product's available funds, refunded to its backers pro rata (once)."""
    abandonment = (
        apps.get_model("products", "Abandonment")
        .objects.select_related("product")
        .get(pk=abandonment_id)
    )
    return refunds_start(product=abandonment.product, abandonment_id=abandonment_id)


def backer_refund_reconcile(*, key: str, provider_ref: str):
    """A provider says one of our refunds succeeded (a webhook): posted once; its ledger
    transaction, or None when ``key`` is not one of ours."""
    refund_id = refund_id_of(key)
    if refund_id is None or not BackerRefund.objects.filter(pk=refund_id).exists():
        return None
    return refund_settle(refund_id=refund_id, provider_ref=provider_ref)


def refunds_resume() -> int:
    """Queue again the refunds to an adapter that never reported (pending or sent, not manual)."""
    from .tasks import refund_send_task

    waiting = BackerRefund.objects.filter(
        status__in=[RefundStatus.PENDING, RefundStatus.SENT]
    ).exclude(provider="manual")
    ids = list(waiting.values_list("pk", flat=True))
    for refund_id in ids:
        refund_send_task.delay(refund_id)
    return len(ids)
