from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.languages import language_of

from .models import Notification
from .tasks import notification_email_task


def notify(
    *,
    recipients: Iterable,
    kind: str,
    message: str | Promise,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Tell members something, in the site and (after commit, by a task) by e-mail.

    ``message`` is best a lazy string (``gettext_lazy``, ``core.text.sentence``): each recipient
    gets it in their own language (``User.language``). Duplicates in ``recipients`` are notified
    once.
    """
    seen: set[int] = set()
    texts: dict[str, str] = {}
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        language = language_of(user)
        if language not in texts:
            with translation.override(language):
                texts[language] = str(message)[:500]
        rows.append(Notification(recipient=user, kind=kind, message=texts[language], url=url))
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [n.pk for n in created]  # PostgreSQL and SQLite return the new ids
        transaction.on_commit(lambda: notification_email_task.delay(ids))
    return created


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
