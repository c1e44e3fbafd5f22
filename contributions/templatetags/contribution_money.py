"""``{{ amount|minor_to_major:currency }}``: integer minor units → "1,234.50 EUR" for pages."""

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def minor_to_major(amount, currency: str = "") -> str:
    return format_money(amount, currency, empty="—")
