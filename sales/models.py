"""A product's profit from records: sales lines, cost adjustments, import jobs and the public
period report (docs/sales-import.md, docs/verify.md).

Money is integers in the product's minor units. Nothing here is stored in a human language:
an import's refusal is a code and its parameters, rendered in the reader's language.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy


class Channel(models.TextChoices):
    """Where a sales line came from; the platform CSV may also name any shop of its own."""

    PLATFORM_CSV = "csv", gettext_lazy("Platform CSV")
    SHOPIFY = "shopify", gettext_lazy("Shopify")
    TAOBAO = "taobao", gettext_lazy("Taobao/Tmall")
    API = "api", gettext_lazy("API")


class LineKind(models.TextChoices):
    SALE = "sale", gettext_lazy("Sale")
    REFUND = "refund", gettext_lazy("Refund")


class SalesLine(models.Model):
    """One order (or one later refund of an order) as a shop reported it.

    Idempotent by its key: the same (product, channel, order, kind, ref) is stored once however
    often it is imported or posted. A later refund is its own line (``kind=refund``); ``ref``
    tells refunds of one order apart (Shopify: the cumulative refunded amount it reached)."""

    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=40)
    order_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=6, choices=LineKind.choices, default=LineKind.SALE)
    ref = models.CharField(max_length=60, blank=True, default="")
    date = models.DateField()
    quantity = models.IntegerField(default=0)
    gross = models.BigIntegerField(default=0)
    discounts = models.BigIntegerField(default=0)
    refunds = models.BigIntegerField(default=0)
    channel_fees = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=10, choices=Channel.choices)
    # Provenance only, unchecked per row (a 100,000-row import pays no foreign-key trigger per
    # line): the import job writes it from its own row.
    import_job = models.ForeignKey(
        "sales.ImportJob", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "channel", "order_id", "kind", "ref"],
                name="sales_line_once_per_order",
            ),
            models.CheckConstraint(
                condition=Q(gross__gte=0, discounts__gte=0, refunds__gte=0, channel_fees__gte=0),
                name="sales_line_amounts_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["product", "date"], name="sales_line_product_date")]

    def __str__(self) -> str:
        return f"{self.channel} {self.order_id} ({self.kind})"

    @property
    def net(self) -> int:
        return self.gross - self.discounts - self.refunds - self.channel_fees


class AdjustmentOrigin(models.TextChoices):
    MANUAL = "manual", gettext_lazy("Manual adjustment")
    MIGRATED = "migrated", gettext_lazy("Typed period before sales records")


class CostAdjustment(models.Model):
    """A manual line of a period: an amount on the revenue or the costs side (signed: a negative
    cost is a credit), a reason, proposed by one finance member and approved by another. Only
    approved lines count. The periods typed before sales records each became one ``migrated``
    line holding their revenue and costs, with their note as the reason."""

    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    revenue = models.BigIntegerField(default=0)
    costs = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    reason = models.TextField()
    origin = models.CharField(
        max_length=10, choices=AdjustmentOrigin.choices, default=AdjustmentOrigin.MANUAL
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["product_id", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin="migrated") | ~Q(approved_by=F("proposed_by")),
                name="adjustment_approved_by_another",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(approved_at__isnull=False),
                name="adjustment_approval_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"adjustment {self.pk} of product {self.product_id}"


class ImportFormat(models.TextChoices):
    PLATFORM = "platform", gettext_lazy("Platform CSV (docs/sales-import.md)")
    SHOPIFY = "shopify", gettext_lazy("Shopify orders export")
    TAOBAO = "taobao", gettext_lazy("Taobao/Tmall order report")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Importing")
    DONE = "done", gettext_lazy("Imported")
    FAILED = "failed", gettext_lazy("Refused")


class ImportJob(models.Model):
    """An uploaded sales file, imported whole or not at all by a Celery job. A refusal is kept
    as a code, its row number and parameters (``sales.importing.MESSAGES`` says it)."""

    product = models.ForeignKey("funding.Product", on_delete=models.PROTECT, related_name="+")
    format = models.CharField(max_length=10, choices=ImportFormat.choices)
    file = models.FileField(upload_to="sales-imports/%Y/%m/")
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    lines_added = models.PositiveIntegerField(default=0)
    lines_known = models.PositiveIntegerField(default=0)
    error_row = models.PositiveIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="import_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


class SettlementReport(models.Model):
    """The public report of a posted settlement: its canonical JSON and that JSON's SHA-256,
    written once (the first time it is asked for after posting) and never changed, so a later
    change to any line, weight or share shows as a different hash."""

    settlement = models.OneToOneField(
        "payouts.Settlement", on_delete=models.PROTECT, related_name="+"
    )
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"report of settlement {self.settlement_id}"
