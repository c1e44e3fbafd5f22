"""``{{ amount|minor_to_major:currency }}``: integer minor units → "1,234.50 EUR" for pages."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()

# ISO 4217 currencies without minor units; everything else here has two decimals.
_ZERO_DECIMAL = {"JPY", "KRW", "ISK", "CLP", "VND"}


@register.filter
def minor_to_major(amount, currency: str = "") -> str:
    if amount is None:
        return "—"
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if currency.upper() in _ZERO_DECIMAL:
        text = intcomma(amount)
    else:
        text = f"{intcomma(amount // 100)}.{amount % 100:02d}"
    return f"{sign}{text} {currency}".strip()
