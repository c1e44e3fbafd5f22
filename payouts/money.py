"""Minor units ↔ decimal strings, only at the edges (exports, pages). Never a float."""

from decimal import Decimal

# ISO 4217 minor-unit exponents that are not 2; every other currency has cents.
EXPONENTS: dict[str, int] = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "BHD": 3, "KWD": 3}


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency.upper(), 2)


def to_major(amount: int, currency: str) -> str:
    """1234, "EUR" → "12.34"; -5 → "-0.05"."""
    return str(Decimal(int(amount)).scaleb(-exponent(currency)))


def sql_to_major(amount_sql: str, currency_sql: str) -> str:
    """The same conversion in PostgreSQL, for COPY."""
    cases = " ".join(f"WHEN '{cur}' THEN {exp}" for cur, exp in EXPONENTS.items())
    exp = f"(CASE {currency_sql} {cases} ELSE 2 END)"
    return f"round(({amount_sql})::numeric / (10::numeric ^ {exp}), {exp})::text"
