"""Where payouts lets a higher app act (core.hooks): a period's totals come from sales."""

from core.hooks import Hook

period_totals = Hook(
    "payouts.period_totals",
    "period_totals(product=, start=, end=) -> (revenue, costs): a product's revenue and costs "
    "in minor units, computed from the sales and cost lines dated in [start, end] (sales "
    "connects sales.selectors.period_totals). Periods store the answer when recorded, "
    "corrected and closed; the settlement job reads the stored totals.",
)
