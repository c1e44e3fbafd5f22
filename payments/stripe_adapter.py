"""The Stripe adapter (``PAYMENT_ADAPTER=stripe``), all or nothing:

1. Pledging saves a card, charges nothing: Stripe Checkout in *setup* mode, back to the idea
   (``checkout_for_setup`` → ``method_saved``).
2. A funded round charges each pledge off-session (``charge``): the PaymentIntent is created
   first (with an idempotency key derived from the payment) and its id saved, then confirmed; a
   job killed between charging and recording finds the saved intent already ``succeeded`` on
   its next run and records it, so a pledge is never charged twice.
3. A failed round charges nothing and detaches the saved cards (``release``).
4. A declined charge or one that needs the backer (3-D Secure) is an ``Outcome`` (a failure
   code, Stripe's decline code as its parameter) that funding applies: the payment is ``failed``
   and the backer is told, with a link to pay again (Checkout in *payment* mode) within
   ``PAYMENT_GRACE_DAYS``; after that it lapses (``funding.services.payments_lapse_overdue``).
5. Webhooks (``payments.webhooks``) confirm the same outcomes and bring refunds and chargebacks.

Keys come from the environment only (``STRIPE_SECRET_KEY``); ``STRIPE_API_VERSION`` pins the API
version every request carries (the pinned SDK's own); ``STRIPE_API_BASE`` points the SDK
elsewhere (tests: localstripe on loopback). Checkout offers Stripe's dynamic payment methods
(no ``payment_method_types``: the pinned version no longer accepts it); paying a CNY pledge
again offers Alipay and WeChat Pay too (``payment_methods_for``). Every request made here is
checked against the SDK's typed parameters (tests/payments/test_stripe_requests.py).
See docs/payments.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict
from funding.models import PaymentFailure, PaymentStatus
from funding.payments import BasePaymentAdapter, Outcome
from funding.services import payment_apply, payment_provider_ref_set

from . import selectors
from .models import SavedMethod, StripeCustomer

if TYPE_CHECKING:  # annotations only: funding's rows are read through payments.selectors
    from funding.models import Payment, Pledge


def sdk():
    """The SDK, configured from settings (read each time: tests change them)."""
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_version = settings.STRIPE_API_VERSION
    stripe.api_base = settings.STRIPE_API_BASE or "https://api.stripe.com"
    stripe.max_network_retries = 2
    return stripe


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def customer_for(member) -> str:
    found = StripeCustomer.objects.filter(member=member).first()
    if found:
        return found.customer_id
    customer = sdk().Customer.create(
        email=member.email,
        metadata={"member": str(member.pk)},
        idempotency_key=f"member-{member.pk}",
    )
    saved, _ = StripeCustomer.objects.get_or_create(
        member=member, defaults={"customer_id": customer.id}
    )
    return saved.customer_id


# --- 1. Saving a card at pledge time ------------------------------------------------------------


def checkout_for_setup(pledge: Pledge) -> str:
    """A Checkout session (setup mode) for the pledge's card; returns where to send the backer."""
    session = sdk().checkout.Session.create(
        mode="setup",
        customer=customer_for(pledge.member),
        # Dynamic payment methods: in setup mode without allowed_payment_method_types the
        # pinned API version requires the currency.
        currency=pledge.currency.lower(),
        success_url=_absolute(reverse("payments:method_saved", args=[pledge.pk]))
        + "?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=_absolute(pledge.idea.get_absolute_url() + "#funding-area"),
        metadata={"pledge": str(pledge.pk)},
    )
    SavedMethod.objects.update_or_create(
        pledge=pledge, defaults={"checkout_session_id": session.id}
    )
    return session.url


def method_saved(pledge: Pledge, session_id: str) -> SavedMethod:
    """Back from Checkout: remember the card the backer saved (nothing is charged)."""
    if not session_id.startswith("cs_"):
        raise Conflict(gettext("This card was saved for another pledge."), code="wrong_session")
    api = sdk()
    session = api.checkout.Session.retrieve(session_id).to_dict()
    if session["metadata"].get("pledge") != str(pledge.pk) or not session.get("setup_intent"):
        raise Conflict(gettext("This card was saved for another pledge."), code="wrong_session")
    intent = api.SetupIntent.retrieve(session["setup_intent"])
    if intent.status != "succeeded":
        raise Conflict(gettext("The card was not saved: try again."), code="not_saved")
    saved, _ = SavedMethod.objects.update_or_create(
        pledge=pledge,
        defaults={
            "checkout_session_id": session_id,
            "payment_method_id": intent.payment_method,
            "saved_at": timezone.now(),
        },
    )
    return saved


# --- 2. Charging a funded round -----------------------------------------------------------------


def idempotency_key(payment: Payment) -> str:
    return f"ahhha-payment-{payment.pk}-intent"


def charge(payment_id: int) -> str:
    """Charge one payment off-session, exactly once. Safe to run again at any point. Returns
    the payment's status after funding applied the outcome."""
    payment = selectors.payment_find(payment_id=payment_id)
    if payment is None:
        return ""
    if payment.status != PaymentStatus.PENDING:
        return payment.status
    api = sdk()
    if not payment.provider_ref:
        saved = SavedMethod.objects.filter(pledge=payment.pledge).exclude(payment_method_id="")
        method = saved.first()
        if method is None:
            return apply_outcome(payment, Outcome.failed(PaymentFailure.NO_SAVED_CARD))
        intent = api.PaymentIntent.create(
            amount=payment.amount,
            currency=payment.currency.lower(),
            customer=customer_for(payment.pledge.member),
            payment_method=method.payment_method_id,
            confirm=False,  # confirmed below, off-session, once its id is saved
            metadata={"payment": str(payment.pk), "pledge": str(payment.pledge_id)},
            idempotency_key=idempotency_key(payment),
        )
        # Saved before any money moves: a re-run confirms or reads this intent, never a second.
        payment = payment_provider_ref_set(payment=payment, provider_ref=intent.id)
    intent = api.PaymentIntent.retrieve(payment.provider_ref)
    if intent.status in ("requires_confirmation", "requires_payment_method") and not getattr(
        intent, "last_payment_error", None
    ):
        try:
            intent = api.PaymentIntent.confirm(payment.provider_ref, off_session=True)
        except stripe.CardError as error:
            outcome = declined(error.code, getattr(error, "decline_code", None))
            return apply_outcome(payment, outcome)
    return record(payment, intent)


def declined(code: str | None, decline_code: str | None = None) -> Outcome:
    """A decline as a code: Stripe's decline code (``insufficient_funds``…) as its parameter,
    never its sentence."""
    detail = decline_code or code
    return Outcome.failed(PaymentFailure.DECLINED, **({"decline_code": detail} if detail else {}))


def outcome_of(intent) -> Outcome:
    """What a PaymentIntent says: received, still processing, or failed (and why)."""
    if intent.status == "succeeded":
        return Outcome.received(intent.id)
    if intent.status == "processing":
        return Outcome.pending()
    if intent.status == "requires_action":
        return Outcome.failed(PaymentFailure.NEEDS_ACTION)
    error = getattr(intent, "last_payment_error", None)
    return declined(_field(error, "code"), _field(error, "decline_code"))


def _field(obj, name: str):
    """A field of a Stripe object or of the plain dict a webhook brings (None when absent)."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None) if obj is not None else None


def apply_outcome(payment: Payment, outcome: Outcome) -> str:
    """Hand an outcome to funding, which writes it once; the payment's status after."""
    payment_apply(
        payment=payment, outcome=outcome, retry_url=reverse("payments:pay", args=[payment.pk])
    )
    return selectors.payment_status(payment_id=payment.pk)


def record(payment: Payment, intent) -> str:
    """What the intent says, handed to funding to write once."""
    return apply_outcome(payment, outcome_of(intent))


# What Checkout offers besides Stripe's dynamic choice, per currency: yuan may be paid with
# Alipay and WeChat Pay (Checkout still shows only those Stripe finds eligible for the account
# and the backer; WeChat Pay in Checkout needs its client named).
WALLETS_BY_CURRENCY = {"CNY": ["card", "alipay", "wechat_pay"]}


def payment_methods_for(currency: str) -> dict:
    """Checkout's payment-method parameters for paying ``currency`` (empty: dynamic methods)."""
    allowed = WALLETS_BY_CURRENCY.get(currency.upper())
    if not allowed:
        return {}
    options = {"wechat_pay": {"client": "web"}} if "wechat_pay" in allowed else {}
    return {"allowed_payment_method_types": allowed, "payment_method_options": options}


def checkout_to_pay(payment: Payment) -> str:
    """Paying again after a failure: Checkout in payment mode for the pledge's amount (for a
    CNY pledge, Alipay and WeChat Pay too)."""
    session = sdk().checkout.Session.create(
        mode="payment",
        **payment_methods_for(payment.currency),
        customer=customer_for(payment.pledge.member),
        line_items=[
            {
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency.lower(),
                    "unit_amount": payment.amount,
                    "product_data": {"name": payment.pledge.idea.title[:100]},
                },
            }
        ],
        success_url=_absolute(reverse("payments:paid", args=[payment.pk]))
        + "?session_id={CHECKOUT_SESSION_ID}",
        cancel_url=_absolute(payment.pledge.idea.get_absolute_url() + "#funding-area"),
        metadata={"payment": str(payment.pk)},
    )
    return session.url


def paid_by_checkout(payment: Payment, session_id: str) -> bool:
    if not session_id.startswith("cs_"):
        return False
    api = sdk()
    session = api.checkout.Session.retrieve(session_id).to_dict()
    if session["metadata"].get("payment") != str(payment.pk) or not session.get("payment_intent"):
        return False
    intent = api.PaymentIntent.retrieve(session["payment_intent"])
    return intent.status == "succeeded" and payment_apply(
        payment=payment, outcome=Outcome.received(intent.id)
    )


def refunds_of_charge(charge_id: str) -> list[dict]:
    """Every refund of a charge, asked of Stripe: since API version 2022-11-15 the
    ``charge.refunded`` event no longer carries them."""
    listed = sdk().Refund.list(charge=charge_id, limit=100)
    return [refund.to_dict() for refund in listed.auto_paging_iter()]


def refund(payment: Payment, amount: int, key: str) -> Outcome:
    """Give ``amount`` of a received payment back (an abandoned product), exactly once per
    ``key``: the idempotency key is ``key``, and a run killed after Stripe made the refund finds
    it on the next run among the PaymentIntent's refunds (``metadata.backer_refund``) instead
    of making a second. ``received``: refunded; ``pending``: Stripe is still processing it (the
    webhook reconciles it, ``payments.money_back``); ``failed``."""
    api = sdk()
    made = next(
        (
            r
            for r in api.Refund.list(
                payment_intent=payment.provider_ref, limit=100
            ).auto_paging_iter()
            if (r.to_dict().get("metadata") or {}).get("backer_refund") == key
        ),
        None,
    )
    if made is None:
        made = api.Refund.create(
            payment_intent=payment.provider_ref,
            amount=amount,
            metadata={"backer_refund": key, "payment": str(payment.pk)},
            idempotency_key=key,
        )
    if made.status == "succeeded":
        return Outcome.received(made.id)
    if made.status in ("failed", "canceled"):
        return Outcome.failed(PaymentFailure.DECLINED, refund=made.id)
    return Outcome(PaymentStatus.PENDING, provider_ref=made.id)


# --- 3. A failed round --------------------------------------------------------------------------


def release(pledge_ids: list[int]) -> int:
    """Detach the cards saved for pledges of a failed round (nothing was charged)."""
    api = sdk()
    released = 0
    for saved in SavedMethod.objects.filter(pledge_id__in=pledge_ids, released_at__isnull=True):
        if saved.payment_method_id:
            try:
                api.PaymentMethod.detach(saved.payment_method_id)
            except stripe.InvalidRequestError:
                pass  # already detached
        SavedMethod.objects.filter(pk=saved.pk).update(released_at=timezone.now())
        released += 1
    return released


class StripePaymentAdapter(BasePaymentAdapter):
    """Cards saved at pledge time, charged off-session by a job once the round is funded;
    finance may still confirm or refuse by hand (funding.services)."""

    name = "stripe"

    def pledge_saved(self, *, pledge: Pledge) -> str | None:
        return reverse("payments:save_method", args=[pledge.pk])

    def collect(self, payment: Payment) -> None:
        from .tasks import charge_payment_task

        charge_payment_task.delay(payment.pk)

    def round_failed(self, *, pledges: list[Pledge]) -> None:
        from .tasks import release_methods_task

        ids = [p.pk for p in pledges]
        transaction.on_commit(lambda: release_methods_task.delay(ids))

    def refund(self, *, payment: Payment, amount: int, key: str) -> Outcome:
        return refund(payment, amount, key)
