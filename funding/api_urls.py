from django.urls import path

from . import api

urlpatterns = [
    path("ideas/<id:idea_id>/review/", api.IdeaReviewApi.as_view(), name="idea-review"),
    path("ideas/<id:idea_id>/pledges/", api.IdeaPledgeApi.as_view(), name="idea-pledges"),
    path("ideas/<id:idea_id>/funding/", api.IdeaFundingApi.as_view(), name="idea-funding"),
    path(
        "ideas/<id:idea_id>/close-funding/",
        api.IdeaCloseFundingApi.as_view(),
        name="idea-close-funding",
    ),
    path("payments/", api.PaymentListApi.as_view(), name="payment-list"),
    path(
        "payments/<id:payment_id>/confirm/",
        api.PaymentConfirmApi.as_view(),
        name="payment-confirm",
    ),
]
