from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = "Voting"

    def ready(self) -> None:
        from . import phrases  # noqa: F401  (declares the words of its history lines)
