from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.urls import register_converter
        from django.utils.module_loading import autodiscover_modules

        from . import money  # noqa: F401 - registers the check on CURRENCIES
        from .converters import IdConverter
        from .observability import checks  # noqa: F401 - registers the check on METRICS_TOKEN

        # Before any URLconf is read (apps are ready before the first request resolves).
        register_converter(IdConverter, "id")
        # Every app's phrases (core.phrases): the words of what the platform stores as codes.
        autodiscover_modules("phrases")
