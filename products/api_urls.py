from django.urls import path

from . import api

urlpatterns = [
    path("products/<id:product_id>/team/", api.ProductTeamApi.as_view(), name="product-team"),
]
