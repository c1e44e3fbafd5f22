from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        # funding composes the funding parts of the idea pages, which ideas renders.
        from ideas import hooks

        from . import pages, payees, phrases  # noqa: F401  (payees: its check; phrases: words)

        hooks.idea_funding_box.connect(pages.funding_box)
        hooks.idea_cards.connect(pages.cards_with_funding)
