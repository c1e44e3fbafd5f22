from django.urls import path

from . import api
from .money import api as money

P = "products/<id:product_id>/"

urlpatterns = [
    # The product's detail is composed here (contributions' table + the product's life).
    path(P, api.ProductApi.as_view(), name="api-product"),
    path(f"{P}team/", api.ProductTeamApi.as_view(), name="product-team"),
    path(f"{P}milestones/", api.ProductMilestonesApi.as_view(), name="product-milestones"),
    path(
        f"{P}milestones/<id:milestone_id>/",
        api.ProductMilestoneApi.as_view(),
        name="product-milestone",
    ),
    path(f"{P}abandon/", api.ProductAbandonApi.as_view(), name="product-abandon"),
    path(
        f"{P}abandon/confirm/",
        api.ProductAbandonConfirmApi.as_view(),
        name="product-abandon-confirm",
    ),
    # The money half: budget, expenses (four eyes), refunds after an abandonment.
    path(f"{P}budget/", money.ProductBudgetApi.as_view(), name="product-budget"),
    path(f"{P}expenses/", money.ProductExpensesApi.as_view(), name="product-expenses"),
    path(f"{P}refunds/", money.ProductRefundsApi.as_view(), name="product-refunds"),
]
E = "expenses/<id:expense_id>/"
urlpatterns += [
    path(f"{E}approve/", money.ExpenseApproveApi.as_view(), name="expense-approve"),
    path(f"{E}reject/", money.ExpenseRejectApi.as_view(), name="expense-reject"),
    path(f"{E}mark-paid/", money.ExpenseMarkPaidApi.as_view(), name="expense-mark-paid"),
    path(f"{E}receipt/", money.ExpenseReceiptApi.as_view(), name="expense-receipt"),
    path(
        "refunds/<id:refund_id>/confirm/", money.RefundConfirmApi.as_view(), name="refund-confirm"
    ),
]
