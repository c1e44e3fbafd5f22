from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        # funding composes the funding parts of the idea pages, which ideas renders.
        from ideas import hooks

        from . import pages, payees  # noqa: F401  (payees registers its system check)

        hooks.idea_funding_box.connect(pages.funding_box)
        hooks.idea_cards.connect(pages.cards_with_funding)
