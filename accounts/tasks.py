import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from core.mail import header_line

from .hooks import email_later

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def account_email_task(subject: str, body: str, to: str, html: str | None = None) -> None:
    """Send one account e-mail (a password reset link) that was written during the request."""
    message = EmailMultiAlternatives(header_line(subject), body, None, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def send_later(subject: str, body: str, to: str, html: str | None = None) -> None:
    """Keep the e-mail in the transactional outbox (``accounts.hooks.email_later``), published
    once the transaction commits. The answer never waits for the mail server, so it takes as
    long whether or not the address has an account; a broker that is down is logged, not
    answered (a 503 only for existing addresses would tell them apart), and beat sends it
    when the broker is back."""
    with transaction.atomic():
        email_later(subject=subject, body=body, to=to, html=html)
