"""Refunds, chargebacks and won disputes from Stripe's events, as they are shaped today.

* **Refunds** come as Refund objects (``refund.created``, ``refund.updated``,
  ``charge.refund.updated``: ``id``, ``amount``, ``currency``, ``status``, ``charge``,
  ``payment_intent``). One is posted when its status is ``succeeded``, once per refund id; a
  refund that later fails or is cancelled is reversed. ``charge.refunded`` has carried no
  ``refunds`` list since API version 2022-11-15: its refunds are asked of Stripe
  (``stripe_adapter.refunds_of_charge``), each posted once like the others.
* **Chargebacks**: ``charge.dispute.created`` (an inquiry, ``warning_*``, withdraws nothing and
  is not posted) and ``charge.dispute.closed`` lost post the chargeback once.
  ``charge.dispute.closed`` won (and ``charge.dispute.funds_reinstated`` of a won dispute)
  reverses it: one compensating ledger transaction, at most once.

Each amount is checked against its payment: a positive integer in the payment's currency, not
more than the payment brought in minus what was already given back. A malformed one raises
``MalformedEvent`` (the webhook answers 400 and records nothing).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from funding.selectors import product_of
from payouts.models import TransactionKind
from payouts.services import money_return_reversed, money_returned
from products.refunds import backer_refund_reconcile

from . import selectors, stripe_adapter
from .models import MoneyBack

if TYPE_CHECKING:  # annotations only: funding's rows are read through selectors
    from funding.models import Payment

log = logging.getLogger(__name__)

REFUND_EVENTS = ("refund.created", "refund.updated", "charge.refund.updated")
DISPUTE_EVENTS = (
    "charge.dispute.created",
    "charge.dispute.closed",
    "charge.dispute.funds_reinstated",
)


class MalformedEvent(Exception):
    """A validly signed event that cannot be applied as it is (the webhook answers 400)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def text(obj: dict, name: str, *, required: bool = True) -> str:
    value = obj.get(name)
    if isinstance(value, dict):  # an expanded object: its id
        value = value.get("id")
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value:
        raise MalformedEvent("malformed_event", f"The event's object has no valid {name!r}.")
    return value


def amount(obj: dict) -> int:
    value = obj.get("amount")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise MalformedEvent("bad_amount", "The amount is not a positive integer.")
    return value


def payment_of(obj: dict) -> Payment | None:
    """Our payment: by ``metadata.payment``, else by the PaymentIntent (its id or the one the
    object names)."""
    metadata = obj.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise MalformedEvent("malformed_event", "The event's metadata is not an object.")
    if str(metadata.get("payment", "")).isdigit() and len(str(metadata["payment"])) < 12:
        return selectors.payment_find(payment_id=int(metadata["payment"]))
    if obj.get("object") == "payment_intent":
        return selectors.payment_find(provider_ref=text(obj, "id"))
    return selectors.payment_find(provider_ref=text(obj, "payment_intent", required=False))


def apply(kind: str, obj: dict) -> None:
    if kind in REFUND_EVENTS:
        refund_seen(obj)
    elif kind == "charge.refunded":
        charge_refunded(obj)
    elif kind == "charge.dispute.created":
        if not text(obj, "status").startswith("warning_"):
            give_back(obj, MoneyBack.Kind.CHARGEBACK)
    elif kind in ("charge.dispute.closed", "charge.dispute.funds_reinstated"):
        dispute_closed(obj)


def refund_seen(refund: dict) -> None:
    status = text(refund, "status")
    if status == "succeeded":
        give_back(refund, MoneyBack.Kind.REFUND)
    elif status in ("failed", "canceled"):
        came_back(text(refund, "id"), f"refund {refund['id']} {status}")


def charge_refunded(charge: dict) -> None:
    """The charge's refunds: the list it carries (API versions before 2022-11-15), else the
    ones Stripe lists for it now. Each carries the charge's PaymentIntent."""
    listed = (charge.get("refunds") or {}).get("data")
    refunds = (
        listed if isinstance(listed, list) else stripe_adapter.refunds_of_charge(text(charge, "id"))
    )
    for refund in refunds:
        if not isinstance(refund, dict):
            raise MalformedEvent("malformed_event", "A refund is not an object.")
        refund = {"payment_intent": charge.get("payment_intent"), **refund}
        refund.setdefault("currency", charge.get("currency"))
        refund.setdefault("status", "succeeded")  # listed on a charge.refunded of old
        refund_seen({**refund, "metadata": charge.get("metadata") or {}})


def dispute_closed(dispute: dict) -> None:
    status = text(dispute, "status")
    if status == "won":
        came_back(text(dispute, "id"), f"dispute {dispute['id']} won")
    elif status == "lost":
        give_back(dispute, MoneyBack.Kind.CHARGEBACK)


def give_back(obj: dict, kind: str) -> None:
    """A refund or chargeback: a ledger transaction out of the product's funds, once per
    provider id, after checking it against the payment."""
    provider_ref, value = text(obj, "id"), amount(obj)
    payment = payment_of(obj)
    if payment is None:
        log.info("stripe %s %s: no payment of ours", kind, provider_ref)
        return
    currency = text(obj, "currency", required=False)
    if currency and currency.upper() != payment.currency:
        raise MalformedEvent("wrong_currency", "The currency is not the payment's.")
    paid = selectors.payment_paid_locked(payment_id=payment.pk)
    if selectors.money_back_find(provider_ref=provider_ref) is not None:
        return
    ours = ((obj.get("metadata") or {}).get("backer_refund")) or ""
    if kind == MoneyBack.Kind.REFUND and isinstance(ours, str) and ours:
        # A refund we made after an abandonment (products.refunds): posted once, by the job or
        # by this event, whichever comes first; remembered here so a failure reverses it.
        tx = backer_refund_reconcile(key=ours, provider_ref=provider_ref)
        if tx is not None:
            MoneyBack.objects.create(
                payment=payment, kind=kind, amount=value, provider_ref=provider_ref, transaction=tx
            )
            return
    if value > paid - selectors.money_back_total(payment_id=payment.pk):
        raise MalformedEvent("exceeds_payment", "More than the payment has left to give back.")
    tx = money_returned(
        product=product_of(idea_id=payment.pledge.idea_id),
        amount=value,
        kind=TransactionKind.REFUND
        if kind == MoneyBack.Kind.REFUND
        else TransactionKind.CHARGEBACK,
        description=f"{kind} {provider_ref} of payment {payment.pk} (pledge {payment.pledge_id})",
    )
    MoneyBack.objects.create(
        payment=payment, kind=kind, amount=value, provider_ref=provider_ref, transaction=tx
    )


def came_back(provider_ref: str, why: str) -> None:
    """Money given back that returned (a dispute won, a refund failed): its ledger transaction
    reversed, once. Nothing was posted for it: nothing to reverse."""
    back = selectors.money_back_find(provider_ref=provider_ref)
    if back is None:
        log.info("stripe %s: nothing posted to reverse", why)
        return
    money_return_reversed(
        transaction=back.transaction, description=f"{why}: reversal of #{back.transaction_id}"
    )
