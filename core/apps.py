from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import money  # noqa: F401 - registers the check on CURRENCIES
        from .converters import IdConverter
        from .observability import checks  # noqa: F401 - registers the check on METRICS_TOKEN

        # Before any URLconf is read (apps are ready before the first request resolves).
        register_converter(IdConverter, "id")
