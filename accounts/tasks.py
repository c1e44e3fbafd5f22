import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from core.mail import header_line
from core.outages import DEPENDENCY_ERRORS

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def account_email_task(subject: str, body: str, to: str, html: str | None = None) -> None:
    """Send one account e-mail (a password reset link) that was written during the request."""
    message = EmailMultiAlternatives(header_line(subject), body, None, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def send_later(subject: str, body: str, to: str, html: str | None = None) -> None:
    """Queue the e-mail once the transaction commits. The answer never waits for the mail
    server, so it takes as long whether or not the address has an account; a broker that is
    down is logged, not answered (a 503 only for existing addresses would tell them apart)."""

    def publish() -> None:
        try:
            account_email_task.delay(subject, body, to, html)
        except DEPENDENCY_ERRORS:
            log.warning("could not queue an account e-mail")

    transaction.on_commit(publish)
