"""The unread count in the navigation of every page."""

from .models import Notification


def unread(request) -> dict:
    user = getattr(request, "user", None)
    count = 0
    if user is not None and user.is_authenticated:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"unread_notifications": count}
