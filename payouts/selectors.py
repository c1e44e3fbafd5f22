"""Reads for periods, settlements, balances, earnings and the finance pages.

The settlement's weights are ``contributions.selectors.contribution_weights`` (contributions owns
approvals); the split's rounding is ``payouts.allocation``.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext

from accounts.models import User
from funding.models import Product
from ideas.models import IdeaStatus, IdeaTransition

from .models import (
    DEAD_SETTLEMENT_STATUSES,
    AccountKind,
    LedgerEntry,
    LineRole,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutItem,
    Period,
    Settlement,
    SettlementLine,
    SettlementStatus,
)


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in UTC: the whole end day counts."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def last_period(*, product_id: int) -> Period | None:
    """The product's latest period (periods are recorded in order)."""
    return Period.objects.filter(product_id=product_id).order_by("-end").first()


def periods_overlapping(*, product_id: int, start: date, end: date) -> bool:
    return Period.objects.filter(product_id=product_id, start__lte=end, end__gte=start).exists()


def period_overlapping(
    *, product_id: int, start: date, end: date, exclude_id: int | None = None
) -> Period | None:
    """A period of the product that overlaps ``start`` – ``end`` (other than ``exclude_id``)."""
    found = Period.objects.filter(product_id=product_id, start__lte=end, end__gte=start)
    if exclude_id is not None:
        found = found.exclude(pk=exclude_id)
    return found.first()


def product_funded_on(*, product: Product) -> date:
    """The day (UTC) the product was funded: its idea's move to ``funded`` in the audit trail,
    or the product's creation when the trail has none."""
    funded_at = (
        IdeaTransition.objects.filter(idea_id=product.idea_id, to_status=IdeaStatus.FUNDED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return (funded_at or product.created_at).astimezone(UTC).date()


def earlier_periods_not_posted(*, period: Period) -> QuerySet[Period]:
    """Periods of the same product before ``period`` that have no posted settlement."""
    return Period.objects.filter(product_id=period.product_id, start__lt=period.start).exclude(
        settlements__status=SettlementStatus.POSTED
    )


def later_live_settlements(*, settlement: Settlement) -> QuerySet[Settlement]:
    """Live settlements of the same product's later periods (their carried loss depends on
    this one)."""
    return Settlement.objects.filter(
        product_id=settlement.product_id, period__start__gt=settlement.period.start
    ).exclude(status__in=DEAD_SETTLEMENT_STATUSES)


def _live_settlement_prefetch() -> Prefetch:
    live = Settlement.objects.exclude(status__in=DEAD_SETTLEMENT_STATUSES)
    return Prefetch("settlements", queryset=live, to_attr="live_settlements")


def carried_loss_before(*, period: Period) -> int:
    """The loss still carried into ``period``: from the latest posted settlement before it."""
    previous = (
        Settlement.objects.filter(
            product_id=period.product_id,
            period__start__lt=period.start,
            status=SettlementStatus.POSTED,
        )
        .order_by("-period__start")
        .values_list("carried_loss_out", flat=True)
        .first()
    )
    return int(previous or 0)


def member_balances(*, member_id: int) -> dict[str, int]:
    """currency → payable balance (credits less debits on the member's payable accounts)."""
    rows = (
        LedgerEntry.objects.filter(
            account__kind=AccountKind.MEMBER_PAYABLE,
            account__member_id=member_id,
            transaction__posted_at__isnull=False,  # staged entries count for nothing
        )
        .values("account__currency")
        .annotate(credit=Sum("credit"), debit=Sum("debit"))
        .order_by("account__currency")
    )
    return {r["account__currency"]: int(r["credit"] or 0) - int(r["debit"] or 0) for r in rows}


def member_shares(*, member_id: int) -> list[SettlementLine]:
    """Every posted share a member received and every reversal of one, newest first.

    A share is its line (``kind`` "share"). A reversal is a copy of the line that was reversed,
    never saved: ``kind`` "reversal", the amount negated, ``reason`` the reversal's reason,
    ``role`` naming it ("contributor, reversed: …") and its settlement's ``posted_at`` the
    reversal's time, so statements and pages list it as one more dated row."""
    lines = (
        SettlementLine.objects.filter(
            member_id=member_id,
            settlement__status__in=[SettlementStatus.POSTED, SettlementStatus.REVERSED],
            amount__gt=0,
        )
        .select_related("settlement__period", "settlement__product__idea")
        .order_by("-settlement__posted_at", "-id")
    )
    rows: list[SettlementLine] = []
    for line in lines:
        line.kind, line.reason = "share", ""  # type: ignore[attr-defined]
        rows.append(line)
        if line.settlement.status == SettlementStatus.REVERSED:
            rows.append(_reversal_row(line))
    rows.sort(
        key=lambda r: (r.settlement.posted_at or _EPOCH, getattr(r, "kind", "")), reverse=True
    )
    return rows


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _reversal_row(line: SettlementLine) -> SettlementLine:
    settlement = copy.copy(line.settlement)
    settlement.posted_at = settlement.reversed_at
    row = SettlementLine(
        settlement=settlement,
        member_id=line.member_id,
        role=gettext("%(role)s, reversed: %(reversal_reason)s")
        % {"role": line.role, "reversal_reason": settlement.reversal_reason},
        weight=line.weight,
        amount=-line.amount,
    )
    row.kind, row.reason = "reversal", settlement.reversal_reason  # type: ignore[attr-defined]
    return row


@dataclass
class Earnings:
    """A member's money in one view, each ``currency → amount`` in minor units.

    ``lifetime``: every posted share, less reversals. ``pending``: shares in previews that
    finance has not posted yet (they may still change). ``paid``: what payout batches sent.
    ``months``: ``(first day of the month, currency, amount)`` of posted shares (a reversal
    counts in the month it was posted), oldest first."""

    lifetime: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    months: list[tuple[date, str, int]] = field(default_factory=list)

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.lifetime) | set(self.pending) | set(self.paid))


def member_earnings(*, member_id: int) -> Earnings:
    """Four grouped queries, whatever the member's history."""
    lines = SettlementLine.objects.filter(member_id=member_id)
    earnings = Earnings()
    for pending in (
        lines.filter(settlement__status=SettlementStatus.PREVIEW)
        .values("settlement__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        earnings.pending[pending["settlement__currency"]] = int(pending["total"])
    months: dict[tuple[date, str], int] = defaultdict(int)
    shares = lines.filter(
        settlement__status__in=[SettlementStatus.POSTED, SettlementStatus.REVERSED]
    )
    for when, sign in (("settlement__posted_at", 1), ("settlement__reversed_at", -1)):
        qs = shares if sign == 1 else shares.filter(settlement__status=SettlementStatus.REVERSED)
        for row in (
            qs.annotate(month=TruncMonth(when, tzinfo=UTC))
            .values("month", "settlement__currency")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            months[(row["month"].date(), row["settlement__currency"])] += sign * int(row["total"])
    for (month, currency), amount in sorted(months.items()):
        earnings.months.append((month, currency, amount))
        earnings.lifetime[currency] = earnings.lifetime.get(currency, 0) + amount
    for paid in (
        member_payouts(member_id=member_id)
        .values("batch__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        earnings.paid[paid["batch__currency"]] = int(paid["total"])
    return earnings


def member_payouts(*, member_id: int) -> QuerySet[PayoutItem]:
    return (
        PayoutItem.objects.filter(member_id=member_id, batch__status=PayoutBatchStatus.PAID)
        .select_related("batch")
        .order_by("-batch__paid_at", "-id")
    )


def payable_balances(*, currency: str, minimum: int) -> list[tuple[int, int]]:
    """(member id, balance) of every member whose balance in ``currency`` is ≥ ``minimum``."""
    rows = (
        LedgerEntry.objects.filter(account__kind=AccountKind.MEMBER_PAYABLE)
        .filter(account__currency=currency, transaction__posted_at__isnull=False)
        .values("account__member_id")
        .annotate(balance=Sum("credit") - Sum("debit"))
        .filter(balance__gte=max(minimum, 1))
        .order_by("account__member_id")
        .values_list("account__member_id", "balance")
    )
    return [(m, int(b)) for m, b in rows]


def settlement_top_lines(*, settlement: Settlement, limit: int = 8) -> list[dict]:
    """The largest contributor lines and the rest summed: what the page's chart draws."""
    lines = list(
        settlement.lines.filter(role=LineRole.CONTRIBUTOR, amount__gt=0)
        .select_related("member")
        .order_by("-amount", "member_id")[:limit]
    )
    shown = sum(line.amount for line in lines)
    parts = [
        {"label": line.member.public_name if line.member else "", "amount": line.amount}
        for line in lines
    ]
    rest = settlement.contributors_amount - shown
    if rest > 0:
        parts.append({"label": gettext("other contributors"), "amount": rest})
    return parts


def product_settlements_shown(*, product_id: int) -> list[Settlement]:
    """The product page's settlement history: the 24 latest (``contributions.hooks``)."""
    return list(product_settlement_history(product_id=product_id)[:24])


def product_settlement_history(*, product_id: int) -> QuerySet[Settlement]:
    """The product's settlements for its public page; discarded previews were never real."""
    return (
        Settlement.objects.filter(product_id=product_id)
        .exclude(status=SettlementStatus.DISCARDED)
        .select_related("period")
        .order_by("-period__start")
    )


def finance_overview() -> dict:
    """Totals per currency and role over posted settlements, for the console's chart."""
    rows = (
        Settlement.objects.filter(status=SettlementStatus.POSTED)
        .values("currency")
        .annotate(
            creator=Sum("creator_amount"),
            contributors=Sum("contributors_amount"),
            platform=Sum("platform_amount"),
            count=Count("id"),
        )
        .order_by("currency")
    )
    return {r["currency"]: r for r in rows}


def open_batches() -> QuerySet[PayoutBatch]:
    return PayoutBatch.objects.filter(status=PayoutBatchStatus.OPEN)


def stale_settlements(*, older_than: datetime) -> QuerySet[Settlement]:
    """Settlements a lost message or a dead worker left behind (the beat safety net)."""
    return Settlement.objects.filter(
        Q(status=SettlementStatus.QUEUED, created_at__lt=older_than)
        | Q(status=SettlementStatus.RUNNING, heartbeat_at__lt=older_than)
        | Q(
            status=SettlementStatus.PREVIEW,
            approved_at__isnull=False,
            approved_at__lt=older_than,
        )
    )


# --- The finance pages and the API ---------------------------------------------------------
# Products and members are read here until funding and accounts own selectors for these lists.


def finance_products(*, limit: int = 200) -> list[Product]:
    # With the round: a product's currency is its round's (one query, not one per product).
    products = Product.objects.select_related("idea", "funding_round").order_by("idea__title")
    return list(products[:limit])


def product_get(*, product_id: int) -> Product | None:
    return Product.objects.filter(pk=product_id).first()


def ledger_members(*, limit: int = 500) -> QuerySet[User]:
    """Members who hold a ledger account (the console's member filter)."""
    return (
        User.objects.filter(ledger_accounts__isnull=False).distinct().order_by("username")[:limit]
    )


def recent_periods(*, limit: int = 200) -> QuerySet[Period]:
    return (
        Period.objects.select_related("product__idea")
        .prefetch_related(_live_settlement_prefetch())
        .order_by("-start", "-id")[:limit]
    )


def product_periods(*, product_id: int) -> QuerySet[Period]:
    return (
        Period.objects.filter(product_id=product_id)
        .select_related("product")
        .prefetch_related(_live_settlement_prefetch())
    )


def period_get(*, period_id: int) -> Period | None:
    return Period.objects.select_related("product").filter(pk=period_id).first()


def recent_settlements(*, limit: int = 50) -> QuerySet[Settlement]:
    return Settlement.objects.select_related("period", "product__idea").order_by(
        "-created_at", "-id"
    )[:limit]


def settlement_get(*, settlement_id: int) -> Settlement | None:
    """A settlement with its period and the people on its page (recorder, closer, approver)."""
    return (
        Settlement.objects.select_related(
            "period__recorded_by",
            "product__idea__creator",
            "closed_by",
            "approved_by",
            "discarded_by",
            "reversal_requested_by",
            "reversal_approved_by",
        )
        .filter(pk=settlement_id)
        .first()
    )


def settlement_lines(*, settlement: Settlement) -> QuerySet[SettlementLine]:
    """Every line of a settlement for its page: by role, largest first."""
    return settlement.lines.select_related("member").order_by("role", "-amount", "id")


def settlement_lines_in_order(*, settlement: Settlement) -> QuerySet[SettlementLine]:
    """Every line of a settlement in the order it was written (the API's order)."""
    return settlement.lines.order_by("id")


def recent_batches(*, limit: int = 100) -> QuerySet[PayoutBatch]:
    return PayoutBatch.objects.all()[:limit]


def batch_get(*, batch_id: int) -> PayoutBatch | None:
    return PayoutBatch.objects.filter(pk=batch_id).first()
