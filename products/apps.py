from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """A funded idea's life as a product: its stages and milestones, its team, the raised money
    as the product's own funds (budget, expenses with receipts, four eyes) and the backers'
    protection (abandonment and pro-rata refunds). Reads funding, payouts (the ledger) and
    community (creator updates, followers); payments and sales build on it."""

    name = "products"
    verbose_name = "Products"

    def ready(self) -> None:
        # products composes the product page's panels (contributions renders the page) and the
        # idea page's progress strip (ideas renders it); neither imports products.
        from contributions.hooks import product_life_box
        from ideas.hooks import idea_product_strip

        from . import pages

        product_life_box.connect(pages.product_box)
        idea_product_strip.connect(pages.idea_strip)

        from funding.hooks import payment_received

        from .money.services.ledger import funds_collect

        payment_received.connect(funds_collect)
