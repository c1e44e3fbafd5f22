"""Payments of funded pledges, written here only: opening one when a round is funded, applying
what a payment adapter says happened (``Outcome``), finance confirming or refusing receipts,
and payments not made by their due date lapsing. Adapters (``funding.payments``,
``payments.stripe_adapter``) never write a Payment themselves."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, ValidationFailed
from core.phrases import day, label, said
from core.rules import check
from notifications.services import notify

from .. import phrases, rules
from ..hooks import payment_received, pledge_unpaid
from ..models import Payment, PaymentFailure, PaymentStatus, Pledge
from ..payments import Outcome

MAX_REFERENCE = 120
OWED = (PaymentStatus.PENDING, PaymentStatus.FAILED)


def _clean(text: str, field: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed.for_field(field, missing)
    if len(text) > MAX_REFERENCE or "\x00" in text:
        raise ValidationFailed.for_field(
            field,
            gettext("Shorten the reference to %(MAX_REFERENCE)s characters or fewer.")
            % {"MAX_REFERENCE": MAX_REFERENCE},
        )
    return text


def payment_open(*, pledge: Pledge, provider: str, due_at: datetime) -> tuple[Payment, bool]:
    """The Payment a collected pledge owes (``pending``, due by ``due_at``), once per pledge;
    (payment, created). Called by an adapter's ``payment_request`` inside the closing
    transaction."""
    return Payment.objects.get_or_create(
        pledge=pledge,
        defaults={
            "provider": provider,
            "amount": pledge.amount,
            "currency": pledge.currency,
            "due_at": due_at,
        },
    )


def payment_provider_ref_set(*, payment: Payment, provider_ref: str) -> Payment:
    """Remember the provider's id for a payment (a Stripe PaymentIntent) before any money moves,
    once: a re-run reads the saved id and never makes a second one."""
    Payment.objects.filter(pk=payment.pk, provider_ref="").update(provider_ref=provider_ref)
    payment.refresh_from_db()
    return payment


def payment_apply(*, payment: Payment, outcome: Outcome, retry_url: str = "") -> bool:
    """Write what the adapter says happened, once (a conditional UPDATE: the job, the webhook
    and the return page may all report the same outcome). ``received`` settles an owed payment;
    ``failed`` gives the backer ``PAYMENT_GRACE_DAYS`` to pay again (``retry_url``) and tells
    them why; ``pending`` writes nothing. True when this call changed the payment."""
    if outcome.kind == PaymentStatus.RECEIVED:
        with transaction.atomic():
            won = Payment.objects.filter(pk=payment.pk, status__in=OWED).update(
                status=PaymentStatus.RECEIVED,
                reference=outcome.provider_ref[:MAX_REFERENCE],
                confirmed_at=timezone.now(),
            )
            if won:  # the money is the product's funds (the ledger), once
                payment_received(payment=Payment.objects.get(pk=payment.pk))
        return bool(won)
    if outcome.kind == PaymentStatus.FAILED:
        return _payment_failed(payment, outcome, retry_url)
    return False


def _payment_failed(payment: Payment, outcome: Outcome, retry_url: str) -> bool:
    due_at = timezone.now() + timedelta(days=settings.PAYMENT_GRACE_DAYS)
    code = outcome.failure_code or PaymentFailure.DECLINED
    with transaction.atomic():
        won = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.FAILED,
            failure=code,
            failure_params=outcome.failure_params,
            due_at=due_at,
        )
        if won:
            pledge = payment.pledge
            notify(
                recipients=[pledge.member],
                kind="payment_failed",
                message=said(
                    phrases.PAYMENT_FAILED_NOTICE,
                    title=pledge.idea.title,
                    why=label(
                        PaymentFailure,
                        code if code in PaymentFailure.values else PaymentFailure.DECLINED,
                    ),
                    due=day(due_at.date()),
                ),
                url=retry_url or pledge.idea.get_absolute_url() + "#funding-area",
            )
    return bool(won)


def _finance_settles(payment: Payment, *, to: str, actor, reference: str, from_: tuple) -> Payment:
    # Conditional UPDATE: two finance members acting at once record one outcome.
    won = Payment.objects.filter(pk=payment.pk, status__in=from_).update(
        status=to, reference=reference, confirmed_by=actor, confirmed_at=timezone.now()
    )
    if not won:
        raise Conflict(gettext("This payment was already confirmed."), code="already_confirmed")
    payment.refresh_from_db()
    if to == PaymentStatus.RECEIVED:  # the money is the product's funds (the ledger), once
        payment_received(payment=payment)
    return payment


def payment_confirm(*, payment: Payment, actor, reference: str) -> Payment:
    """Finance records that a collected pledge's money arrived (by hand, any provider)."""
    check(rules.may_confirm_payment(actor=actor))
    reference = _clean(
        reference,
        "reference",
        gettext("Enter the payment's reference (bank transfer id, receipt…)."),
    )
    with transaction.atomic():
        return _finance_settles(
            payment,
            to=PaymentStatus.RECEIVED,
            actor=actor,
            reference=reference,
            from_=(*OWED, PaymentStatus.LAPSED),
        )


def payment_refuse(*, payment: Payment, actor, reason: str) -> Payment:
    """Finance records that the money never came (the backer is told)."""
    check(rules.may_confirm_payment(actor=actor))
    reason = _clean(reason, "reason", gettext("Say why the payment is refused."))
    with transaction.atomic():
        payment = _finance_settles(
            payment, to=PaymentStatus.REFUSED, actor=actor, reference=reason, from_=OWED
        )
        pledge_unpaid(pledge=payment.pledge)
        notify(
            recipients=[payment.pledge.member],
            kind="payment_refused",
            message=said(
                phrases.PAYMENT_REFUSED_NOTICE,
                title=payment.pledge.idea.title,
                reason=reason,
            ),
            url=payment.pledge.idea.get_absolute_url() + "#funding-area",
        )
    return payment


def payments_lapse_overdue(*, now=None) -> int:
    """The beat job: payments still owed after their due date lapse; the backer is told."""
    now = now or timezone.now()
    overdue = Payment.objects.filter(status__in=OWED, due_at__lt=now).select_related(
        "pledge__idea", "pledge__member"
    )
    lapsed = 0
    for payment in overdue:
        with transaction.atomic():
            if not Payment.objects.filter(pk=payment.pk, status__in=OWED).update(
                status=PaymentStatus.LAPSED
            ):
                continue
            lapsed += 1
            pledge_unpaid(pledge=payment.pledge)
            notify(
                recipients=[payment.pledge.member],
                kind="payment_lapsed",
                message=said(
                    phrases.PAYMENT_LAPSED_NOTICE,
                    title=payment.pledge.idea.title,
                ),
                url=payment.pledge.idea.get_absolute_url(),
            )
    return lapsed
