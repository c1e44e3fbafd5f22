from django.conf import settings

from accounts.roles import is_finance, is_reviewer


def site(request) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {
        "SITE_NAME": "AHHHA",
        "user_is_reviewer": bool(user and is_reviewer(user)),
        "user_is_finance": bool(user and is_finance(user)),
        "unread_notifications": unread,
        "EMAIL_VERIFICATION": settings.EMAIL_VERIFICATION,
    }
