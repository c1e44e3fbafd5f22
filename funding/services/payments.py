"""Payments of funded pledges: finance confirms or refuses receipts (the manual adapter), and
payments not made by their due date lapse."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.errors import ValidationFailed
from core.rules import check
from core.text import sentence
from notifications.services import notify

from .. import rules
from ..hooks import pledge_unpaid
from ..models import Payment, PaymentStatus
from ..payments import payment_adapter

MAX_REFERENCE = 120


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


def payment_confirm(*, payment: Payment, actor, reference: str) -> Payment:
    """Finance records that a collected pledge's money arrived (the manual adapter)."""
    check(rules.may_confirm_payment(actor=actor))
    reference = _clean(
        reference,
        "reference",
        gettext("Enter the payment's reference (bank transfer id, receipt…)."),
    )
    with transaction.atomic():
        return payment_adapter(payment.provider).payment_confirm(
            payment=payment, actor=actor, reference=reference
        )


def payment_refuse(*, payment: Payment, actor, reason: str) -> Payment:
    """Finance records that the money never came (the backer is told)."""
    check(rules.may_confirm_payment(actor=actor))
    reason = _clean(reason, "reason", gettext("Say why the payment is refused."))
    with transaction.atomic():
        payment = payment_adapter(payment.provider).payment_refuse(
            payment=payment, actor=actor, reason=reason
        )
        pledge_unpaid(pledge=payment.pledge)
        notify(
            recipients=[payment.pledge.member],
            kind="payment_refused",
            message=sentence(
                gettext_lazy("Your payment for “%(title)s” was not accepted: %(reason)s"),
                title=payment.pledge.idea.title,
                reason=reason,
            ),
            url=payment.pledge.idea.get_absolute_url() + "#funding-area",
        )
    return payment


def payments_lapse_overdue(*, now=None) -> int:
    """The beat job: payments still owed after their due date lapse; the backer is told."""
    now = now or timezone.now()
    overdue = Payment.objects.filter(
        status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED], due_at__lt=now
    ).select_related("pledge__idea", "pledge__member")
    lapsed = 0
    for payment in overdue:
        with transaction.atomic():
            if not Payment.objects.filter(
                pk=payment.pk, status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]
            ).update(status=PaymentStatus.LAPSED):
                continue
            lapsed += 1
            pledge_unpaid(pledge=payment.pledge)
            notify(
                recipients=[payment.pledge.member],
                kind="payment_lapsed",
                message=sentence(
                    gettext_lazy(
                        "Your pledge to “%(title)s” lapsed: it was not paid by its due date."
                    ),
                    title=payment.pledge.idea.title,
                ),
                url=payment.pledge.idea.get_absolute_url(),
            )
    return lapsed
