"""What the Stripe adapter remembers: a customer per member, the card saved for a pledge, each
webhook event once, and money given back (refund or chargeback) once per provider id."""

from django.conf import settings
from django.db import models


class StripeCustomer(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stripe_customer"
    )
    customer_id = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.customer_id}"


class SavedMethod(models.Model):
    """The payment method a backer saved for a pledge (Checkout in setup mode); nothing charged."""

    pledge = models.OneToOneField(
        "funding.Pledge", on_delete=models.PROTECT, related_name="saved_method"
    )
    checkout_session_id = models.CharField(max_length=255, blank=True)
    payment_method_id = models.CharField(max_length=255, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"pledge {self.pledge_id}: {self.payment_method_id or 'not saved yet'}"


class WebhookEvent(models.Model):
    """Each Stripe event id once: a replay finds its row and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"


class MoneyBack(models.Model):
    """A refund or chargeback of a payment, recorded once per provider id, with its ledger
    transaction (against the product's pool)."""

    class Kind(models.TextChoices):
        REFUND = "refund", "Refund"
        CHARGEBACK = "chargeback", "Chargeback"

    payment = models.ForeignKey(
        "funding.Payment", on_delete=models.PROTECT, related_name="money_back"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField()
    provider_ref = models.CharField(max_length=255, unique=True)
    transaction = models.OneToOneField(
        "payouts.LedgerTransaction", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="money_back_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} of payment {self.payment_id}"
