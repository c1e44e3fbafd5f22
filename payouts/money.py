"""The SQL twins of the export conversions, for exports that PostgreSQL writes itself (COPY).

``sql_to_major`` is ``core.money.to_major`` and ``sql_safe_text`` is
``core.spreadsheet.safe_text``, written as SQL expressions; both are built from the same
constants as their Python originals, and tests/payouts/test_exports.py checks that the COPY
export and the portable one give the same bytes.
"""

from core.money import EXPONENTS, to_major
from core.spreadsheet import FORMULA_STARTS

__all__ = ["sql_safe_text", "sql_to_major", "to_major"]

# Code points of the characters a spreadsheet reads as the start of a formula; all are below
# "A", so a text that starts with a letter is decided by one comparison.
_FORMULA_CODES = ", ".join(str(ord(c)) for c in sorted(FORMULA_STARTS))
_ABOVE_ALL = max(ord(c) for c in FORMULA_STARTS) + 1


def sql_to_major(amount_sql: str, currency_sql: str) -> str:
    """``core.money.to_major`` in PostgreSQL, for COPY."""
    cases = " ".join(f"WHEN '{cur}' THEN {exp}" for cur, exp in EXPONENTS.items())
    exp = f"(CASE {currency_sql} {cases} ELSE 2 END)"
    return f"round(({amount_sql})::numeric / (10::numeric ^ {exp}), {exp})::text"


def sql_safe_text(text_sql: str) -> str:
    """``core.spreadsheet.safe_text`` in PostgreSQL, for COPY: a text that begins with a formula
    character gets an apostrophe in front; NULL stays NULL (an empty cell, like the Python
    path's None). ``ascii()`` is the first character's code point, without building a
    substring per row; the ``<`` guard lets a text that starts with a letter skip the list."""
    return (
        f"(CASE WHEN ascii({text_sql}) < {_ABOVE_ALL} AND ascii({text_sql}) IN ({_FORMULA_CODES}) "
        f"THEN '''' || ({text_sql}) ELSE ({text_sql}) END)"
    )
