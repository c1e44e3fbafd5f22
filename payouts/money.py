"""Minor units → decimal strings inside PostgreSQL, for exports through COPY.

The Python side of the same conversion is ``core.money``.
"""

from core.money import EXPONENTS, to_major

__all__ = ["sql_to_major", "to_major"]


def sql_to_major(amount_sql: str, currency_sql: str) -> str:
    """``core.money.to_major`` in PostgreSQL, for COPY."""
    cases = " ".join(f"WHEN '{cur}' THEN {exp}" for cur, exp in EXPONENTS.items())
    exp = f"(CASE {currency_sql} {cases} ELSE 2 END)"
    return f"round(({amount_sql})::numeric / (10::numeric ^ {exp}), {exp})::text"
