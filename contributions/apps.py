from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "contributions"
    verbose_name = "Contributions"

    def ready(self) -> None:
        from ideas.hooks import suggestion_adopted  # apps are loaded only now

        from .models import ContributionKind
        from .services import contribution_claim

        suggestion_adopted.connect(
            lambda **kw: contribution_claim(kind=ContributionKind.SUGGESTION, **kw)
        )
