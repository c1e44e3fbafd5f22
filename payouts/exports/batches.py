"""Payout batch exports (CSV and XLSX, for finance) and a member's earnings statement (CSV).

The batch CSV comes from ``COPY`` (a 100,000-member batch streams without the ORM's per-row
cost), with the same bytes as the ORM rows the XLSX reads; cells follow ``cells`` (text
neutralised, amounts in major units, times in UTC).
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from ..models import AccountKind, PayoutItem
from ..money import sql_safe_text, sql_to_major
from ..selectors import member_payouts, member_shares
from .cells import Money, copy_stream, csv_stream, xlsx_file

BATCH_COLUMNS = [
    "batch_id",
    "transaction_id",
    "posted_at",
    "kind",
    "product_id",
    "product",
    "member_id",
    "member_name",
    "account",
    "currency",
    "amount",
    "reference",
]


def batch_copy_sql(batch) -> tuple[str, list[object]]:
    sql = f"""
        SELECT i.batch_id, t.id AS transaction_id,
               to_char(t.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS posted_at,
               'payout' AS kind, NULL AS product_id, NULL AS product, i.member_id,
               {sql_safe_text("coalesce(nullif(u.display_name, ''), u.username)")} AS member_name,
               'member_payable' AS account, {sql_safe_text("b.currency")} AS currency,
               {sql_to_major("i.amount", "b.currency")} AS amount,
               {sql_safe_text("nullif(b.reference, '')")} AS reference
        FROM payouts_payoutitem i
        JOIN payouts_payoutbatch b ON b.id = i.batch_id
        JOIN accounts_user u ON u.id = i.member_id
        LEFT JOIN payouts_ledgertransaction t
          ON t.payout_batch_id = b.id AND t.posted_at IS NOT NULL AND b.status = 'paid'
        WHERE i.batch_id = %s
        ORDER BY i.member_id
    """  # noqa: S608 - only fixed fragments are interpolated; values are parameters
    return sql, [batch.pk]


def batch_rows(batch) -> Iterator[list]:
    tx = getattr(batch, "transaction", None) if batch.status == "paid" else None
    items = (
        PayoutItem.objects.filter(batch=batch)
        .select_related("member")
        .order_by("member_id")
        .iterator(chunk_size=5000)
    )
    for item in items:
        yield [
            batch.pk,
            tx.pk if tx else None,
            tx.posted_at if tx else None,
            "payout",
            None,
            None,
            item.member_id,
            item.member.public_name,
            AccountKind.MEMBER_PAYABLE.value,
            batch.currency,
            Money(item.amount, batch.currency),
            batch.reference or None,
        ]


def batch_csv(batch) -> Iterator[bytes]:
    sql, params = batch_copy_sql(batch)
    return copy_stream(sql, params)


def batch_xlsx(batch):
    return xlsx_file(BATCH_COLUMNS, batch_rows(batch), title="Payouts")


STATEMENT_COLUMNS = [
    "date", "type", "product", "period", "role", "currency", "amount", "reference", "report",
]  # fmt: skip


def report_url(settlement_id: int) -> str:
    """The public report behind a share (served by sales; named here by its URL only)."""
    return settings.SITE_URL.rstrip("/") + reverse("settlement-report", args=[settlement_id])


def statement_rows(member_id: int) -> Iterator[list]:
    rows = []
    for line in member_shares(member_id=member_id):
        s = line.settlement
        rows.append(
            (
                s.posted_at,
                [
                    s.posted_at,
                    "share",
                    s.product.idea.title,
                    f"{s.period.start} – {s.period.end}",
                    line.role,
                    s.currency,
                    Money(line.amount, s.currency),
                    f"settlement {s.pk}",
                    report_url(s.pk),
                ],
            )
        )
    for item in member_payouts(member_id=member_id):
        b = item.batch
        rows.append(
            (
                b.paid_at,
                [
                    b.paid_at,
                    "payout",
                    None,
                    None,
                    None,
                    b.currency,
                    Money(-item.amount, b.currency),
                    b.reference,
                    None,
                ],
            )
        )
    rows.sort(key=lambda r: r[0] or datetime.min.replace(tzinfo=UTC))
    for _, row in rows:
        yield row


def statement_csv(member_id: int) -> Iterator[bytes]:
    return csv_stream(STATEMENT_COLUMNS, statement_rows(member_id))
