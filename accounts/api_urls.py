from django.urls import path

from .api import RegisterApi, TokenApi

urlpatterns = [
    path("auth/register/", RegisterApi.as_view(), name="api-register"),
    path("auth/token/", TokenApi.as_view(), name="api-token"),
]
