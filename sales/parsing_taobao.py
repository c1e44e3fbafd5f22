"""Reading Taobao/Tmall's seller order report (订单报表, ``ExportOrderList….csv``) row by row.

Taobao does not document this report publicly; its header is the one public tools read and
write (docs/sales-import.md names them). One row per order, GBK-encoded as the seller centre
writes it (UTF-8, with or without a byte-order mark, is read too: ``taobao_encoding``), amounts
in yuan with two decimals, times in China time (``2026-03-01 12:34:56``). Pure parsing like
``sales.parsing``: a bad row raises ``RowError`` with its row number, a code and parameters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from datetime import date

from .parsing import Line, RefundMark, RowError, _header, _quantity, _text, csv_rows, to_minor

TAOBAO_CURRENCY = "CNY"
TAOBAO_PLACES = 2  # yuan and fen
# The columns we read, by name (the report has some forty more, their order varies by year).
TAOBAO_COLUMNS = (
    "订单编号",  # order number
    "买家应付货款",  # goods payable
    "买家应付邮费",  # postage payable
    "买家实际支付金额",  # what the buyer really paid (goods + postage − coupons, points …)
    "订单状态",  # order status
    "订单付款时间",  # payment time (China time)
    "宝贝总数量",  # number of items
    "卖家服务费",  # the seller's service fee (Tmall's commission)
)
UNPAID = "等待买家付款"  # waiting for the buyer's payment
CLOSED = "交易关闭"  # closed: never paid, or refunded in full
# The first bytes looked at to tell UTF-8 from GBK (the header row is in them).
ENCODING_PROBE = 64 * 1024
_TIME = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", re.ASCII
)


def taobao_encoding(head: bytes) -> str:
    """The report's encoding from its first bytes: UTF-8 when they are UTF-8 (a byte-order
    mark or a character cut at the end of ``head`` allowed), else GB18030 (a superset of the
    GBK the seller centre writes)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def order_number(text: str) -> str:
    """``="1234567890123456"``, ``'1234…`` or a tab before it (written so spreadsheets keep
    every digit) → ``1234567890123456``."""
    value = text.strip().lstrip("'").strip()
    if value.startswith("="):
        value = value[1:].strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value.strip()


def china_day(text: str, *, row: int, column: str) -> date:
    """``2026-03-01 12:34:56`` (China time) → its day, 2026-03-01, as the seller saw it."""
    raw = text.strip()
    found = _TIME.fullmatch(raw)
    try:
        if found is None:
            raise ValueError(raw)
        year, month, day, hour, minute, second = (int(part or 0) for part in found.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(raw)
        return date(year, month, day)
    except ValueError:
        raise RowError(row, "bad_time", column=column, value=raw[:40]) from None


def _amount(cells: list[str], at: dict[str, int], column: str, row: int, *, blank_is_zero=False):
    text = cells[at[column]].strip()
    if not text:
        if blank_is_zero:
            return 0
        raise RowError(row, "empty", column=column)
    return to_minor(text, TAOBAO_PLACES, row=row, column=column)


def taobao_lines(
    text_lines: Iterable[str], *, places: int = TAOBAO_PLACES
) -> Iterator[tuple[int, Line | RefundMark]]:
    """Per paid order: a sale line dated the day it was paid. gross = 买家应付货款 (the goods:
    postage, like Shopify's shipping, is not the product's revenue); discounts = what of the
    goods the buyer did not pay (买家应付货款 − (买家实际支付金额 − 买家应付邮费)) when above
    zero; channel fees = 卖家服务费. An order 交易关闭 after payment was refunded in full: its
    sale line and a ``RefundMark`` for the goods paid, which the import turns into one refund
    line (importing the report again adds nothing). Unpaid orders (等待买家付款, or 交易关闭
    without a payment time) brought no money and are skipped. ``places`` is CNY's, always."""
    reader = csv_rows(text_lines)
    at = _header(reader, TAOBAO_COLUMNS)
    width = max(at[column] for column in TAOBAO_COLUMNS) + 1
    for row, cells in enumerate(reader, start=2):
        if not cells or cells == [""]:
            continue
        if len(cells) < width:
            raise RowError(row, "short_row", expected=width, found=len(cells))
        order = _text(order_number(cells[at["订单编号"]]), row=row, column="订单编号", limit=100)
        status = cells[at["订单状态"]].strip()
        paid_at = cells[at["订单付款时间"]].strip()
        if status == UNPAID or (status == CLOSED and not paid_at):
            continue
        if not paid_at:
            raise RowError(row, "taobao_not_paid", order=order[:40], status=status[:40])
        line = _sale(cells, at, row, order, china_day(paid_at, row=row, column="订单付款时间"))
        yield row, line
        if status == CLOSED and line.gross > line.discounts:
            yield row, RefundMark(row, order, line.gross - line.discounts, TAOBAO_CURRENCY)


def _sale(cells: list[str], at: dict[str, int], row: int, order: str, day: date) -> Line:
    goods = _amount(cells, at, "买家应付货款", row)
    postage = _amount(cells, at, "买家应付邮费", row, blank_is_zero=True)
    paid = _amount(cells, at, "买家实际支付金额", row)
    goods_paid = max(0, paid - postage)
    return Line(
        order_id=order,
        date=day,
        channel="taobao",
        quantity=_quantity(cells[at["宝贝总数量"]], row=row, column="宝贝总数量"),
        gross=goods,
        discounts=max(0, goods - goods_paid),
        refunds=0,
        channel_fees=_amount(cells, at, "卖家服务费", row, blank_is_zero=True),
        currency=TAOBAO_CURRENCY,
    )
