"""Periods, settlements, the double-entry ledger and payout batches (SPEC sections 5 and 6).

Payout batches are in ``payouts.batch_models``, destinations in ``payouts.destination_models``;
both are imported at the end of this module.

Money is integers in minor units with a three-letter currency. The ledger is append-only: on
PostgreSQL a deferred constraint trigger refuses an unbalanced transaction and triggers refuse
UPDATE and DELETE of entries (migration 0002); a correction is a reversing transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy


class Period(models.Model):
    """A stretch of a product's trading: revenue and costs in the product's minor units,
    computed from the sales and cost lines dated in it (``payouts.hooks.period_totals``,
    provided by sales) when it is recorded, corrected and closed; never typed. Either may be
    negative (refunds above sales, a credit among the costs): profit is their difference."""

    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="periods")
    start = models.DateField()
    end = models.DateField()  # inclusive: the whole end day counts (UTC)
    revenue = models.BigIntegerField()  # computed (sales), never typed
    costs = models.BigIntegerField()  # computed (sales), never typed
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start"),
            # On PostgreSQL an exclusion constraint also refuses overlapping periods (0002).
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.start} – {self.end}"

    @property
    def profit(self) -> int:
        return self.revenue - self.costs

    @property
    def settlement(self) -> "Settlement | None":
        """The period's live settlement (neither discarded nor reversed), if any. The selectors
        prefetch it as ``live_settlements``; otherwise it is one query."""
        live = getattr(self, "live_settlements", None)
        if live is None:
            live = list(self.settlements.exclude(status__in=DEAD_SETTLEMENT_STATUSES)[:1])
        return live[0] if live else None


class SettlementStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Running")
    PREVIEW = "preview", gettext_lazy("Preview")
    POSTED = "posted", gettext_lazy("Posted")
    FAILED = "failed", gettext_lazy("Failed")
    DISCARDED = "discarded", gettext_lazy("Discarded (never posted)")
    REVERSED = "reversed", gettext_lazy("Reversed (netted to zero)")


# A period has at most one settlement in these states; discarded and reversed ones are history.
DEAD_SETTLEMENT_STATUSES = [SettlementStatus.DISCARDED.value, SettlementStatus.REVERSED.value]


class Settlement(models.Model):
    """The settlement of one period: one live settlement per period, so a period is never settled
    twice; a discarded preview or a reversed settlement leaves the period open to settle again.

    On PostgreSQL a posted (or reversed) settlement's figures and lines cannot be changed or
    deleted, and TRUNCATE is refused (migration 0007); its status may still go posted → reversed.
    """

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="settlements")
    product = models.ForeignKey(
        "funding.Product", on_delete=models.PROTECT, related_name="settlements"
    )
    currency = models.CharField(max_length=3)
    platform_fee_bp = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=SettlementStatus.choices, default=SettlementStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # Filled by the job: the carry-forward and the split's totals.
    profit = models.BigIntegerField(null=True, blank=True)
    carried_loss_in = models.BigIntegerField(null=True, blank=True)
    distributable = models.BigIntegerField(null=True, blank=True)
    carried_loss_out = models.BigIntegerField(null=True, blank=True)
    creator_amount = models.BigIntegerField(default=0)
    platform_amount = models.BigIntegerField(default=0)
    contributors_amount = models.BigIntegerField(default=0)
    contributor_count = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    # Who did what, and when.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    run_token = models.CharField(max_length=32, blank=True)  # the job run that holds it
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    # Discarding a preview (or a failed run): who, when, why.
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discarded_at = models.DateTimeField(null=True, blank=True)
    discard_reason = models.TextField(blank=True)
    # Reversing a posted settlement: requested by one finance member, approved by another.
    reversal_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversal_requested_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)
    reversal_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=~Q(status__in=DEAD_SETTLEMENT_STATUSES),
                name="one_live_settlement_per_period",
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="settlement_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SettlementStatus.values), name="settlement_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="posted") | Q(posted_at__isnull=False, progress=100),
                name="posted_settlement_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="reversed")
                | Q(reversed_at__isnull=False, reversal_approved_by__isnull=False),
                name="reversed_settlement_is_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"Settlement {self.pk} of period {self.period_id} ({self.status})"


class LineRole(models.TextChoices):
    CREATOR = "creator", gettext_lazy("Creator")
    CONTRIBUTOR = "contributor", gettext_lazy("Contributor")
    PLATFORM = "platform", gettext_lazy("Platform")


class SettlementLine(models.Model):
    """One party's part of a settlement: visible in the preview before any money moves."""

    # No single-column indexes: the unique (settlement, role, member) and the (member,
    # settlement) index cover both keys, and every index costs in a 100,000-line preview.
    # Both keys are checked by a statement trigger, not per-row foreign keys (migration 0010).
    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="lines", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )  # null: the platform
    role = models.CharField(max_length=12, choices=LineRole.choices)
    weight = models.BigIntegerField(default=0)  # the contributor's points as of the period's end
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["settlement_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="line_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(role="platform", member__isnull=True)
                | (~Q(role="platform") & Q(member__isnull=False)),
                name="line_member_unless_platform",
            ),
            models.UniqueConstraint(
                fields=["settlement", "role", "member"], name="one_line_per_party"
            ),
        ]
        indexes = [models.Index(fields=["member", "settlement"])]

    def __str__(self) -> str:
        return f"{self.role} {self.member_id}: {self.amount}"


class AccountKind(models.TextChoices):
    PROFIT_POOL = "profit_pool", gettext_lazy("Product profit pool")
    MEMBER_PAYABLE = "member_payable", gettext_lazy("Member payable")
    PLATFORM_REVENUE = "platform_revenue", gettext_lazy("Platform revenue")
    PAID_OUT = "paid_out", gettext_lazy("Paid out")
    # Money given back to backers (refunds, chargebacks), taken from the product's pool.
    RETURNED = "returned", gettext_lazy("Returned to backers")
    # The money raised (products.money_ledger): collected from backers into a product's funds,
    # committed by approved expenses, spent with suppliers.
    COLLECTED = "collected", gettext_lazy("Collected from backers")
    PRODUCT_FUNDS = "product_funds", gettext_lazy("Product funds")
    PRODUCT_COMMITTED = "product_committed", gettext_lazy("Product spending approved, not paid")
    PRODUCT_SPENT = "product_spent", gettext_lazy("Product spending paid to suppliers")


# One account per currency for the platform as a whole.
PLATFORM_ACCOUNTS = ["platform_revenue", "paid_out", "returned", "collected"]
# One account per product, besides its profit pool.
PRODUCT_ACCOUNTS = ["product_funds", "product_committed", "product_spent"]


class Account(models.Model):
    """A ledger account: one profit pool per product, one payable per member and currency,
    one platform revenue and one paid-out account per currency."""

    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    currency = models.CharField(max_length=3)
    # Indexed by the partial unique constraints below (member accounts are all payables).
    # Checked per statement by a trigger, not per row (migration 0011): a product's first
    # settlement may create a million of these at once.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        db_index=False,
        db_constraint=False,
    )
    product = models.ForeignKey(
        "funding.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "currency"],
                condition=Q(kind="member_payable"),
                name="one_payable_per_member_currency",
            ),
            models.UniqueConstraint(
                fields=["product"], condition=Q(kind="profit_pool"), name="one_pool_per_product"
            ),
            models.UniqueConstraint(
                fields=["kind", "currency"],
                condition=Q(kind__in=PLATFORM_ACCOUNTS),
                name="one_platform_account_per_currency",
            ),
            models.UniqueConstraint(
                fields=["product", "kind"],
                condition=Q(kind__in=PRODUCT_ACCOUNTS),
                name="one_product_account_per_kind",
            ),
            models.CheckConstraint(
                condition=(Q(kind="member_payable") & Q(member__isnull=False, product__isnull=True))
                | (
                    Q(kind__in=["profit_pool", *PRODUCT_ACCOUNTS])
                    & Q(member__isnull=True, product__isnull=False)
                )
                | (Q(kind__in=PLATFORM_ACCOUNTS) & Q(member__isnull=True, product__isnull=True)),
                name="account_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        owner = self.member_id or self.product_id or ""
        return f"{self.kind} {owner} {self.currency}".replace("  ", " ")


class TransactionKind(models.TextChoices):
    SETTLEMENT = "settlement", gettext_lazy("Settlement")
    PAYOUT = "payout", gettext_lazy("Payout")
    REVERSAL = "reversal", gettext_lazy("Reversal")
    REFUND = "refund", gettext_lazy("Refund to a backer")
    CHARGEBACK = "chargeback", gettext_lazy("Chargeback")
    # products.money_ledger: a pledge collected, an expense approved (committed) and paid, and
    # refunds of earlier days moved from the profit pool to the funds (migration products 0002).
    COLLECTION = "collection", gettext_lazy("Pledge collected")
    COMMITMENT = "commitment", gettext_lazy("Expense approved")
    EXPENSE = "expense", gettext_lazy("Expense paid")
    FUNDS_MOVE = "funds_move", gettext_lazy("Correction: refunds moved to the funds")


class LedgerTransaction(models.Model):
    """A balanced set of entries, posted at once. Two phases: entries are staged under a pending
    transaction, then one UPDATE posts it (the deferred trigger checks the balance right then).
    Idempotency keys: one per settlement, one per payout batch, one reversal per transaction."""

    kind = models.CharField(max_length=12, choices=TransactionKind.choices)
    currency = models.CharField(max_length=3)
    product = models.ForeignKey(
        "funding.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    settlement = models.OneToOneField(
        Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="transaction"
    )
    payout_batch = models.OneToOneField(
        "PayoutBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transaction",
    )
    reversal_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    description = models.CharField(max_length=200, blank=True)
    # Null while the transaction is staged (pending): its entries are written but count for
    # nothing. Setting it posts the transaction; from then on it and its entries are frozen.
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept by a statement-level trigger on PostgreSQL.
    entry_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["posted_at", "id"]
        indexes = [models.Index(fields=["posted_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_posted(self) -> bool:
        return self.posted_at is not None


class LedgerEntry(models.Model):
    """One line of a transaction: exactly one of debit and credit is positive."""

    # Both keys are checked once per statement by the ledger's triggers, set-based, instead of
    # per-row foreign keys: a million-entry settlement spent 10–12 s in those (migration 0010).
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries", db_constraint=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", db_constraint=False
    )
    debit = models.BigIntegerField(default=0)
    credit = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="entry_exactly_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: +{self.credit} -{self.debit}"


# Payout batches and destinations live in their own modules; imported here so Django registers
# them and ``payouts.models`` stays the one place to import every payouts model from.
from .bank_models import PayoutBatchFile  # noqa: E402, F401
from .batch_models import PayoutBatch, PayoutBatchStatus, PayoutItem  # noqa: E402, F401
from .destination_models import (  # noqa: E402, F401
    DestinationKind,
    PayoutDestination,
    PayoutDestinationChange,
)
