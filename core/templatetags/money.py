from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    """Minor units → "1,234.50 EUR" in the reader's number locale; "—" for no amount."""
    return format_money(amount, currency, empty="—")
