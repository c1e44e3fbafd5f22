from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation

from accounts.languages import language_of
from core.mail import header_line

from .models import Notification
from .outbox import outbox_publish, outbox_purge


def absolute(url: str) -> str:
    """A site path as the link an e-mail carries."""
    return f"{settings.SITE_URL}{url}"


@shared_task(ignore_result=True)
def notification_email_task(notification_ids: list[int]) -> int:
    """E-mail each notification to its recipient, once: each is claimed (``emailed_at``, its
    row locked, SKIP LOCKED) before its e-mail goes, so a message the outbox publishes twice,
    or two workers running it at once, e-mail nobody twice."""
    with transaction.atomic():
        notes = list(
            Notification.objects.filter(pk__in=notification_ids, emailed_at=None)
            .select_related("recipient")
            .select_for_update(of=("self",), skip_locked=True)
        )
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
    messages = []
    for note in notes:
        if not note.recipient.email:
            continue
        link = f"\n\n{absolute(note.url)}" if note.url else ""
        with translation.override(language_of(note.recipient)):
            text = note.text
        messages.append(
            (
                # In the recipient's language; member text in it (a name, a destination) may
                # hold a line break, which would make the message unsendable.
                header_line(f"AHHHA: {text}", max_length=80),
                text + link,
                None,
                [note.recipient.email],
            )
        )
    return send_mass_mail(messages, fail_silently=True) if messages else 0


@shared_task(ignore_result=True)
def notification_digests_task() -> int:
    """The daily digest e-mails (beat, daily at ``NOTIFICATION_DIGEST_HOUR``; a member gets at
    most one a day however often it runs)."""
    from .services import digests_send

    return digests_send()


@shared_task(ignore_result=True)
def outbox_publish_task() -> int:
    """Beat, every ``OUTBOX_PUBLISH_INTERVAL_SECONDS`` (and once when a worker starts): publish
    the outbox's waiting messages (kept while the broker was down) and delete the old sent
    ones. Safe to run twice at once."""
    published = outbox_publish()
    outbox_purge()
    return published
