from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("products/", views.products, name="products"),
    path("products/<id:product_id>/", views.product_detail, name="product"),
    path("products/<id:product_id>/claim/", views.product_claim, name="product_claim"),
    path(
        "contributions/<id:contribution_id>/endorse/",
        views.contribution_endorse_view,
        name="endorse",
    ),
    path(
        "contributions/<id:contribution_id>/evidence/",
        views.contribution_evidence,
        name="evidence",
    ),
    path("review/contributions/", views.review_queue, name="review_queue"),
    path(
        "review/contributions/<id:contribution_id>/approve/",
        views.review_approve,
        name="review_approve",
    ),
    path(
        "review/contributions/<id:contribution_id>/reject/",
        views.review_reject,
        name="review_reject",
    ),
]
