from django import template

from core.money import format_money
from payouts import selectors

register = template.Library()


@register.filter
def major(amount, currency: str = "") -> str:
    """Minor units → "1,234.56 EUR" in the reader's number locale (core.money.format_money)."""
    return format_money(amount, currency, empty="—")


@register.simple_tag
def product_settlements(product):
    """The product's settlement history, newest period first (for the product page)."""
    return list(selectors.product_settlement_history(product_id=product.pk)[:24])
