from django.contrib.auth import views as auth_views
from django.urls import path

from core.idempotency import once_per_submission

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("verify-resend/", views.resend_verification, name="verify_resend"),
    path("settings/", views.account_settings, name="settings"),
    path(
        "settings/tokens/<id:token_id>/revoke/",
        once_per_submission(views.token_revoke_view),
        name="token_revoke",
    ),
]

# Django's own views under their usual names (login, logout, password_reset, …). Their forms carry
# a one-time token like every form; sign-in alone does not honour it: a replay could not send
# the first answer's new session cookie again, and signing in twice is harmless.
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", once_per_submission(views.LogoutView.as_view()), name="logout"),
    path(
        "password-reset/",
        once_per_submission(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        once_per_submission(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        once_per_submission(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
