"""Payout batches: the members of one currency paid in one go (SPEC section 6).

Imported at the end of ``payouts.models`` (import them from there).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


class PayoutBatchStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open (to be paid)")
    PAID = "paid", gettext_lazy("Paid")
    CANCELLED = "cancelled", gettext_lazy("Cancelled (nothing paid)")


class PayoutBatch(models.Model):
    """The members of one currency whose balance reached MINIMUM_PAYOUT, to pay in one go."""

    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PayoutBatchStatus.choices, default=PayoutBatchStatus.OPEN
    )
    total = models.BigIntegerField(default=0)
    item_count = models.PositiveIntegerField(default=0)
    # Members whose balance reached the minimum but who have no payout destination yet.
    held_back = models.PositiveIntegerField(default=0, db_default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(max_length=120, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # The bank file's requested execution date (a TARGET2 business day; payouts.exports).
    execution_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open batch per currency: a member's balance is never promised twice.
            models.UniqueConstraint(
                fields=["currency"], condition=Q(status="open"), name="one_open_batch_per_currency"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | ~Q(reference=""), name="paid_batch_has_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"Payout batch {self.pk} ({self.currency}, {self.status})"


class PayoutItem(models.Model):
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_items"
    )
    amount = models.BigIntegerField()
    # The member's destination when the batch was made (its encrypted token, holder name
    # included): the bank file and the payees export read this, never today's destination.
    destination = models.TextField(blank=True, default="", db_default="")

    class Meta:
        ordering = ["batch_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="one_payout_per_batch_member"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.amount}"
