from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.errors import ValidationFailed
from core.forms import add_application_error
from core.idempotency import once_per_submission

from .forms import NotificationSettingsForm
from .services import (
    notification_settings_of,
    notification_settings_save,
    notifications_mark_read,
)


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
@once_per_submission
def notification_read_all(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
@once_per_submission
def notification_settings(request):
    current = notification_settings_of(member=request.user)
    form = NotificationSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            notification_settings_save(member=request.user, channels=form.cleaned_data)
        except ValidationFailed as error:
            add_application_error(form, error)
        else:
            messages.success(request, gettext("Your notification choices are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
