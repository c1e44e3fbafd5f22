from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.languages import language_of, language_of_code
from accounts.models import User

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


def notify_chunk(
    *, member_ids: list[int], source: str, kind: str, message: str | Promise, url: str = ""
) -> int:
    """Notify one chunk of a bulk notification (a settlement's members): the rows in one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING id``, the e-mails in one task. Idempotent per
    (source, recipient): a retried chunk skips those it already notified. Returns how many were
    notified now."""
    users = User.objects.filter(pk__in=member_ids, is_active=True).values_list("pk", "language")
    texts: dict[str, str] = {}
    recipients: list[int] = []
    messages: list[str] = []
    for pk, language in users:
        language = language_of_code(language)
        if language not in texts:
            with translation.override(language):
                texts[language] = str(message)[:500]
        recipients.append(pk)
        messages.append(texts[language])
    if not recipients:
        return 0
    table = Notification._meta.db_table
    conflict = "ON CONFLICT (source, recipient_id) WHERE NOT (source = '') DO NOTHING RETURNING id"
    now = timezone.now()
    if connection.vendor == "postgresql":
        # Two arrays instead of six parameters a row: one short statement for the whole chunk.
        sql = (
            f"INSERT INTO {table} (recipient_id, kind, message, url, created_at, source) "  # noqa: S608
            "SELECT r, %s, m, %s, %s, %s FROM unnest(%s::bigint[], %s::text[]) AS x(r, m) "
            + conflict
        )
        params: list = [kind, url, now, source, recipients, messages]
    else:
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(recipients))
        sql = (
            f"INSERT INTO {table} (recipient_id, kind, message, url, created_at, source) "  # noqa: S608
            f"VALUES {rows} " + conflict
        )
        params = [
            v
            for pk, text in zip(recipients, messages, strict=True)
            for v in (pk, kind, text, url, now, source)
        ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        new = [row[0] for row in cursor.fetchall()]
        if new:
            transaction.on_commit(lambda: notification_email_task.delay(new))
    return len(new)
