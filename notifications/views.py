from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.idempotency import once_per_submission

from .services import notifications_mark_read


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
