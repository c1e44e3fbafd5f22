from django.urls import path

from . import api, api_decisions

urlpatterns = [
    path("products/", api.ProductListApi.as_view(), name="api-products"),
    # products/<id>/ itself is products.api.ProductApi (its life composed onto this detail).
    path(
        "products/<id:product_id>/contributions/",
        api.ProductContributionsApi.as_view(),
        name="api-product-contributions",
    ),
    path("contributions/", api.ContributionClaimApi.as_view(), name="api-contributions"),
    path(
        "contributions/<id:contribution_id>/",
        api_decisions.ContributionDetailApi.as_view(),
        name="api-contribution",
    ),
    path(
        "contributions/<id:contribution_id>/endorse/",
        api_decisions.ContributionEndorseApi.as_view(),
        name="api-contribution-endorse",
    ),
    path(
        "contributions/<id:contribution_id>/approve/",
        api_decisions.ContributionApproveApi.as_view(),
        name="api-contribution-approve",
    ),
    path(
        "contributions/<id:contribution_id>/reject/",
        api_decisions.ContributionRejectApi.as_view(),
        name="api-contribution-reject",
    ),
]
