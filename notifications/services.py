from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification
from .tasks import notification_email_task


def notify(
    *, recipients: Iterable, kind: str, message: str, url: str = "", email: bool = True
) -> list[Notification]:
    """Tell members something, in the site and (after commit, by a task) by e-mail.

    Duplicates in ``recipients`` are notified once.
    """
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, message=message[:500], url=url))
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [n.pk for n in created]  # PostgreSQL and SQLite return the new ids
        transaction.on_commit(lambda: notification_email_task.delay(ids))
    return created


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
