"""``{{ amount|minor_to_major:currency }}``: integer minor units → "1,234.50 EUR" for pages."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()

# ISO 4217 minor-unit exponents that are not 2; every other currency has cents.
_EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3}


@register.filter
def minor_to_major(amount, currency: str = "") -> str:
    if amount is None:
        return "—"
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    exp = _EXPONENTS.get((currency or "").upper(), 2)
    if exp == 0:
        text = intcomma(amount)
    else:
        whole, frac = divmod(amount, 10**exp)
        text = f"{intcomma(whole)}.{frac:0{exp}d}"
    return f"{sign}{text} {currency}".strip()
