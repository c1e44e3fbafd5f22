"""Typed rows → CSV bytes or an XLSX file, cell by cell, the same way for every export.

An export produces rows of plain values: ints (ids), ``Money`` (minor units with a currency),
aware ``datetime``s, ``str`` (anything a person typed, or a kind) and None. The writers decide
how each becomes a cell, so no export can forget a rule:

* every ``str`` goes through ``core.spreadsheet.safe_text`` (a leading ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets an apostrophe: OWASP "CSV injection");
* ``Money`` → CSV: ``core.money.to_major`` ("12.34"); XLSX: a number (``to_decimal``) with the
  currency's number format (``#,##0`` for JPY, ``#,##0.00`` for EUR, ``#,##0.000`` for KWD);
* ``datetime`` → CSV: ISO 8601 in UTC ("2026-01-31T12:00:00Z"); XLSX: a real date-time cell
  in UTC (naive, as Excel needs) formatted ``yyyy-mm-dd hh:mm:ss``;
* None → an empty cell.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import NamedTuple

from django.db import connection
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from psycopg import ClientCursor

from core.money import exponent, to_decimal, to_major
from core.spreadsheet import safe_text

XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header row included
CHUNK_BYTES = 64 * 1024
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"


class Money(NamedTuple):
    """An amount in minor units and its currency: a number cell, never text."""

    amount: int
    currency: str


def amount_format(currency: str) -> str:
    places = exponent(currency)
    return "#,##0." + "0" * places if places else "#,##0"


def iso_utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def csv_cell(value) -> object:
    kind = type(value)
    if kind is str:
        return safe_text(value)
    if kind is Money:
        return to_major(value.amount, value.currency)
    if kind is datetime:
        return iso_utc(value)
    return "" if value is None else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """Rows → CSV bytes in ~64 KB chunks ("" for None, like COPY's NULL)."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    buffer = [writer.writerow(header)]
    size = 0
    for row in rows:
        line = writer.writerow([csv_cell(v) for v in row])
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def copy_stream(sql: str, params: list) -> Iterator[bytes]:
    """Stream ``COPY (sql) TO STDOUT`` in CSV with a header, in ~64 KB chunks. The query must
    do itself what ``csv_cell`` does (``payouts.money.sql_safe_text``, ``sql_to_major``)."""
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


def xlsx_cell(sheet, value):
    kind = type(value)
    if kind is str:
        text = safe_text(value)
        if text not in ERROR_CODES:
            return text
        cell = WriteOnlyCell(sheet, text)
        cell.data_type = "s"  # "#N/A" typed as a title is text, not an error value
        return cell
    if kind is Money:
        cell = WriteOnlyCell(sheet, to_decimal(value.amount, value.currency))
        cell.number_format = amount_format(value.currency)
        return cell
    if kind is datetime:
        cell = WriteOnlyCell(sheet, value.astimezone(UTC).replace(tzinfo=None))
        cell.number_format = DATE_FORMAT
        return cell
    return value


def xlsx_file(header: list[str], rows: Iterable[list], *, title: str, max_rows: int = 0):
    """Write rows to a temporary XLSX file (write-only mode: rows go to disk as they come); a
    new sheet every ``max_rows`` rows (header included). Returns the open file, at 0."""
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
        sheet.append([xlsx_cell(sheet, v) for v in row])
        used += 1
    if sheet is None:
        workbook.create_sheet(title).append(header)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


def as_text(chunks: Iterable[bytes]) -> str:
    """Join a byte stream (for tests and small exports)."""
    out = io.BytesIO()
    for chunk in chunks:
        out.write(chunk)
    return out.getvalue().decode()
