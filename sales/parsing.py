"""Reading sales files row by row: the platform's CSV (docs/sales-import.md) and Shopify's
orders export. Pure parsing, one row in memory at a time; a bad row raises ``RowError`` with
its row number (the header is row 1), a code and its parameters (``sales.messages`` words them).

Amounts are written in major units with a point (``12.50``); they become integers in the
currency's minor units without a float (``to_minor``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

MAX_AMOUNT = 10**15  # minor units: far beyond any order, far below BIGINT
PLATFORM_COLUMNS = (
    "order_id",
    "date",
    "channel",
    "quantity",
    "gross",
    "discounts",
    "refunds",
    "channel_fees",
    "currency",
)
PLATFORM_OPTIONAL = ("kind", "ref")
# Shopify's orders export: the columns we read (the file has some seventy more).
SHOPIFY_COLUMNS = (
    "Name",
    "Financial Status",
    "Currency",
    "Subtotal",
    "Discount Amount",
    "Created at",
    "Lineitem quantity",
    "Refunded Amount",
)
# Orders in these financial states brought money in; pending, authorized, voided and expired
# ones did not (yet), and are left out.
SHOPIFY_MONEY_STATES = {"paid", "partially_paid", "partially_refunded", "refunded"}


class RowError(Exception):
    def __init__(self, row: int, code: str, **params) -> None:
        super().__init__(code)
        self.row = row
        self.code = code
        self.params = params


@dataclass(slots=True)
class Line:
    """One sales line as read from a file (amounts in minor units)."""

    order_id: str
    date: date
    channel: str
    quantity: int
    gross: int
    discounts: int
    refunds: int
    channel_fees: int
    currency: str
    kind: str = "sale"
    ref: str = ""


@dataclass(slots=True)
class RefundMark:
    """An order whose refunded amount has reached ``refunded`` (cumulative): Shopify's
    Refunded Amount, or a Taobao order closed after payment (``sales.parsing_taobao``)."""

    row: int
    order_id: str
    refunded: int
    currency: str


def to_minor(text: str, places: int, *, row: int, column: str) -> int:
    """``"12.50"`` → 1250 for a two-decimal currency; refuses anything else with the row."""
    raw = text.strip()
    whole, dot, fraction = raw.partition(".")
    if whole.startswith("-") or not (whole.isdigit() or (dot and whole == "")):
        raise RowError(row, "bad_amount", column=column, value=raw[:40], places=places)
    if fraction and not fraction.isdigit() or len(fraction) > places or (dot and not fraction):
        raise RowError(row, "bad_amount", column=column, value=raw[:40], places=places)
    if not (whole.isascii() and fraction.isascii()):
        raise RowError(row, "bad_amount", column=column, value=raw[:40], places=places)
    value = int(whole or "0") * 10**places + int((fraction or "0").ljust(places, "0") or "0")
    if value > MAX_AMOUNT:
        raise RowError(row, "bad_amount", column=column, value=raw[:40], places=places)
    return value


def _date(text: str, *, row: int, column: str) -> date:
    raw = text.strip()
    try:
        return date.fromisoformat(raw[:10]) if len(raw) >= 10 else date.fromisoformat(raw)
    except ValueError:
        raise RowError(row, "bad_date", column=column, value=raw[:40]) from None


def _quantity(text: str, *, row: int, column: str) -> int:
    raw = text.strip()
    if not raw.isdigit() or not raw.isascii() or len(raw) > 9:
        raise RowError(row, "bad_quantity", column=column, value=raw[:40])
    return int(raw)


def _text(value: str, *, row: int, column: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise RowError(row, "empty", column=column)
    if len(value) > limit:
        raise RowError(row, "too_long", column=column, limit=limit)
    return value


def _header(reader: Iterator[list[str]], needed: Iterable[str]) -> dict[str, int]:
    try:
        names = next(reader)
    except StopIteration:
        raise RowError(1, "empty_file") from None
    if names and names[0].startswith("\ufeff"):  # a byte-order mark, as spreadsheets write
        names[0] = names[0][1:]
    index = {name.strip(): i for i, name in enumerate(names)}
    for column in needed:
        if column not in index:
            raise RowError(1, "missing_column", column=column)
    return index


def csv_rows(text_lines: Iterable[str]) -> Iterator[list[str]]:
    return csv.reader(text_lines)


def platform_lines(text_lines: Iterable[str], *, places: int) -> Iterator[tuple[int, Line]]:
    """The platform's CSV: one sales line per row (docs/sales-import.md)."""
    reader = csv_rows(text_lines)
    index = _header(reader, PLATFORM_COLUMNS)
    kind_at, ref_at = index.get("kind"), index.get("ref")
    cols = [index[c] for c in PLATFORM_COLUMNS]
    width = max(cols) + 1
    for row_number, cells in enumerate(reader, start=2):
        if not cells or cells == [""]:
            continue
        if len(cells) < width:
            raise RowError(row_number, "short_row", expected=width, found=len(cells))
        order_id, day, channel, qty, gross, disc, refunds, fees, currency = (cells[i] for i in cols)
        kind = (
            cells[kind_at].strip().lower() if kind_at is not None and kind_at < len(cells) else ""
        )
        if kind not in ("", "sale", "refund"):
            raise RowError(row_number, "bad_kind", value=kind[:40])
        yield (
            row_number,
            Line(
                order_id=_text(order_id, row=row_number, column="order_id", limit=100),
                date=_date(day, row=row_number, column="date"),
                channel=_text(channel, row=row_number, column="channel", limit=40),
                quantity=_quantity(qty, row=row_number, column="quantity"),
                gross=to_minor(gross, places, row=row_number, column="gross"),
                discounts=to_minor(disc, places, row=row_number, column="discounts"),
                refunds=to_minor(refunds, places, row=row_number, column="refunds"),
                channel_fees=to_minor(fees, places, row=row_number, column="channel_fees"),
                currency=currency.strip().upper(),
                kind=kind or "sale",
                ref=cells[ref_at].strip()[:60]
                if ref_at is not None and ref_at < len(cells)
                else "",
            ),
        )


def shopify_lines(
    text_lines: Iterable[str], *, places: int
) -> Iterator[tuple[int, Line | RefundMark]]:
    """Shopify's orders export: one row per line item, the order's totals on its first row.

    Per order that brought money in: a sale line (gross = Subtotal + Discount Amount, the items
    before discounts; shipping and taxes are not the product's revenue; Shopify's file has no
    fees) and, when Refunded Amount is above zero, a ``RefundMark`` the import turns into a
    refund line for what is new since the last import."""
    reader = csv_rows(text_lines)
    index = _header(reader, SHOPIFY_COLUMNS)
    at = {c: index[c] for c in SHOPIFY_COLUMNS}
    width = max(at.values()) + 1
    current: Line | None = None
    current_row = 0
    refund: RefundMark | None = None
    for row_number, cells in enumerate(reader, start=2):
        if not cells or cells == [""]:
            continue
        if len(cells) < width:
            raise RowError(row_number, "short_row", expected=width, found=len(cells))
        name = _text(cells[at["Name"]], row=row_number, column="Name", limit=100)
        if current is not None and name == current.order_id:
            current.quantity += _quantity(
                cells[at["Lineitem quantity"]], row=row_number, column="Lineitem quantity"
            )
            continue
        if current is not None:
            yield from _order_done(current_row, current, refund)
        current, refund, current_row = _order_first_row(cells, at, row_number, name, places)
    if current is not None:
        yield from _order_done(current_row, current, refund)


def _order_done(row: int, line: Line, refund: RefundMark | None):
    if line.kind == "skip":
        return
    yield row, line
    if refund is not None:
        yield row, refund


def _order_first_row(cells, at, row: int, name: str, places: int):
    status = cells[at["Financial Status"]].strip().lower()
    if not status:
        raise RowError(row, "shopify_not_first_row", order=name[:40])
    currency = cells[at["Currency"]].strip().upper()
    subtotal = to_minor(cells[at["Subtotal"]], places, row=row, column="Subtotal")
    discount_text = cells[at["Discount Amount"]].strip()
    discount = (
        to_minor(discount_text, places, row=row, column="Discount Amount") if discount_text else 0
    )
    refunded_text = cells[at["Refunded Amount"]].strip()
    refunded = (
        to_minor(refunded_text, places, row=row, column="Refunded Amount") if refunded_text else 0
    )
    line = Line(
        order_id=name,
        date=_date(cells[at["Created at"]], row=row, column="Created at"),
        channel="shopify",
        quantity=_quantity(cells[at["Lineitem quantity"]], row=row, column="Lineitem quantity"),
        gross=subtotal + discount,
        discounts=discount,
        refunds=0,
        channel_fees=0,
        currency=currency,
        kind="sale" if status in SHOPIFY_MONEY_STATES else "skip",
    )
    # Refunds beyond the items (shipping, taxes) are not the product's: capped at the subtotal.
    mark = RefundMark(row, name, min(refunded, subtotal), currency) if refunded else None
    return line, mark, row
