"""``POST /payments/stripe/webhook/``: Stripe's events, verified, each applied once.

The signature (``Stripe-Signature``, HMAC-SHA256 of ``t.payload`` with ``STRIPE_WEBHOOK_SECRET``)
is checked first: a bad or missing one is a 400 and nothing is stored. Each event id is stored
once; a replay answers 200 and changes nothing. Outcomes are the same ``Outcome``s the job and
the return pages hand to ``funding.services.payment_apply``, which writes each once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from funding.payments import Outcome
from funding.selectors import product_of
from funding.services import payment_apply
from payouts.models import TransactionKind
from payouts.services import money_returned

from . import selectors, stripe_adapter
from .models import MoneyBack, WebhookEvent

if TYPE_CHECKING:  # annotations only: funding's rows are read through selectors
    from funding.models import Payment

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return JsonResponse(
            {"error": {"status": 400, "code": "bad_signature", "message": "Bad signature.",
                       "fields": {}}},
            status=400,
        )  # fmt: skip
    event = event.to_dict()
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(event_id=event["id"], type=event["type"])
            apply(event)
    except IntegrityError:
        return JsonResponse({"received": True, "duplicate": True})
    return JsonResponse({"received": True})


def _payment(obj) -> Payment | None:
    metadata = obj.get("metadata") or {}
    if metadata.get("payment", "").isdigit():
        return selectors.payment_find(payment_id=int(metadata["payment"]))
    intent = obj.get("payment_intent") or (
        obj["id"] if obj.get("object") == "payment_intent" else ""
    )
    return selectors.payment_find(provider_ref=intent)


def apply(event) -> None:
    kind, obj = event["type"], event["data"]["object"]
    if kind == "payment_intent.succeeded":
        if payment := _payment(obj):
            payment_apply(payment=payment, outcome=Outcome.received(obj["id"]))
    elif kind == "payment_intent.payment_failed":
        if payment := _payment(obj):
            error = obj.get("last_payment_error") or {}
            outcome = stripe_adapter.declined(error.get("code"), error.get("decline_code"))
            stripe_adapter.apply_outcome(payment, outcome)
    elif kind == "checkout.session.completed":
        _checkout_completed(obj)
    elif kind == "charge.refunded":
        for refund in (obj.get("refunds") or {}).get("data", []):
            _money_back(obj, MoneyBack.Kind.REFUND, refund["id"], refund["amount"])
    elif kind == "charge.dispute.created":
        _money_back(obj, MoneyBack.Kind.CHARGEBACK, obj["id"], obj["amount"])
    else:
        log.info("stripe event %s ignored", kind)


def _checkout_completed(session) -> None:
    metadata = session.get("metadata") or {}
    if session.get("mode") == "setup" and metadata.get("pledge", "").isdigit():
        pledge = selectors.pledge_find(pledge_id=int(metadata["pledge"]))
        if pledge is not None:
            stripe_adapter.method_saved(pledge, session["id"])
    elif session.get("mode") == "payment" and (payment := _payment(session)):
        stripe_adapter.paid_by_checkout(payment, session["id"])


def _money_back(obj, kind: str, provider_ref: str, amount: int) -> None:
    """A refund or chargeback: a ledger transaction against the product's pool, once."""
    payment = _payment(obj)
    if payment is None or MoneyBack.objects.filter(provider_ref=provider_ref).exists():
        return
    product = product_of(idea_id=payment.pledge.idea_id)
    tx = money_returned(
        product=product,
        amount=amount,
        kind=TransactionKind.REFUND
        if kind == MoneyBack.Kind.REFUND
        else TransactionKind.CHARGEBACK,
        description=f"{kind} {provider_ref} of payment {payment.pk} (pledge {payment.pledge_id})",
    )
    MoneyBack.objects.create(
        payment=payment, kind=kind, amount=amount, provider_ref=provider_ref, transaction=tx
    )
