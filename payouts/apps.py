from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = "Payouts"

    def ready(self) -> None:
        from contributions.hooks import points_approved, product_settlements

        from . import (
            destinations,  # noqa: F401 - registers the deploy check on its keys
            selectors,
        )
        from .exports import sepa  # noqa: F401 - registers the deploy check on the debtor
        from .services.ledger import payable_account_open

        points_approved.connect(payable_account_open)
        product_settlements.connect(selectors.product_settlements_shown)
