from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_request, gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import add_application_error
from core.idempotency import once_per_submission
from core.net import safe_next

from .forms import LimitedPasswordResetForm, SettingsForm, SignUpForm
from .languages import language_of
from .limits import resend_wait, signin_wait, wait_sentence
from .selectors import tokens_of
from .services import (
    CHECK_YOUR_EMAIL,
    avatar_remove,
    avatar_set,
    email_verification_send,
    email_verify,
    member_language_follow,
    token_revoke,
    tokens_revoke_all,
)
from .timezones import COOKIE, parse_zone


class SafeRedirectMixin:
    """``next`` through ``core.net.safe_next`` (this site only) for Django's auth views."""

    def get_redirect_url(self):
        return safe_next(self.request, "")


class LoginView(SafeRedirectMixin, auth_views.LoginView):
    """Django's sign-in, after a per-address limit on attempts (``signin_wait``): an address
    trying many accounts is slowed; django-axes still locks one account from one address."""

    def post(self, request, *args, **kwargs):
        wait = signin_wait(request)
        if wait is None:
            return super().post(request, *args, **kwargs)
        messages.error(
            request,
            gettext("Too many sign-in attempts from your network. Try again in %(wait)s.")
            % {"wait": wait_sentence(wait)},
        )
        form = self.get_form_class()(request=request)
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        member_language_follow(user=form.get_user(), language=self.request.LANGUAGE_CODE)
        return response


class LogoutView(SafeRedirectMixin, auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Always the same answer (Django's), after a per-address and per-e-mail limit."""

    form_class = LimitedPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        status = 429 if form.rate_limited else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


@once_per_submission
def signup(request):
    if request.user.is_authenticated:
        return redirect("/")
    form = SignUpForm(request.POST or None, request=request)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not False and settings.EMAIL_VERIFICATION == "mandatory":
            # Created or not (name or address taken), the same answer: the mailbox says which.
            messages.success(request, CHECK_YOUR_EMAIL)
            return redirect(safe_next(request, "/"))
        if user:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, gettext("Welcome to AHHHA!"))
            return redirect(safe_next(request, "/"))
    if form.rate_limited:
        status = 429
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def verify(request, token: str):
    try:
        email_verify(token=token)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("/")
    if request.user.is_authenticated:
        messages.success(
            request, gettext("Your e-mail address is confirmed. You can vote and pledge now.")
        )
        return redirect("/")
    messages.success(
        request, gettext("Your e-mail address is confirmed. Sign in to vote and pledge.")
    )
    return redirect("login")


@login_required
@require_POST
@once_per_submission
def resend_verification(request):
    wait = resend_wait(request)
    if wait is not None:
        messages.error(
            request,
            gettext("We sent a link a short while ago: ask again in %(wait_sentence)s.")
            % {"wait_sentence": wait_sentence(wait)},
        )
    else:
        if not request.user.email_verified:
            email_verification_send(user=request.user)
        messages.info(request, gettext("We sent you a new confirmation link."))
    return redirect(safe_next(request, "/"))


@login_required
@once_per_submission
def account_settings(request):
    browser_zone = (
        request.COOKIES.get(COOKIE, "") if parse_zone(request.COOKIES.get(COOKIE)) else ""
    )
    form = SettingsForm(
        request.POST or None,
        request.FILES or None,
        instance=request.user,
        browser_zone=browser_zone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                if form.cleaned_data.get("avatar"):
                    avatar_set(member=user, upload=form.cleaned_data["avatar"])
                elif form.cleaned_data.get("remove_avatar"):
                    avatar_remove(member=user)
        except ApplicationError as exc:
            request.user.refresh_from_db()
            add_application_error(form, exc)
            return _settings_page(request, form, status=400)
        if not user.language_chosen:  # back to the browser's language
            request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
        translation.activate(
            language_of(user) if user.language_chosen else get_language_from_request(request)
        )
        messages.success(request, _("Your settings are saved."))
        response = redirect("accounts:settings")
        if user.language_chosen:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        return response
    return _settings_page(request, form)


def _settings_page(request, form, status: int = 200):
    tokens = list(tokens_of(member=request.user))
    context = {"form": form, "tokens": tokens}
    return render(request, "accounts/settings.html", context, status=status)


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    """Revoke one of one's own API tokens from Settings (another's is not found)."""
    if not token_revoke(member=request.user, token_id=token_id):
        raise Http404("No such token.")
    messages.success(request, gettext("The token is revoked: programs using it are signed out."))
    return redirect(reverse("accounts:settings") + "#api-tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, and every API token of the member is revoked (issue 26)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoke_all(member=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and every API token of the member is revoked: a reset is what an owner does
    after losing control of the account (issue 26)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoke_all(member=form.user)
        return response
