from django.apps import AppConfig


class SalesConfig(AppConfig):
    """A product's profit from records: sales lines (CSV, shop exports, the API), cost lines
    (expenses charged to revenue and approved adjustments), periods computed from them, and the
    public period report anyone can recompute with verify.py."""

    name = "sales"
    verbose_name = "Sales"

    def ready(self) -> None:
        from contributions.hooks import product_money_links
        from payouts import hooks

        from . import pages, selectors

        hooks.period_totals.connect(selectors.period_totals)
        product_money_links.connect(pages.money_links)
