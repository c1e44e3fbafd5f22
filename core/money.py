"""Money at the edges: integer minor units ↔ decimal strings. Never a float.

Amounts live in the database and the API as integers in the currency's minor units; pages and
exports turn them into decimal strings here, and forms that take major units turn them back.
"""

from decimal import Decimal

# ISO 4217 minor-unit exponents that are not 2; every other currency has cents.
EXPONENTS: dict[str, int] = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3}


def exponent(currency: str) -> int:
    return EXPONENTS.get((currency or "").upper(), 2)


def minor_per_major(currency: str) -> int:
    """100 for EUR, 1 for JPY, 1000 for KWD."""
    return 10 ** exponent(currency)


def to_major(amount: int, currency: str) -> str:
    """1234, "EUR" → "12.34"; -5 → "-0.05"; 1234, "JPY" → "1234"."""
    return str(Decimal(int(amount)).scaleb(-exponent(currency)))


def format_money(amount, currency: str = "", *, group: str = ",", empty: str = "") -> str:
    """Minor units → "1,234.50 EUR" for people: grouped thousands, the currency's decimals.

    ``group`` separates thousands; ``empty`` is shown for a missing amount.
    """
    if amount is None or amount == "":
        return empty
    whole, _, fraction = to_major(int(amount), currency).partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", group)
    return f"{sign}{grouped}{'.' + fraction if fraction else ''} {currency}".strip()
