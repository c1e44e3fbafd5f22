"""Reads for settlements, balances and earnings."""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from contributions.models import Contribution

from .models import (
    Account,
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


def weights_as_of(*, idea_id: int, end: date) -> dict[int, int]:
    """member id → approved points of the idea, decided on or before ``end`` (UTC, inclusive)."""
    rows = (
        Contribution.objects.filter(
            idea_id=idea_id, status="approved", decided_at__lt=end_of_day(end)
        )
        .values("member_id")
        .annotate(points=Sum("points"))
        .values_list("member_id", "points")
    )
    return {member_id: int(points) for member_id, points in rows if points}


def earlier_periods_not_posted(*, period: Period) -> QuerySet[Period]:
    """Periods of the same product before ``period`` that have no posted settlement."""
    return Period.objects.filter(product_id=period.product_id, start__lt=period.start).exclude(
        settlement__status=SettlementStatus.POSTED
    )


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


def member_shares(*, member_id: int) -> QuerySet[SettlementLine]:
    """Every posted share a member received, newest first."""
    return (
        SettlementLine.objects.filter(
            member_id=member_id, settlement__status=SettlementStatus.POSTED, amount__gt=0
        )
        .select_related("settlement__period", "settlement__product__idea")
        .order_by("-settlement__posted_at", "-id")
    )


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


def settlement_role_totals(*, settlement: Settlement) -> dict[str, int]:
    return {
        LineRole.CREATOR: settlement.creator_amount,
        LineRole.CONTRIBUTOR: settlement.contributors_amount,
        LineRole.PLATFORM: settlement.platform_amount,
    }


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
        parts.append({"label": "other contributors", "amount": rest})
    return parts


def product_settlement_history(*, product_id: int) -> QuerySet[Settlement]:
    return (
        Settlement.objects.filter(product_id=product_id)
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


def accounts_with_balance(*, currency: str) -> QuerySet[Account]:
    posted = Q(entries__transaction__posted_at__isnull=False)
    return Account.objects.filter(currency=currency).annotate(
        credit=Sum("entries__credit", filter=posted), debit=Sum("entries__debit", filter=posted)
    )


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
