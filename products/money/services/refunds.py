"""Refunds after an abandonment: the product's available funds go back to its backers pro rata
to what each paid (largest remainder, so the parts add up exactly), each through the adapter
that collected the payment (Stripe: a refund, exactly once) or, for the manual adapter, paid by
finance and confirmed. Each refund is one ledger transaction, posted once, when the money has
gone; the backer is told by notification and e-mail in their language."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, ValidationFailed
from core.outages import enqueue_on_commit
from core.phrases import money, said
from core.rules import check
from funding.payments import payment_adapter
from notifications.services import notify
from payouts.allocation import largest_remainder

from ... import phrases
from ...money_models import BackerRefund, RefundStatus
from .. import rules, selectors
from . import ledger
from .expenses import _lock_funds

KEY_PREFIX = "ahhha-backer-refund-"


def refund_key(refund_id: int) -> str:
    """The refund's idempotency key at the provider (and its ``metadata.backer_refund``)."""
    return f"{KEY_PREFIX}{refund_id}"


def refund_id_of(key: str) -> int | None:
    rest = key.removeprefix(KEY_PREFIX) if key.startswith(KEY_PREFIX) else ""
    return int(rest) if rest.isdigit() and len(rest) < 12 else None


def pro_rata(available: int, paid: list[int]) -> list[int]:
    """``available`` split by what each paid: the largest remainder, exact to the unit."""
    total = sum(paid)
    if available <= 0 or total <= 0:
        return [0] * len(paid)
    return largest_remainder([available * p for p in paid], total, available)


@transaction.atomic
def refunds_start(*, product, abandonment_id: int) -> list[BackerRefund]:
    """Split the available funds between the product's backers and queue each refund, once
    per product (a second call returns the refunds already made)."""
    _lock_funds(product)  # no approval or second start runs meanwhile
    existing = list(selectors.product_refunds(product_id=product.pk))
    if existing:
        return existing
    available = selectors.available_funds(product_id=product.pk)
    payments = selectors.received_payments(product=product)
    amounts = pro_rata(available, [p.amount for p in payments])
    refunds = [
        BackerRefund.objects.create(
            product=product,
            abandonment_id=abandonment_id,
            payment=payment,
            member=payment.pledge.member,
            paid=payment.amount,
            amount=amount,
            currency=product.currency,
            provider=payment.provider,
        )
        for payment, amount in zip(payments, amounts, strict=True)
        if amount > 0
    ]
    from ...tasks import refund_send_task

    for refund in refunds:
        enqueue_on_commit(refund_send_task, refund.pk, what=f" refund {refund.pk}")
    return refunds


def refund_send(*, refund_id: int) -> str:
    """The job: hand one refund to its payment's adapter, then post it once the money has gone.
    Safe to run again at any point: the adapter refunds at most once per key, and the posting
    happens once (``refund_settle``)."""
    refund = BackerRefund.objects.select_related("payment", "product").get(pk=refund_id)
    if refund.status in (RefundStatus.REFUNDED, RefundStatus.FAILED):
        return refund.status
    first_run = BackerRefund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
        status=RefundStatus.SENT
    )
    outcome = payment_adapter(refund.provider).refund(
        payment=refund.payment, amount=refund.amount, key=refund_key(refund.pk)
    )
    if outcome.provider_ref:
        BackerRefund.objects.filter(pk=refund.pk, provider_ref="").update(
            provider_ref=outcome.provider_ref
        )
    if outcome.kind == "received":
        refund_settle(refund_id=refund.pk, provider_ref=outcome.provider_ref)
    elif outcome.kind == "failed":
        BackerRefund.objects.filter(pk=refund.pk, transaction__isnull=True).update(
            status=RefundStatus.FAILED, failure=outcome.failure_code
        )
    elif refund.provider == "manual" and first_run:
        _tell_manual(refund)
    return BackerRefund.objects.get(pk=refund.pk).status


def _tell_manual(refund: BackerRefund) -> None:
    """The manual adapter: the backer hears that finance will pay them back (once)."""
    notify(
        recipients=[refund.member],
        kind="backer_refund",
        message=said(phrases.REFUND_PROMISED_NOTICE, **_values(refund)),
        url=f"/products/{refund.product_id}/",
    )


def _values(refund: BackerRefund) -> dict:
    return {
        "title": refund.product.idea.title,
        "amount": money(refund.amount, refund.currency),
    }


@transaction.atomic
def refund_settle(*, refund_id: int, provider_ref: str = "", actor=None):
    """The money went back: post the refund out of the funds, once (the refund's row lock: the
    job, the webhook and finance confirming may all say so). Returns its ledger transaction."""
    refund = (
        BackerRefund.objects.select_for_update().select_related("product__idea").get(pk=refund_id)
    )
    if refund.transaction_id is not None:
        return refund.transaction
    tx = ledger.refund_post(
        product=refund.product,
        amount=refund.amount,
        description=f"refund {refund.pk} of payment {refund.payment_id} {provider_ref}".strip(),
        actor_id=getattr(actor, "pk", None),
    )
    refund.transaction = tx
    refund.status, refund.refunded_at = RefundStatus.REFUNDED, timezone.now()
    refund.provider_ref = refund.provider_ref or provider_ref[:255]
    refund.confirmed_by = actor
    refund.save(
        update_fields=["transaction", "status", "refunded_at", "provider_ref", "confirmed_by"]
    )
    notify(
        recipients=[refund.member],
        kind="backer_refund",
        message=said(phrases.REFUND_DONE_NOTICE, **_values(refund)),
        url=f"/products/{refund.product_id}/",
    )
    return tx


def refund_confirm(*, refund: BackerRefund, actor, reference: str):
    """Finance paid a manual refund (a bank transfer back) and records it with its reference."""
    check(rules.may_confirm_refund(member=actor))
    reference = (reference or "").strip()
    if not reference or len(reference) > 120 or "\x00" in reference:
        raise ValidationFailed.for_field(
            "reference", gettext("Enter the transfer's reference (at most 120 characters).")
        )
    if refund.status == RefundStatus.REFUNDED:
        raise Conflict(gettext("This refund is already confirmed."), code="already_confirmed")
    return refund_settle(refund_id=refund.pk, provider_ref=reference, actor=actor)
