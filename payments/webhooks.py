"""``POST /payments/stripe/webhook/``: Stripe's events, verified, each applied once.

The signature (``Stripe-Signature``, HMAC-SHA256 of ``t.payload`` with ``STRIPE_WEBHOOK_SECRET``)
is checked first: a bad or missing one is a 400 and nothing is stored. A validly signed event
that is not an event (no id, type or object) or cannot be applied as it is (a refund that is
negative, in another currency or more than its payment has left) is a 400 too and nothing is
stored. Each event id is stored once; a replay answers 200 and changes nothing. Outcomes are
the same ``Outcome``s the job and the return pages hand to ``funding.services.payment_apply``,
which writes each once. Refunds, chargebacks and disputes: ``payments.money_back``.
"""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import outages
from core.errors import ApplicationError
from funding.payments import Outcome
from funding.services import payment_apply

from . import money_back, selectors, stripe_adapter
from .models import WebhookEvent

log = logging.getLogger(__name__)

TOLERANCE_SECONDS = 300


def _error(status: int, code: str, message: str) -> JsonResponse:
    body = {"error": {"status": status, "code": code, "message": message, "fields": {}}}
    return JsonResponse(body, status=status)


def _verified(request) -> dict | None:
    """The event if the signature holds and the body is JSON, else None."""
    try:
        payload = request.body.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            payload,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            TOLERANCE_SECONDS,
        )
        return {"event": json.loads(payload)}
    except (ValueError, stripe.SignatureVerificationError):
        return None


def _well_formed(event) -> dict:
    """An event as Stripe sends one: an id, a type and ``data.object``, else MalformedEvent."""
    data = event.get("data") if isinstance(event, dict) else None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("object"), dict)
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and event["id"]
    ):
        raise money_back.MalformedEvent("malformed_event", "Not a Stripe event.")
    return event


@csrf_exempt
@require_POST
def stripe_webhook(request):
    verified = _verified(request)
    if verified is None:
        return _error(400, "bad_signature", "Bad signature.")
    try:
        event = _well_formed(verified["event"])
        with transaction.atomic():
            try:
                with transaction.atomic():
                    WebhookEvent.objects.create(
                        event_id=event["id"][:255], type=event["type"][:100]
                    )
            except IntegrityError:
                return JsonResponse({"received": True, "duplicate": True})
            apply(event)
    except money_back.MalformedEvent as exc:
        return _error(400, exc.code, exc.message)
    except ApplicationError as exc:
        return _error(exc.status_code, exc.code, str(exc.message))
    except stripe.APIConnectionError:
        response = JsonResponse(outages.error_body(), status=503)
        response["Retry-After"] = outages.retry_after()
        return response
    return JsonResponse({"received": True})


def apply(event) -> None:
    kind, obj = event["type"], event["data"]["object"]
    if kind == "payment_intent.succeeded":
        if payment := money_back.payment_of(obj):
            payment_apply(payment=payment, outcome=Outcome.received(money_back.text(obj, "id")))
    elif kind == "payment_intent.payment_failed":
        if payment := money_back.payment_of(obj):
            error = obj.get("last_payment_error")
            error = error if isinstance(error, dict) else {}
            outcome = stripe_adapter.declined(error.get("code"), error.get("decline_code"))
            stripe_adapter.apply_outcome(payment, outcome)
    elif kind == "checkout.session.completed":
        _checkout_completed(obj)
    elif kind in (*money_back.REFUND_EVENTS, "charge.refunded", *money_back.DISPUTE_EVENTS):
        money_back.apply(kind, obj)
    else:
        log.info("stripe event %s ignored", kind)


def _checkout_completed(session) -> None:
    metadata = session.get("metadata")
    pledge_id = str(metadata.get("pledge", "")) if isinstance(metadata, dict) else ""
    if session.get("mode") == "setup" and pledge_id.isdigit() and len(pledge_id) < 12:
        pledge = selectors.pledge_find(pledge_id=int(pledge_id))
        if pledge is not None:
            stripe_adapter.method_saved(pledge, money_back.text(session, "id"))
    elif session.get("mode") == "payment" and (payment := money_back.payment_of(session)):
        stripe_adapter.paid_by_checkout(payment, money_back.text(session, "id"))
