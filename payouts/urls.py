from django.urls import path

from . import views

app_name = "payouts"
urlpatterns = [
    path("finance/", views.finance_console, name="finance"),
    path("finance/periods/", views.period_record_page, name="period-record"),
    path("finance/periods/<id:period_id>/", views.period_page, name="period"),
    path("finance/periods/<id:period_id>/delete/", views.period_delete_page, name="period-delete"),
    path("finance/settlements/<id:settlement_id>/", views.settlement_page, name="settlement"),
    path(
        "finance/settlements/<id:settlement_id>/discard/",
        views.settlement_discard_page,
        name="settlement-discard",
    ),
    path(
        "finance/settlements/<id:settlement_id>/reverse/",
        views.settlement_reverse_page,
        name="settlement-reverse",
    ),
    path(
        "finance/settlements/<id:settlement_id>/reverse/approve/",
        views.settlement_reverse_approve_page,
        name="settlement-reverse-approve",
    ),
    path("me/earnings/", views.earnings_page, name="earnings"),
    path("me/earnings/destination/", views.destination_page, name="destination"),
    path("me/earnings/statement.csv", views.earnings_statement, name="earnings-statement"),
]
