"""The product page's money panels: the budget (from the ledger) with its chart, and the
expenses (public: amounts, descriptions, payees, dates; receipts for those who may see them)."""

from django.utils.translation import gettext

from payouts import charts

from . import access, selectors

# The chart's parts of what was collected, in this order and these colours.
BUDGET_PARTS = ["spent", "committed", "refunded", "available"]
BUDGET_COLORS = {
    "spent": "#b8401d",
    "committed": "#8e5ea2",
    "refunded": "#3a6ea5",
    "available": "#2e8b57",
}


def budget_chart(budget) -> dict:
    """One stacked bar of what was collected: spent, committed, refunded and available (they
    add up to collected), each with its width and colour."""
    labels = {
        "spent": gettext("Spent"),
        "committed": gettext("Committed"),
        "refunded": gettext("Refunded"),
        "available": gettext("Available"),
    }
    [bar] = charts.stacked_bars([budget.as_dict()], BUDGET_PARTS)
    for part in bar["parts"]:
        part["color"] = BUDGET_COLORS[part["key"]]
        part["label"] = labels[part["key"]]
    return bar


def money_box(*, product, member) -> dict:
    budget = selectors.budget(product=product)
    expenses = list(selectors.product_expenses(product_id=product.pk)[:50])
    return {
        "show": True,
        "product": product,
        "budget": budget,
        "bar": budget_chart(budget),
        "expenses": expenses,
        "sees_receipts": access.sees_receipts(product, member),
        "may_submit": access.manages(product, member),
        "refunds": selectors.product_refunds(product_id=product.pk).exists(),
    }
