from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from funding.payments import register

        from .stripe_adapter import StripePaymentAdapter

        register("stripe", StripePaymentAdapter)
