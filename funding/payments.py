"""How pledges become money: the payment adapter interface (``PAYMENT_ADAPTER`` picks one).

All or nothing, as crowdfunding does it: nothing is charged while a round is open. The funding
app calls the adapter at four moments; an adapter never edits a pledge:

``pledge_saved(pledge)``
    A backer confirmed a pledge. Returns a URL to send them to (Stripe: Checkout in setup mode,
    to save a card for later) or None (manual: nothing to do yet).
``payment_request(pledge, due_at)``
    The round met its goal; inside the transaction that closes it. Creates the pledge's Payment
    (``pending``, due by ``due_at``) and arranges collection after commit (manual: the backer is
    told what to pay, to whom and by when; Stripe: a job charges the saved card off-session).
``round_failed(pledges)``
    The round ended below its goal: nothing is charged; saved payment methods are released.
``payment_confirm(payment, actor, reference)`` / ``payment_refuse(payment, actor, reason)``
    Finance records a receipt, or that the money never came (manual).

``manual`` (this module) ships for the embedded demo; ``stripe`` lives in ``payments.stripe``
and registers itself (``register``) because it needs the ledger for refunds and chargebacks.
Payments move ``pending`` → ``received``, or → ``failed`` (declined / needs the backer; they may
pay again until ``due_at``) → ``received`` or ``lapsed``; ``refused`` is finance's "never came".
See docs/payments.md.
"""

from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.errors import Conflict
from core.text import sentence
from notifications.services import notify

from .models import Payment, PaymentStatus, Pledge


class PaymentAdapter(Protocol):
    name: str

    def pledge_saved(self, *, pledge: Pledge) -> str | None: ...

    def payment_request(self, *, pledge: Pledge, due_at: datetime) -> Payment: ...

    def round_failed(self, *, pledges: list[Pledge]) -> None: ...

    def payment_confirm(self, *, payment: Payment, actor, reference: str) -> Payment: ...

    def payment_refuse(self, *, payment: Payment, actor, reason: str) -> Payment: ...


def payment_code(pledge_id: int) -> str:
    """The reference a backer writes on a transfer, so finance can match it."""
    return f"AHHHA-P{pledge_id}"


def _settle_outcome(payment: Payment, *, to: str, actor, reference: str, from_: tuple) -> Payment:
    # Conditional UPDATE: two finance members acting at once record one outcome.
    won = Payment.objects.filter(pk=payment.pk, status__in=from_).update(
        status=to, reference=reference, confirmed_by=actor, confirmed_at=timezone.now()
    )
    if not won:
        raise Conflict(gettext("This payment was already confirmed."), code="already_confirmed")
    payment.refresh_from_db()
    return payment


class ManualPaymentAdapter:
    """The backer pays by bank transfer to the platform's account; finance confirms receipt."""

    name = "manual"

    def pledge_saved(self, *, pledge: Pledge) -> str | None:
        return None

    def payment_request(self, *, pledge: Pledge, due_at: datetime) -> Payment:
        payment, created = Payment.objects.get_or_create(
            pledge=pledge,
            defaults={
                "provider": self.name,
                "amount": pledge.amount,
                "currency": pledge.currency,
                "due_at": due_at,
            },
        )
        if created:
            transaction.on_commit(lambda: tell_what_to_pay(payment))
        return payment

    def round_failed(self, *, pledges: list[Pledge]) -> None:
        return None

    def payment_confirm(self, *, payment: Payment, actor, reference: str) -> Payment:
        return _settle_outcome(
            payment,
            to=PaymentStatus.RECEIVED,
            actor=actor,
            reference=reference,
            from_=(PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.LAPSED),
        )

    def payment_refuse(self, *, payment: Payment, actor, reason: str) -> Payment:
        return _settle_outcome(
            payment,
            to=PaymentStatus.REFUSED,
            actor=actor,
            reference=reason,
            from_=(PaymentStatus.PENDING, PaymentStatus.FAILED),
        )


def tell_what_to_pay(payment: Payment) -> None:
    """The backer hears what to pay, to whom, with which reference and by when."""
    from core.money import format_money

    pledge = payment.pledge
    notify(
        recipients=[pledge.member],
        kind="payment_due",
        message=sentence(
            gettext_lazy(
                "“%(title)s” is funded: please transfer %(amount)s to %(payee)s (%(account)s) "
                "with the reference %(code)s by %(due)s."
            ),
            title=pledge.idea.title,
            amount=format_money(payment.amount, payment.currency, locale="en"),
            payee=settings.PAYMENT_PAYEE_NAME,
            account=settings.PAYMENT_PAYEE_ACCOUNT,
            code=payment_code(pledge.pk),
            due=f"{payment.due_at:%Y-%m-%d}",
        ),
        url=pledge.idea.get_absolute_url() + "#funding-area",
    )


ADAPTERS: dict[str, type] = {"manual": ManualPaymentAdapter}


def register(name: str, adapter: type) -> None:
    ADAPTERS[name] = adapter


def payment_adapter(name: str | None = None) -> PaymentAdapter:
    return ADAPTERS[name or getattr(settings, "PAYMENT_ADAPTER", "manual")]()
