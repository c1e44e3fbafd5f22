from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = "Contributions"

    def ready(self) -> None:
        # Imported here, not at the top: services import models, which load only after apps.
        from funding.hooks import pledge_funded

        from .services import contribution_record_funding

        pledge_funded.connect(contribution_record_funding)
