from django.urls import path

from . import views, webhooks

app_name = "payments"
urlpatterns = [
    path("finance/payments/", views.payments_page, name="finance"),
    path("finance/payments/outstanding.csv", views.outstanding_csv, name="outstanding"),
    path(
        "finance/payments/<id:payment_id>/confirm/",
        views.payment_confirm_page,
        name="confirm",
    ),
    path("finance/payments/<id:payment_id>/refuse/", views.payment_refuse_page, name="refuse"),
    path("payments/pledges/<id:pledge_id>/card/", views.save_method, name="save_method"),
    path("payments/pledges/<id:pledge_id>/card/saved/", views.method_saved, name="method_saved"),
    path("payments/<id:payment_id>/pay/", views.pay, name="pay"),
    path("payments/<id:payment_id>/paid/", views.paid, name="paid"),
    path("payments/stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
]
