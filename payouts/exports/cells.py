"""Typed rows → CSV bytes or an XLSX file, cell by cell, the same way for every export.

An export produces rows of plain values: ints (ids), ``Money`` (minor units with a currency),
aware ``datetime``s, ``str`` (anything a person typed, or a kind) and None. The writers decide
how each becomes a cell, so no export can forget a rule:

* every ``str`` → CSV: through ``core.spreadsheet.safe_text`` (a leading ``=``, ``+``, ``-``,
  ``@``, tab or carriage return gets an apostrophe: OWASP "CSV injection"); XLSX: a string-typed
  cell exactly as typed (a spreadsheet never evaluates a string cell, so no apostrophe shows);
* ``Money`` → CSV: ``core.money.to_major`` ("12.34"); XLSX: a number (``to_decimal``) with the
  currency's number format (``#,##0`` for JPY, ``#,##0.00`` for EUR, ``#,##0.000`` for KWD);
* ``datetime`` → CSV: ISO 8601 in UTC ("2026-01-31T12:00:00Z"); XLSX: a real date-time cell
  in UTC (naive, as Excel needs) formatted ``yyyy-mm-dd hh:mm:ss``;
* None → an empty cell.

CSV files begin with a UTF-8 byte order mark (``BOM``): without it Excel reads them in the
system's code page and garbles Chinese and accented names.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import NamedTuple

import xlsxwriter
from django.db import connection
from psycopg import ClientCursor
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from core.money import exponent, to_decimal, to_major
from core.spreadsheet import safe_text

XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header row included
CHUNK_BYTES = 64 * 1024
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
BOM = "\ufeff"


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
    """Rows → CSV bytes in ~64 KB chunks ("" for None, like COPY's NULL), after a BOM."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    buffer = [BOM, writer.writerow(header)]
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
    yield BOM.encode()
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


class _XlsxWriter:
    """One workbook written row by row (xlsxwriter's constant-memory mode: each row goes to
    disk once the next begins), a new sheet every ``max_rows`` rows, header included."""

    def __init__(self, handle, header: list[str], *, title: str, max_rows: int):
        # Text stays text: never turned into a number, a formula or a link behind our back.
        self.book = xlsxwriter.Workbook(
            handle,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.header, self.title, self.max_rows = header, title, max_rows
        self.formats: dict[str, Format] = {}
        self.sheet: Worksheet | None = None
        self.used, self.number = max_rows, 0

    def _format(self, spec: str) -> Format:
        if spec not in self.formats:
            self.formats[spec] = self.book.add_format({"num_format": spec})
        return self.formats[spec]

    def _new_sheet(self) -> Worksheet:
        self.number += 1
        sheet = self.book.add_worksheet(
            self.title if self.number == 1 else f"{self.title} {self.number}"
        )
        for column, name in enumerate(self.header):
            sheet.write_string(0, column, name)
        self.sheet, self.used = sheet, 1
        return sheet

    def append(self, row: list) -> None:
        sheet = self._new_sheet() if self.used >= self.max_rows or not self.sheet else self.sheet
        r = self.used
        for c, value in enumerate(row):
            kind = type(value)
            if kind is str:  # a string cell: "=1+1" or "#N/A" stays text, never evaluated
                sheet.write_string(r, c, value)
            elif kind is Money:
                amount = to_decimal(value.amount, value.currency)
                sheet.write_number(r, c, amount, self._format(amount_format(value.currency)))
            elif kind is datetime:
                moment = value.astimezone(UTC).replace(tzinfo=None)
                sheet.write_datetime(r, c, moment, self._format(DATE_FORMAT))
            elif value is not None:
                sheet.write(r, c, value)
        self.used += 1

    def close(self) -> None:
        if self.sheet is None:
            self._new_sheet()
        self.book.close()


def xlsx_file(header: list[str], rows: Iterable[list], *, title: str, max_rows: int = 0):
    """Write rows to a temporary XLSX file as they are read (never all in memory); a new sheet
    every ``max_rows`` rows (header included). Returns the open file, at 0."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    writer = _XlsxWriter(handle, header, title=title, max_rows=max_rows or XLSX_MAX_ROWS)
    for row in rows:
        writer.append(row)
    writer.close()
    handle.seek(0)
    return handle


def as_text(chunks: Iterable[bytes]) -> str:
    """Join a byte stream (for tests and small exports), without its BOM."""
    out = io.BytesIO()
    for chunk in chunks:
        out.write(chunk)
    return out.getvalue().decode("utf-8-sig")
