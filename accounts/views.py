from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.idempotency import once_per_submission

from .forms import SignUpForm
from .services import email_verification_send, email_verify


@once_per_submission
def signup(request):
    if request.user.is_authenticated:
        return redirect("/")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                "Welcome to AHHHA! We sent you a link to confirm your e-mail address; "
                "confirm it to vote, pledge and claim contributions.",
            )
            return redirect(request.GET.get("next") or "/")
    return render(request, "accounts/signup.html", {"form": form})


def verify(request, token: str):
    try:
        email_verify(token=token)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("/")
    messages.success(request, "Your e-mail address is confirmed. You can vote and pledge now.")
    return redirect("/")


@login_required
@require_POST
@once_per_submission
def resend_verification(request):
    if not request.user.email_verified:
        email_verification_send(user=request.user)
    messages.info(request, "We sent you a new confirmation link.")
    return redirect(request.POST.get("next") or "/")
