from django.urls import path

from .api import RegisterApi, TokenApi, TokenDetailApi, TokenListApi

urlpatterns = [
    path("auth/register/", RegisterApi.as_view(), name="api-register"),
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("auth/tokens/", TokenListApi.as_view(), name="api-tokens"),
    path("auth/tokens/<id:token_id>/", TokenDetailApi.as_view(), name="api-token-detail"),
]
