"""The payment-provider adapter: it records money owed and received, it never moves money.

A provider implements ``PaymentAdapter``; ``manual`` is the one we ship: each collected pledge
gets a pending Payment, and a finance member confirms receipt (with the bank reference) once
the money has arrived by whatever means the backer used. ``PAYMENT_ADAPTER`` picks one.
"""

from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict

from .models import Payment, PaymentStatus, Pledge


class PaymentAdapter(Protocol):
    name: str

    def payment_request(self, *, pledge: Pledge) -> Payment:
        """Record that a collected pledge is owed. Call in the transaction closing the round."""
        ...

    def payment_confirm(self, *, payment: Payment, actor, reference: str) -> Payment:
        """Record that the money arrived."""
        ...


class ManualPaymentAdapter:
    """Finance confirms receipt by hand; nothing is sent anywhere."""

    name = "manual"

    def payment_request(self, *, pledge: Pledge) -> Payment:
        payment, _ = Payment.objects.get_or_create(
            pledge=pledge,
            defaults={"provider": self.name, "amount": pledge.amount, "currency": pledge.currency},
        )
        return payment

    def payment_confirm(self, *, payment: Payment, actor, reference: str) -> Payment:
        now = timezone.now()
        # Conditional UPDATE: two finance members confirming at once record one receipt.
        won = Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.RECEIVED, reference=reference, confirmed_by=actor, confirmed_at=now
        )
        if not won:
            raise Conflict(gettext("This payment was already confirmed."), code="already_confirmed")
        payment.refresh_from_db()
        return payment


ADAPTERS: dict[str, type] = {"manual": ManualPaymentAdapter}


def payment_adapter(name: str | None = None) -> PaymentAdapter:
    return ADAPTERS[name or getattr(settings, "PAYMENT_ADAPTER", "manual")]()
