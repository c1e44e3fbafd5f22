"""Payments: finance records that a collected pledge's money arrived (the manual adapter)."""

from django.db import transaction
from django.utils.translation import gettext

from core.errors import ValidationFailed
from core.rules import check

from .. import rules
from ..models import Payment
from ..payments import payment_adapter

MAX_REFERENCE = 120


def payment_confirm(*, payment: Payment, actor, reference: str) -> Payment:
    """Finance records that a collected pledge's money arrived (the manual adapter)."""
    check(rules.may_confirm_payment(actor=actor))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed.for_field(
            "reference", gettext("Enter the payment's reference (bank transfer id, receipt…).")
        )
    if len(reference) > MAX_REFERENCE:
        raise ValidationFailed.for_field(
            "reference",
            gettext("Shorten the reference to %(MAX_REFERENCE)s characters or fewer.")
            % {"MAX_REFERENCE": MAX_REFERENCE},
        )
    with transaction.atomic():
        return payment_adapter(payment.provider).payment_confirm(
            payment=payment, actor=actor, reference=reference
        )
