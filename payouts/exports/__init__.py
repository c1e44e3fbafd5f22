"""Ledger, payout batch and statement exports (SPEC sections 6 and 9).

* ``ledger``: the ledger, filtered (``LedgerFilters``), as CSV (COPY on PostgreSQL) and XLSX;
* ``batches``: a payout batch as CSV (COPY on PostgreSQL) and XLSX; a member's statement CSV;
* ``cells``: how a typed row becomes CSV or XLSX cells, the same for every export: text through
  ``core.spreadsheet.safe_text`` (nothing a spreadsheet would run), amounts in major units
  through ``core.money`` (decimal strings in CSV; numbers with the currency's format in XLSX),
  times in UTC (ISO 8601 in CSV; date-time cells in XLSX). The COPY queries do the same in SQL
  (``payouts.money``).

CSV is streamed in ~64 KB chunks and XLSX written row by row to a temporary file: a million rows
never sit in memory.
"""

from .batches import (
    BATCH_COLUMNS,
    STATEMENT_COLUMNS,
    batch_copy_sql,
    batch_csv,
    batch_rows,
    batch_xlsx,
    statement_csv,
    statement_rows,
)
from .cells import XLSX_MAX_ROWS, Money, as_text, copy_stream, csv_stream, iso_utc, xlsx_file
from .ledger import (
    COLUMNS,
    LedgerFilters,
    ledger_copy_sql,
    ledger_csv,
    ledger_queryset,
    ledger_rows,
    ledger_xlsx,
)

__all__ = [
    "BATCH_COLUMNS",
    "COLUMNS",
    "STATEMENT_COLUMNS",
    "XLSX_MAX_ROWS",
    "LedgerFilters",
    "Money",
    "as_text",
    "batch_copy_sql",
    "batch_csv",
    "batch_rows",
    "batch_xlsx",
    "copy_stream",
    "csv_stream",
    "iso_utc",
    "ledger_copy_sql",
    "ledger_csv",
    "ledger_queryset",
    "ledger_rows",
    "ledger_xlsx",
    "statement_csv",
    "statement_rows",
    "xlsx_file",
]
