import json
from collections.abc import Iterable
from datetime import date

from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

from accounts.languages import language_of
from accounts.models import User
from core.errors import ValidationFailed
from core.mail import header_line
from core.phrases import Said

from .kinds import GROUPS, GROUPS_BY_NAME, Channel, group_of
from .models import DigestSent, Notification, NotificationSetting
from .outbox import outbox_add
from .tasks import absolute, notification_email_task


def channels_for(*, member_ids: Iterable[int], kind: str) -> dict[int, Channel]:
    """How each member wants to hear of ``kind``: their setting for its group, else the
    group's default (one query; none for the kinds that are not a choice)."""
    ids = list(member_ids)
    group = group_of(kind)
    if group is None:
        return dict.fromkeys(ids, Channel.EMAIL)
    chosen = dict(
        NotificationSetting.objects.filter(member_id__in=ids, group=group.name).values_list(
            "member_id", "channel"
        )
    )
    return {pk: Channel(chosen.get(pk, group.default)) for pk in ids}


def notify(
    *,
    recipients: Iterable,
    kind: str,
    message: Said | str | Promise,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Tell members something, in the site and (after commit, by a task through the outbox,
    ``notifications.outbox``) by e-mail.

    ``message`` is a phrase (``core.phrases.said``): stored as its code and parameters, each
    reader reads it in their language (``Notification.text``; e-mails in ``User.language``).
    A lazy string is still taken (rendered in each recipient's language as it is written, for
    callers not yet on phrases). Duplicates in ``recipients`` are notified
    once. Each recipient's choice for the kind's group (``notifications.kinds``) decides: not at
    all, in the site only, e-mailed now, or kept for the daily digest; ``email=False`` never
    e-mails.
    """
    members = {user.pk: user for user in recipients if user is not None}
    channels = channels_for(member_ids=members, kind=kind)
    texts: dict[str, str] = {}
    rows = []
    for pk, user in members.items():
        channel = channels[pk]
        if channel == Channel.OFF:
            continue
        if isinstance(message, Said):
            words: dict = {"code": message.code, "params": message.params}
        else:
            words = {"message": _text_in(language_of(user), message, texts)}
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                url=url,
                digest=email and channel == Channel.DIGEST,
                **words,
            )
        )
    with transaction.atomic():  # the rows and their e-mails' outbox message, or neither
        created = Notification.objects.bulk_create(rows)
        # PostgreSQL returns the new ids.
        now = [n.pk for n in created if email and channels[n.recipient_id] == Channel.EMAIL]
        if now:
            outbox_add(notification_email_task, now)
    return created


def _text_in(language: str, message, texts: dict[str, str]) -> str:
    if language not in texts:
        with translation.override(language):
            texts[language] = str(message)[:500]
    return texts[language]


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_chunk(
    *, member_ids: list[int], source: str, kind: str, message: Said, url: str = ""
) -> int:
    """Notify one chunk of a bulk notification (a settlement's members): the rows in one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING id``, the e-mails in one task (through the
    outbox). Idempotent per
    (source, recipient): a retried chunk skips those it already notified. Returns how many were
    notified now."""
    users = list(
        User.objects.filter(pk__in=member_ids, is_active=True).values_list("pk", "language")
    )
    channels = channels_for(member_ids=[pk for pk, _ in users], kind=kind)
    recipients: list[int] = []
    digests: list[bool] = []
    for pk, _language in users:
        if channels[pk] == Channel.OFF:
            continue
        recipients.append(pk)
        digests.append(channels[pk] == Channel.DIGEST)
    if not recipients:
        return 0
    table = Notification._meta.db_table
    conflict = (
        "ON CONFLICT (source, recipient_id) WHERE NOT (source = '') "
        "DO NOTHING RETURNING id, recipient_id"
    )
    now = timezone.now()
    # Two arrays instead of six parameters a row: one short statement for the whole chunk.
    sql = (
        f"INSERT INTO {table} (recipient_id, kind, message, code, params, url, created_at, "  # noqa: S608
        "source, digest) SELECT r, %s, '', %s, %s::jsonb, %s, %s, %s, d "
        "FROM unnest(%s::bigint[], %s::boolean[]) AS x(r, d) " + conflict
    )
    words = json.dumps(message.params)
    params: list = [kind, message.code, words, url, now, source, recipients, digests]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        new = cursor.fetchall()
        emailed = [pk for pk, member in new if channels[member] == Channel.EMAIL]
        if emailed:
            outbox_add(notification_email_task, emailed)
    return len(new)


def notification_settings_of(*, member) -> dict[str, Channel]:
    """The member's channel for every group (their choice, else the default)."""
    chosen = dict(member.notification_settings.values_list("group", "channel"))
    return {group.name: Channel(chosen.get(group.name, group.default)) for group in GROUPS}


@transaction.atomic
def notification_settings_save(*, member, channels: dict[str, str]) -> None:
    """Keep the member's choices; a group left out keeps its setting."""
    for name, value in channels.items():
        group = GROUPS_BY_NAME.get(name)
        if group is None:
            raise ValidationFailed.for_field(
                name, gettext("There is no such kind of notification.")
            )
        if value not in group.channels:
            raise ValidationFailed.for_field(name, gettext("Choose one of the offered options."))
        NotificationSetting.objects.update_or_create(
            member=member, group=name, defaults={"channel": value}
        )


def digest_due() -> QuerySet[Notification]:
    return Notification.objects.filter(digest=True, digested_at__isnull=True)


def digests_send(*, day: date | None = None) -> int:
    """Send each member with notifications waiting for the digest one e-mail listing the unread
    ones, at most once per ``day`` (UTC, today by default) however often it runs. Returns how
    many digests went."""
    day = day or timezone.now().date()
    sent = 0
    # order_by(): without it the model's ordering joins the DISTINCT and repeats members.
    members = digest_due().order_by().values_list("recipient_id", flat=True).distinct()
    for member_id in members:
        if _digest_send(member_id=member_id, day=day):
            sent += 1
    return sent


def _digest_send(*, member_id: int, day: date) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = DigestSent.objects.create(member_id=member_id, day=day, count=0)
        except IntegrityError:  # already had today's digest: what waits goes tomorrow
            return False
        due = list(
            digest_due()
            .filter(recipient_id=member_id)
            .select_related("recipient")
            .select_for_update(of=("self",))
            .order_by("created_at", "id")
        )
        digest_due().filter(pk__in=[n.pk for n in due]).update(digested_at=timezone.now())
        unread = [n for n in due if n.read_at is None]
        if not unread or not unread[0].recipient.email or not unread[0].recipient.is_active:
            record.delete()  # nothing to send: today's digest is still to come
            return False
        record.count = len(unread)
        record.save(update_fields=["count"])
        member = unread[0].recipient
        with translation.override(language_of(member)):
            subject = ngettext(
                "AHHHA: %(count)d thing you have not seen yet",
                "AHHHA: %(count)d things you have not seen yet",
                len(unread),
            ) % {"count": len(unread)}
            lines = [gettext("Here is what happened since your last digest:"), ""]
            for note in unread:
                lines.append(f"• {note.text}")
                if note.url:
                    lines.append(f"  {absolute(note.url)}")
            lines += [
                "",
                gettext("Choose what reaches you, and how: %(url)s")
                % {"url": absolute(reverse("notifications:settings"))},
            ]
        message = (header_line(subject), "\n".join(lines), None, [member.email])
        transaction.on_commit(lambda: send_mass_mail([message], fail_silently=True))
    return True
