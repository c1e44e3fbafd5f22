from django import template

from payouts import selectors

register = template.Library()


@register.simple_tag
def product_settlements(product):
    """The product's settlement history, newest period first (for the product page)."""
    return list(selectors.product_settlement_history(product_id=product.pk)[:24])
