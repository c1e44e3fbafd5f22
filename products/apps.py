from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """A funded idea's life as a product: its stages and milestones, its team, the raised money
    as the product's own funds (budget, expenses with receipts, four eyes) and the backers'
    protection (abandonment and pro-rata refunds). Reads funding, payouts (the ledger) and
    community (creator updates, followers); payments and sales build on it."""

    name = "products"
    verbose_name = "Products"

    def ready(self) -> None:
        from funding.hooks import payment_received

        from .money.services.ledger import funds_collect

        payment_received.connect(funds_collect)
