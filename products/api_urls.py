from django.urls import path

from . import api

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
]
