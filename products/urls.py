from django.urls import path

from . import views
from .money import views as money

app_name = "products"
W = "products/<id:product_id>/workspace/"
urlpatterns = [
    path(W, views.workspace, name="workspace"),
    path(f"{W}stage/", views.stage_move, name="stage"),
    path(f"{W}milestones/", views.milestone_new, name="milestone-new"),
    path(f"{W}milestones/<id:milestone_id>/done/", views.milestone_done, name="milestone-done"),
    path(f"{W}team/", views.team_add, name="team-add"),
    path(f"{W}abandon/", views.abandon_ask, name="abandon"),
    path(f"{W}abandon/confirm/", views.abandon_confirm, name="abandon-confirm"),
    # The money half: an expense submitted by the team, finance's queue and its decisions.
    path("products/<id:product_id>/expenses/new/", money.expense_new, name="expense-new"),
    path("finance/expenses/", money.finance_expenses, name="finance-expenses"),
    path(
        "finance/expenses/<id:expense_id>/<slug:action>/",
        money.expense_act,
        name="expense-act",
    ),
]
