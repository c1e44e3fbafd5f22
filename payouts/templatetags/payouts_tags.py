from django import template

from payouts import selectors
from payouts.money import to_major

register = template.Library()


@register.filter
def major(amount, currency: str = "") -> str:
    """Minor units → "1234.56 EUR" (decimal string, never a float)."""
    if amount is None or amount == "":
        return "—"
    text = to_major(int(amount), currency or "EUR")
    whole, _, cents = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}".replace(",", "\u202f")
    return f"{sign}{whole}{'.' + cents if cents else ''} {currency}".strip()


@register.simple_tag
def product_settlements(product):
    """The product's settlement history, newest period first (for the product page)."""
    return list(selectors.product_settlement_history(product_id=product.pk)[:24])
