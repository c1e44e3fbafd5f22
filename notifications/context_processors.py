"""The unread count in the navigation of every page."""

from .models import Notification


def unread(request) -> dict:
    """Counted once a request: a page that renders a part of itself apart (the idea page's
    threads) runs the context processors again."""
    user = getattr(request, "user", None)
    count = 0
    if user is not None and user.is_authenticated:
        count = getattr(request, "_unread_notifications", None)
        if count is None:
            count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
            request._unread_notifications = count
    return {"unread_notifications": count}
