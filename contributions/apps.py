from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = "Contributions"

    def ready(self) -> None:
        # Imported here, not at the top: services import models, which load only after apps.
        from funding.hooks import pledge_funded, pledge_unpaid
        from ideas.hooks import suggestion_adopted

        from . import phrases  # noqa: F401  (declares the words it writes into claims)
        from .models import ContributionKind
        from .services import (
            contribution_claim,
            contribution_record_funding,
            contribution_withdraw_funding,
        )

        # The seams through which ideas and funding reach contributions without importing it.
        suggestion_adopted.connect(
            lambda **kw: contribution_claim(kind=ContributionKind.SUGGESTION, **kw)
        )
        pledge_funded.connect(contribution_record_funding)
        pledge_unpaid.connect(contribution_withdraw_funding)
