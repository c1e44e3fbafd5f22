"""A product's money (issue 27): expenses with receipts (four eyes), the ledger transaction
each collected pledge posted to the product's funds, and the refunds to backers after an
abandonment. Amounts are integers in the product's minor units; what happened is stored as
codes and numbers, never as sentences.

The money itself is in the ledger (``payouts``): ``product_funds`` (credited by collections,
debited by approvals and refunds), ``product_committed`` (approved, not paid),
``product_spent`` (paid to suppliers). ``products.money.services.ledger`` posts it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy


def receipt_upload_to(instance, filename: str) -> str:
    """A random name in the private ``receipts/`` folder (core.media.PRIVATE_MEDIA): never the
    name the member gave, never served except by the receipt view after its who-may check."""
    extension = getattr(instance, "_receipt_extension", "") or "bin"
    return f"receipts/{uuid.uuid4().hex}.{extension}"


class ChargedTo(models.TextChoices):
    FUNDS = "funds", gettext_lazy("The funds raised")
    REVENUE = "revenue", gettext_lazy("The product's revenue (a cost of sales)")


class PayeeKind(models.TextChoices):
    MEMBER = "member", gettext_lazy("A member of the platform")
    SUPPLIER = "supplier", gettext_lazy("An outside supplier")


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("Waiting for finance")
    APPROVED = "approved", gettext_lazy("Approved, not paid")
    REJECTED = "rejected", gettext_lazy("Rejected")
    PAID = "paid", gettext_lazy("Paid")


class Expense(models.Model):
    """Money spent on a product, with its receipt: submitted by the creator or a team member,
    approved or rejected by finance (never the submitter), marked paid by a second finance
    member. Public: amount, description, payee's name, date and status; private: the receipt
    and the supplier's account (encrypted like payout destinations)."""

    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    spent_on = models.DateField()
    description = models.CharField(max_length=500)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    charged_to = models.CharField(max_length=8, choices=ChargedTo.choices)
    payee_kind = models.CharField(max_length=8, choices=PayeeKind.choices)
    payee_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supplier_name = models.CharField(max_length=140, blank=True)
    supplier_account_kind = models.CharField(max_length=10, blank=True)  # iban | alipay
    supplier_account_masked = models.CharField(max_length=60, blank=True)
    supplier_account_secret = models.TextField(blank=True)  # payouts.destinations.encrypt
    receipt = models.FileField(upload_to=receipt_upload_to)
    receipt_mime = models.CharField(max_length=40)
    receipt_size = models.PositiveIntegerField()
    receipt_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_reference = models.CharField(max_length=120, blank=True)
    commitment = models.OneToOneField(
        "payouts.LedgerTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payment = models.OneToOneField(
        "payouts.LedgerTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["product", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=Q(charged_to__in=ChargedTo.values), name="expense_charged_to_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExpenseStatus.values), name="expense_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(payee_kind="member") & Q(payee_member__isnull=False))
                | (Q(payee_kind="supplier") & Q(payee_member__isnull=True) & ~Q(supplier_name="")),
                name="expense_payee_matches_kind",
            ),
            # Four eyes, in the database too: nobody decides or pays their own expense, and
            # the one who approved it does not mark it paid.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("submitted_by")),
                name="expense_not_decided_by_submitter",
            ),
            models.CheckConstraint(
                condition=Q(paid_by__isnull=True)
                | (~Q(paid_by=models.F("submitted_by")) & ~Q(paid_by=models.F("decided_by"))),
                name="expense_paid_by_a_second_member",
            ),
        ]

    def __str__(self) -> str:
        return f"expense {self.pk} of product {self.product_id}: {self.amount} {self.currency}"


class FundsCollection(models.Model):
    """The ledger transaction a collected pledge's payment posted to its product's funds: one
    per payment (the unique key keeps a webhook and finance confirming at once to one)."""

    payment = models.OneToOneField("funding.Payment", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="+")
    transaction = models.OneToOneField(
        "payouts.LedgerTransaction", on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"payment {self.payment_id} → funds of product {self.product_id}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("To be refunded")
    SENT = "sent", gettext_lazy("Sent to the payment provider")
    REFUNDED = "refunded", gettext_lazy("Refunded")
    FAILED = "failed", gettext_lazy("Failed")


class BackerRefund(models.Model):
    """One backer's share of an abandoned product's available funds, pro rata to what they
    paid (largest remainder): refunded through the payment's adapter (Stripe: with an
    idempotency key derived from this row) or, for the manual adapter, paid by finance and
    confirmed. Its ledger transaction is posted once, when the money has gone."""

    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="+")
    abandonment_id = models.BigIntegerField()  # products' abandonment (the life half)
    payment = models.OneToOneField("funding.Payment", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paid = models.BigIntegerField()  # what the backer actually paid (the weight)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=20)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    provider_ref = models.CharField(max_length=255, blank=True)
    failure = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transaction = models.OneToOneField(
        "payouts.LedgerTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["product_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="backer_refund_positive"),
            models.CheckConstraint(
                condition=Q(amount__lte=models.F("paid")), name="backer_refund_at_most_paid"
            ),
            models.CheckConstraint(
                condition=~Q(status="refunded") | Q(transaction__isnull=False),
                name="refunded_has_its_transaction",
            ),
        ]

    def __str__(self) -> str:
        return f"refund {self.pk}: {self.amount} {self.currency} to {self.member_id}"
