"""How pledges become money: the payment adapter interface (``PAYMENT_ADAPTER`` picks one).

All or nothing, as crowdfunding does it: nothing is charged while a round is open. An adapter
talks to a provider and *says what happened*; it never writes a Payment. ``funding`` writes:
``funding.services.payment_open`` creates a funded pledge's Payment and
``funding.services.payment_apply`` applies an adapter's ``Outcome`` to it (a conditional
UPDATE, the backer told). The funding app calls the adapter at three moments:

``pledge_saved(pledge)``
    A backer confirmed a pledge. Returns a URL to send them to (Stripe: Checkout in setup mode,
    to save a card for later) or None (manual: nothing to do yet).
``payment_request(pledge, due_at)``
    The round met its goal; inside the transaction that closes it. Opens the pledge's Payment
    (``pending``, due by ``due_at``, through ``payment_open``) and arranges collection after
    commit (manual: the backer is told what to pay, to whom and by when; Stripe: a job charges
    the saved card off-session and hands back its ``Outcome``).
``round_failed(pledges)``
    The round ended below its goal: nothing is charged; saved payment methods are released.
``refund(payment, amount, key)``
    Give ``amount`` of a received payment back to its backer (a product abandoned:
    ``products.refunds``), at most once per ``key``. Returns an ``Outcome``: ``received`` (the
    money went back; ``provider_ref`` the provider's refund id), ``pending`` (manual: finance
    pays it and confirms; Stripe: the refund is processing, its webhook says when it is done)
    or ``failed``. The caller posts the ledger transaction, once.

Finance's receipts and refusals (the manual way, open to every provider) are
``funding.services.payment_confirm`` / ``payment_refuse``. ``manual`` (this module) ships for
the embedded demo; ``stripe`` lives in ``payments.stripe_adapter`` and registers itself
(``register``). Payments move ``pending`` → ``received``, or → ``failed`` (declined / needs the
backer; they may pay again until ``due_at``) → ``received`` or ``lapsed``; ``refused`` is
finance's "never came". See docs/payments.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.db import transaction

from core.phrases import day, money, said
from notifications.services import notify

from . import phrases
from .models import Payment, PaymentFailure, PaymentStatus, Pledge


@dataclass(frozen=True)
class Outcome:
    """What a provider says happened to a payment: ``received`` (with the provider's reference),
    ``failed`` (a ``PaymentFailure`` code and params, e.g. the provider's decline code) or
    ``pending`` (nothing to write yet). ``funding.services.payment_apply`` writes it."""

    kind: str
    provider_ref: str = ""
    failure_code: str = ""
    failure_params: dict = field(default_factory=dict)

    @classmethod
    def received(cls, provider_ref: str) -> "Outcome":
        return cls(PaymentStatus.RECEIVED, provider_ref=provider_ref)

    @classmethod
    def failed(cls, code: str = PaymentFailure.DECLINED, **params) -> "Outcome":
        return cls(PaymentStatus.FAILED, failure_code=code, failure_params=params)

    @classmethod
    def pending(cls) -> "Outcome":
        return cls(PaymentStatus.PENDING)


class PaymentAdapter(Protocol):
    name: str

    def pledge_saved(self, *, pledge: Pledge) -> str | None: ...

    def payment_request(self, *, pledge: Pledge, due_at: datetime) -> Payment: ...

    def round_failed(self, *, pledges: list[Pledge]) -> None: ...

    def refund(self, *, payment: Payment, amount: int, key: str) -> Outcome: ...


def payment_code(pledge_id: int) -> str:
    """The reference a backer writes on a transfer, so finance can match it."""
    return f"AHHHA-P{pledge_id}"


class BasePaymentAdapter:
    """What every adapter shares: the Payment is opened by funding, and what to do once it is
    (``collect``, after commit) is the adapter's own. Subclasses set ``name`` and ``collect``."""

    name = ""

    def collect(self, payment: Payment) -> None:
        raise NotImplementedError

    def pledge_saved(self, *, pledge: Pledge) -> str | None:
        return None

    def payment_request(self, *, pledge: Pledge, due_at: datetime) -> Payment:
        from .services.payments import payment_open

        payment, created = payment_open(pledge=pledge, provider=self.name, due_at=due_at)
        if created:
            collect: Callable[[Payment], None] = self.collect
            transaction.on_commit(lambda: collect(payment))
        return payment

    def round_failed(self, *, pledges: list[Pledge]) -> None:
        return None

    def refund(self, *, payment: Payment, amount: int, key: str) -> Outcome:
        """By hand: finance pays the backer back and confirms (``products.refunds``)."""
        return Outcome.pending()


class ManualPaymentAdapter(BasePaymentAdapter):
    """The backer pays to the platform's account for the pledge's currency (a bank transfer,
    Alipay, WeChat Pay: ``funding.payees``); finance confirms receipt."""

    name = "manual"

    def collect(self, payment: Payment) -> None:
        tell_what_to_pay(payment)


def tell_what_to_pay(payment: Payment) -> None:
    """The backer hears what to pay, with which reference, by when, and where: only the
    accounts of the pledge's currency (``funding.payees``); with none for it, that finance will
    contact them. Rendered in the backer's language from the msgid and its values."""
    from .payees import payee_accounts, ways_to_pay

    pledge = payment.pledge
    values = {
        "title": pledge.idea.title,
        "amount": money(payment.amount, payment.currency),
        "code": payment_code(pledge.pk),
        "due": day(payment.due_at.date()),
    }
    accounts = payee_accounts(payment.currency)
    if accounts:
        message = said(
            phrases.PAYMENT_DUE_NOTICE,
            ways=ways_to_pay(accounts),
            **values,
        )
    else:
        message = said(
            phrases.PAYMENT_DUE_WAIT_NOTICE,
            currency=payment.currency,
            **values,
        )
    notify(
        recipients=[pledge.member],
        kind="payment_due",
        message=message,
        url=pledge.idea.get_absolute_url() + "#funding-area",
    )


ADAPTERS: dict[str, type] = {"manual": ManualPaymentAdapter}


def register(name: str, adapter: type) -> None:
    ADAPTERS[name] = adapter


def payment_adapter(name: str | None = None) -> PaymentAdapter:
    return ADAPTERS[name or getattr(settings, "PAYMENT_ADAPTER", "manual")]()
