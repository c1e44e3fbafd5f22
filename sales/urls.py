from django.urls import path

from . import views

app_name = "sales"
urlpatterns = [
    path("verify.py", views.verify_py, name="verify-py"),
    path("products/<id:product_id>/profit/", views.product_profit, name="product-profit"),
    path("products/<id:product_id>/sales/", views.product_sales, name="product-sales"),
    path(
        "products/<id:product_id>/sales/upload/",
        views.product_sales_upload,
        name="product-sales-upload",
    ),
    path(
        "products/<id:product_id>/adjustments/",
        views.product_adjustment_propose,
        name="product-adjustment-propose",
    ),
    path(
        "adjustments/<id:adjustment_id>/approve/",
        views.adjustment_approve_view,
        name="adjustment-approve",
    ),
]
