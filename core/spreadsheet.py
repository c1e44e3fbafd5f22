"""Cells that a spreadsheet will not run.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (OWASP "CSV injection"). Every text cell of every
export goes through ``safe_text``, which prefixes such a value with an apostrophe: the reader
sees the text as typed, and nothing runs. Amounts and dates are not text: exports write them as
numbers and dates, never through this function.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """A user-supplied value as a text cell that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
