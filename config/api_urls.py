"""Everything under /api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("ideas.api_urls")),
    path("", include("voting.api_urls")),
    path("", include("funding.api_urls")),
    path("", include("contributions.api_urls")),
    path("", include("payouts.api_urls")),
    path("", include("community.api_urls")),
    path("", include("products.api_urls")),
    path("", include("sales.api_urls")),
]
