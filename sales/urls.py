from django.urls import path

from . import views

app_name = "sales"
urlpatterns = [
    path("verify.py", views.verify_py, name="verify-py"),
]
