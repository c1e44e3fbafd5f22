from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail

from core.mail import header_line

from .models import Notification


def absolute(url: str) -> str:
    """A site path as the link an e-mail carries."""
    return f"{settings.SITE_URL}{url}"


@shared_task(ignore_result=True)
def notification_email_task(notification_ids: list[int]) -> int:
    """E-mail each notification to its recipient. Safe to run twice (mail may repeat)."""
    messages = []
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        if not note.recipient.email:
            continue
        link = f"\n\n{absolute(note.url)}" if note.url else ""
        messages.append(
            (
                # In the recipient's language; member text in it (a name, a destination) may
                # hold a line break, which would make the message unsendable.
                header_line(f"AHHHA: {note.message}", max_length=80),
                note.message + link,
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
