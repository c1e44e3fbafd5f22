"""Ledger, payout batch and statement exports (SPEC section 6).

CSV is streamed: on PostgreSQL straight from ``COPY (…) TO STDOUT`` (psycopg 3), elsewhere from
a chunked ORM iterator; a million rows never sit in memory. XLSX uses openpyxl's write-only mode
and continues on a new sheet past a sheet's 1,048,576 rows. Amounts are decimal strings in major
units with a currency column; times are ISO 8601 in UTC.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from openpyxl import Workbook
from psycopg import ClientCursor

from core.errors import ValidationFailed
from core.net import parse_id

from .models import AccountKind, LedgerEntry, PayoutItem
from .money import sql_to_major, to_major
from .selectors import end_of_day, member_payouts, member_shares

COLUMNS = [
    "entry_id",
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
]
XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header row included
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class LedgerFilters:
    date_from: date | None = None
    date_to: date | None = None
    product_id: int | None = None
    member_id: int | None = None
    account: str | None = None  # an account kind, or an account id

    @classmethod
    def from_query(cls, params) -> "LedgerFilters":
        """Parse ``from``, ``to`` (YYYY-MM-DD), ``product``, ``member``, ``account``; 400 on
        anything malformed, naming the field."""
        fields: dict[str, list[str]] = {}
        values: dict = {}
        for name, key in (("from", "date_from"), ("to", "date_to")):
            raw = (params.get(name) or "").strip()
            if raw:
                try:
                    values[key] = date.fromisoformat(raw)
                    if len(raw) != 10:
                        raise ValueError
                except ValueError:
                    fields[name] = [f"Enter the '{name}' date as YYYY-MM-DD."]
        for name in ("product", "member"):
            raw = (params.get(name) or "").strip()
            if raw:
                if parse_id(raw) is not None:
                    values[f"{name}_id"] = parse_id(raw)
                else:
                    fields[name] = [f"Enter the {name} as a numeric id."]
        raw = (params.get("account") or "").strip()
        if raw:
            if parse_id(raw) is not None or raw in AccountKind.values:
                values["account"] = raw
            else:
                fields["account"] = [
                    "Enter an account id or one of: " + ", ".join(AccountKind.values) + "."
                ]
        if not fields and values.get("date_from") and values.get("date_to"):
            if values["date_to"] < values["date_from"]:
                fields["to"] = ["Choose a 'to' date on or after the 'from' date."]
        if fields:
            raise ValidationFailed.for_fields(fields)
        return cls(**values)


def _where(filters: LedgerFilters) -> tuple[str, list[object]]:
    clauses = ["t.posted_at IS NOT NULL"]  # staged transactions are not the ledger
    params: list[object] = []
    if filters.date_from:
        clauses.append("t.posted_at >= %s")
        params.append(datetime.combine(filters.date_from, datetime.min.time(), tzinfo=UTC))
    if filters.date_to:
        clauses.append("t.posted_at < %s")
        params.append(end_of_day(filters.date_to))
    if filters.product_id is not None:
        clauses.append("t.product_id = %s")
        params.append(filters.product_id)
    if filters.member_id is not None:
        clauses.append("a.member_id = %s")
        params.append(filters.member_id)
    if filters.account:
        if parse_id(filters.account) is not None:
            clauses.append("a.id = %s")
            params.append(parse_id(filters.account))
        else:
            clauses.append("a.kind = %s")
            params.append(filters.account)
    return " WHERE " + " AND ".join(clauses), params


def ledger_copy_sql(filters: LedgerFilters) -> tuple[str, list]:
    """The PostgreSQL query the CSV export COPYs out (also what the benchmark compares with)."""
    where, params = _where(filters)
    sql = f"""
        SELECT e.id AS entry_id, t.id AS transaction_id,
               to_char(t.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS posted_at,
               t.kind, t.product_id, i.title AS product, a.member_id,
               coalesce(nullif(u.display_name, ''), u.username) AS member_name,
               a.kind AS account, t.currency,
               {sql_to_major("e.credit - e.debit", "t.currency")} AS amount
        FROM payouts_ledgerentry e
        JOIN payouts_ledgertransaction t ON t.id = e.transaction_id
        JOIN payouts_account a ON a.id = e.account_id
        LEFT JOIN funding_product p ON p.id = t.product_id
        LEFT JOIN ideas_idea i ON i.id = p.idea_id
        LEFT JOIN accounts_user u ON u.id = a.member_id
        {where}
        ORDER BY e.id
    """  # noqa: S608 - only fixed fragments are interpolated; values are parameters
    return sql, params


def ledger_queryset(filters: LedgerFilters) -> QuerySet:
    qs = LedgerEntry.objects.filter(transaction__posted_at__isnull=False)
    if filters.date_from:
        qs = qs.filter(
            transaction__posted_at__gte=datetime.combine(
                filters.date_from, datetime.min.time(), tzinfo=UTC
            )
        )
    if filters.date_to:
        qs = qs.filter(transaction__posted_at__lt=end_of_day(filters.date_to))
    if filters.product_id is not None:
        qs = qs.filter(transaction__product_id=filters.product_id)
    if filters.member_id is not None:
        qs = qs.filter(account__member_id=filters.member_id)
    if filters.account:
        if parse_id(filters.account) is not None:
            qs = qs.filter(account_id=parse_id(filters.account))
        else:
            qs = qs.filter(account__kind=filters.account)
    return qs.order_by("id")


def ledger_rows(filters: LedgerFilters, chunk_size: int = 5000) -> Iterator[list]:
    """The portable path: export rows from a chunked iterator (the same values COPY gives)."""
    qs = ledger_queryset(filters).values_list(
        "id",
        "transaction_id",
        "transaction__posted_at",
        "transaction__kind",
        "transaction__product_id",
        "transaction__product__idea__title",
        "account__member_id",
        Coalesce(
            NullIf(F("account__member__display_name"), Value("")), "account__member__username"
        ),
        "account__kind",
        "transaction__currency",
        "credit",
        "debit",
    )
    for row in qs.iterator(chunk_size=chunk_size):
        (entry, tx, posted, kind, product_id, title, member, name, account, cur, cr, dr) = row
        yield [
            entry,
            tx,
            iso_utc(posted),
            kind,
            product_id,
            title,
            member,
            name,
            account,
            cur,
            to_major(cr - dr, cur),
        ]


def iso_utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """Rows → CSV bytes in ~64 KB chunks ("" for None, like COPY's NULL)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    buffer = [writer.writerow(header)]
    size = 0
    for row in rows:
        line = writer.writerow(["" if v is None else v for v in row])
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def copy_stream(sql: str, params: list) -> Iterator[bytes]:
    """Stream ``COPY (sql) TO STDOUT`` in CSV with a header, in ~64 KB chunks."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor
        # COPY takes no server-side parameters: bind them client-side, safely quoted.
        statement = ClientCursor(raw.connection).mogrify(sql, params) if params else sql
        with raw.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
            buffer, size = [], 0
            for block in copy:
                buffer.append(bytes(block))
                size += len(block)
                if size >= CHUNK_BYTES:
                    yield b"".join(buffer)
                    buffer, size = [], 0
            if buffer:
                yield b"".join(buffer)


def ledger_csv(filters: LedgerFilters) -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        # COPY TO STDOUT streams a million rows several times faster than the ORM iterator.
        sql, params = ledger_copy_sql(filters)
        return copy_stream(sql, params)
    return csv_stream(COLUMNS, ledger_rows(filters))


def xlsx_file(header: list[str], rows: Iterable[list], *, title: str, max_rows: int = 0):
    """Write rows to a temporary XLSX file (write-only mode); a new sheet every ``max_rows``
    rows (header included). Returns the open file, at position 0."""
    max_rows = max_rows or XLSX_MAX_ROWS
    workbook = Workbook(write_only=True)
    sheet, used, number = None, max_rows, 0
    for row in rows:
        if used >= max_rows:
            number += 1
            sheet = workbook.create_sheet(title if number == 1 else f"{title} {number}")
            sheet.append(header)
            used = 1
        assert sheet is not None
        sheet.append(["" if v is None else v for v in row])
        used += 1
    if sheet is None:
        workbook.create_sheet(title).append(header)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


def ledger_xlsx(filters: LedgerFilters, *, max_rows: int = 0):
    return xlsx_file(COLUMNS, ledger_rows(filters), title="Ledger", max_rows=max_rows)


# --- Payout batches and statements -------------------------------------------------------------

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
               coalesce(nullif(u.display_name, ''), u.username) AS member_name,
               'member_payable' AS account, b.currency,
               {sql_to_major("i.amount", "b.currency")} AS amount,
               nullif(b.reference, '') AS reference
        FROM payouts_payoutitem i
        JOIN payouts_payoutbatch b ON b.id = i.batch_id
        JOIN accounts_user u ON u.id = i.member_id
        LEFT JOIN payouts_ledgertransaction t
          ON t.payout_batch_id = b.id AND t.posted_at IS NOT NULL AND b.status = 'paid'
        WHERE i.batch_id = %s
        ORDER BY i.member_id
    """  # noqa: S608 - only fixed fragments are interpolated; values are parameters
    return sql, [batch.pk]


def batch_csv(batch) -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        # COPY, like the ledger: a 100,000-member batch streams without the ORM's per-row cost.
        sql, params = batch_copy_sql(batch)
        return copy_stream(sql, params)
    return csv_stream(BATCH_COLUMNS, batch_rows(batch))


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
            tx.pk if tx else "",
            iso_utc(tx.posted_at) if tx else "",
            "payout",
            "",
            "",
            item.member_id,
            item.member.public_name,
            AccountKind.MEMBER_PAYABLE.value,
            batch.currency,
            to_major(item.amount, batch.currency),
            batch.reference,
        ]


STATEMENT_COLUMNS = ["date", "type", "product", "period", "role", "currency", "amount", "reference"]


def statement_rows(member_id: int) -> Iterator[list]:
    rows = []
    for line in member_shares(member_id=member_id):
        s = line.settlement
        rows.append(
            (
                s.posted_at,
                [
                    iso_utc(s.posted_at),
                    "share",
                    s.product.idea.title,
                    f"{s.period.start} – {s.period.end}",
                    line.role,
                    s.currency,
                    to_major(line.amount, s.currency),
                    f"settlement {s.pk}",
                ],
            )
        )
    for item in member_payouts(member_id=member_id):
        b = item.batch
        rows.append(
            (
                b.paid_at,
                [
                    iso_utc(b.paid_at),
                    "payout",
                    "",
                    "",
                    "",
                    b.currency,
                    to_major(-item.amount, b.currency),
                    b.reference,
                ],
            )
        )
    rows.sort(key=lambda r: r[0] or datetime.min.replace(tzinfo=UTC))
    for _, row in rows:
        yield row


def as_text(chunks: Iterable[bytes]) -> str:
    """Join a byte stream (for tests and small exports)."""
    out = io.BytesIO()
    for chunk in chunks:
        out.write(chunk)
    return out.getvalue().decode()
