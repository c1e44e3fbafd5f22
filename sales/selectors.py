"""Reads: the lines behind a period's totals, the settled ranges, who may see a product's P&L."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Sum

from accounts.models import User
from accounts.roles import is_finance
from contributions.models import Contribution
from funding.models import Product
from funding.selectors import backer_ids
from payouts.models import (
    DEAD_SETTLEMENT_STATUSES,
    Period,
    Settlement,
    SettlementLine,
    SettlementStatus,
)
from products.selectors import expenses_charged_to_revenue

from .models import CostAdjustment, ImportJob, SalesLine


@dataclass
class Breakdown:
    """A stretch of a product's trading and the lines behind its totals."""

    product_id: int
    start: date
    end: date
    currency: str
    channels: list[dict] = field(default_factory=list)
    expenses: list[dict] = field(default_factory=list)
    adjustments: list[CostAdjustment] = field(default_factory=list)

    @property
    def sales_net(self) -> int:
        return sum(c["net"] for c in self.channels)

    @property
    def revenue(self) -> int:
        return self.sales_net + sum(a.revenue for a in self.adjustments)

    @property
    def costs(self) -> int:
        return sum(e["amount"] for e in self.expenses) + sum(a.costs for a in self.adjustments)

    @property
    def profit(self) -> int:
        return self.revenue - self.costs


SUMMED = ("lines", "quantity", "gross", "discounts", "refunds", "channel_fees")


def _daily_channels(*, product_id: int, start: date, end: date) -> list[dict]:
    """Per day and channel: lines, quantity, gross, discounts, refunds and channel fees."""
    return list(
        SalesLine.objects.filter(product_id=product_id, date__gte=start, date__lte=end)
        .values("date", "channel")
        .annotate(
            lines=Count("id"),
            quantity=Sum("quantity"),
            gross=Sum("gross"),
            discounts=Sum("discounts"),
            refunds=Sum("refunds"),
            channel_fees=Sum("channel_fees"),
        )
        .order_by("channel", "date")
    )


def _by_channel(daily: list[dict]) -> list[dict]:
    """Per channel (by name): lines, quantity, gross, discounts, refunds, channel fees and
    net."""
    out: dict[str, dict] = {}
    for row in daily:
        found = out.setdefault(
            row["channel"], {"channel": row["channel"]} | dict.fromkeys(SUMMED, 0)
        )
        for name in SUMMED:
            found[name] += row[name]
    for row in out.values():
        row["net"] = row["gross"] - row["discounts"] - row["refunds"] - row["channel_fees"]
    return list(out.values())


def expense_lines(*, product_id: int, start: date, end: date) -> list[dict]:
    """The product's expenses charged to its revenue in the stretch (products' records: approved
    or paid, by the day the money was spent), each with its receipt's SHA-256."""
    return expenses_charged_to_revenue(product_id=product_id, start=start, end=end)


def approved_adjustments(*, product_id: int, start: date, end: date) -> list[CostAdjustment]:
    return list(
        CostAdjustment.objects.filter(
            product_id=product_id, date__gte=start, date__lte=end, approved_at__isnull=False
        ).order_by("date", "id")
        | CostAdjustment.objects.filter(
            product_id=product_id, date__gte=start, date__lte=end, origin="migrated"
        ).order_by("date", "id")
    )


def breakdown(*, product: Product, start: date, end: date) -> Breakdown:
    return breakdowns(product=product, ranges=[(start, end)])[0]


def breakdowns(*, product: Product, ranges: list[tuple[date, date]]) -> list[Breakdown]:
    """``breakdown`` of each (start, end) stretch, in three queries however many there are
    (each reads the whole span once; its rows go to the stretches they are dated in)."""
    if not ranges:
        return []
    first, last = min(start for start, _ in ranges), max(end for _, end in ranges)
    daily = _daily_channels(product_id=product.pk, start=first, end=last)
    expenses = expense_lines(product_id=product.pk, start=first, end=last)
    adjustments = approved_adjustments(product_id=product.pk, start=first, end=last)
    return [
        Breakdown(
            product_id=product.pk,
            start=start,
            end=end,
            currency=product.currency,
            channels=_by_channel([r for r in daily if start <= r["date"] <= end]),
            expenses=[e for e in expenses if start <= e["date"] <= end],
            adjustments=[a for a in adjustments if start <= a.date <= end],
        )
        for start, end in ranges
    ]


def period_totals(*, product: Product, start: date, end: date) -> tuple[int, int]:
    """The payouts hook: (revenue, costs) computed from the lines dated in the stretch."""
    found = breakdown(product=product, start=start, end=end)
    return found.revenue, found.costs


def settled_ranges(*, product_id: int) -> list[tuple[date, date]]:
    """The stretches of the product's periods that have a live settlement: their lines are
    fixed (a new line dated there would change a published report)."""
    live = [s for s in SettlementStatus.values if s not in DEAD_SETTLEMENT_STATUSES]
    return list(
        Period.objects.filter(product_id=product_id, settlements__status__in=live)
        .values_list("start", "end")
        .distinct()
    )


def sales_lines(*, product_id: int, start: date, end: date, limit: int = 200):
    return SalesLine.objects.filter(product_id=product_id, date__gte=start, date__lte=end).order_by(
        "date", "id"
    )[:limit]


def pending_adjustments(*, product_id: int):
    return CostAdjustment.objects.filter(
        product_id=product_id, approved_at__isnull=True, origin="manual"
    ).select_related("proposed_by")


def import_jobs(*, product_id: int, limit: int = 10):
    return ImportJob.objects.filter(product_id=product_id)[:limit]


def may_see_profit(*, product: Product, viewer) -> bool:
    """The P&L page's readers: finance, the creator, its backers and its contributors."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if is_finance(viewer) or product.creator.pk == viewer.pk:
        return True
    if backer_ids(idea_id=product.idea_id).filter(member_id=viewer.pk).exists():
        return True
    return Contribution.objects.filter(idea_id=product.idea_id, member_id=viewer.pk).exists()


def live_settlement_ids(*, period_ids: list[int]) -> dict[int, Settlement]:
    found = Settlement.objects.filter(period_id__in=period_ids).exclude(
        status__in=DEAD_SETTLEMENT_STATUSES
    )
    return {s.period_id: s for s in found}


def periods_of(*, product_id: int):
    return (
        Period.objects.filter(product_id=product_id)
        .order_by("start")
        .annotate(profit_value=F("revenue") - F("costs"))
    )


def public_usernames(*, member_ids: list[int]) -> dict[int, str]:
    """Members whose profile is public (they show their earnings on it): id → username."""
    return dict(
        User.objects.filter(pk__in=member_ids, profile_shows_earnings=True).values_list(
            "pk", "username"
        )
    )


def settlement_parties(*, settlement_id: int) -> list[tuple]:
    """A settlement's lines as (member id, role, weight, amount), by member id."""
    return list(
        SettlementLine.objects.filter(settlement_id=settlement_id)
        .order_by("member_id")
        .values_list("member_id", "role", "weight", "amount")
    )


def published_settlement(*, settlement_id: int) -> Settlement | None:
    """A settlement that was posted (and may since have been reversed), else None."""
    return (
        Settlement.objects.select_related("period", "product__idea", "product__funding_round")
        .filter(pk=settlement_id, status__in=[SettlementStatus.POSTED, SettlementStatus.REVERSED])
        .first()
    )


def shares_of(*, member_id: int, settlement_ids: list[int]) -> dict[int, int]:
    """The member's share (all roles together) in each of these settlements."""
    rows = (
        SettlementLine.objects.filter(settlement_id__in=settlement_ids, member_id=member_id)
        .values("settlement_id")
        .annotate(total=Sum("amount"))
    )
    return {r["settlement_id"]: r["total"] for r in rows}


def product_get(*, product_id: int) -> Product | None:
    return Product.objects.select_related("idea", "funding_round").filter(pk=product_id).first()


def adjustment_get(*, adjustment_id: int) -> CostAdjustment | None:
    return CostAdjustment.objects.filter(pk=adjustment_id).first()
