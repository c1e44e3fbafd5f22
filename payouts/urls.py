from django.urls import path

from . import views

app_name = "payouts"
urlpatterns = [
    path("finance/", views.finance_console, name="finance"),
    path("finance/settlements/<int:settlement_id>/", views.settlement_page, name="settlement"),
    path("me/earnings/", views.earnings_page, name="earnings"),
    path("me/earnings/statement.csv", views.earnings_statement, name="earnings-statement"),
]
