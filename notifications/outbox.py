"""The transactional outbox: the tasks a write sets off survive a broker outage (issue 26).

A write that notified used to queue its e-mails with ``on_commit(task.delay)``. With Redis down
the publish raised after the commit: the write was saved, the answer was a 503 (so a retry wrote
it twice) and the e-mails were lost. Now:

* ``outbox_add`` writes the task as a row (``OutboxMessage``: its name and JSON arguments) in
  the write's own transaction: the row exists exactly when the write does;
* after the commit the row is published at once (with Celery in-process, the task runs then, as
  before); a broker that refuses is logged, never raised, so the write answers its success;
* beat's ``outbox-publish`` (every ``OUTBOX_PUBLISH_INTERVAL_SECONDS``, and once when a worker
  starts) publishes the rows not yet sent, oldest first, and deletes those sent more than
  ``OUTBOX_KEEP_HOURS`` ago.

Every publisher takes its rows with ``SELECT … FOR UPDATE SKIP LOCKED`` and marks them sent in
the same transaction, so two publishers never send one row twice. A row published whose mark
was then lost (the database fell in between) is published again: the tasks are safe to run
twice (``notification_email_task`` claims each notification before e-mailing it).
"""

import logging
from datetime import timedelta

import kombu.exceptions
import redis.exceptions
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.outages import DEPENDENCY_ERRORS

from .models import OutboxMessage

log = logging.getLogger(__name__)

BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
BATCH = 200


def outbox_add(task, *args) -> OutboxMessage:
    """Queue ``task(*args)`` with the current transaction: kept now, published after the
    commit (or by beat, if the broker is down then). ``args`` must be JSON."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: _publish_after_commit(message.pk))
    return message


def _publish_after_commit(pk: int) -> None:
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at=None)
                .first()
            )
            if message is not None:  # else another publisher has it (or had it)
                _publish(message)
    except DEPENDENCY_ERRORS as error:
        log.warning(
            "outbox: could not publish message %s (%s); beat will", pk, type(error).__name__
        )


def _publish(message: OutboxMessage) -> None:
    """Send one locked row to the broker and mark it sent (in the caller's transaction)."""
    task = current_app.tasks.get(message.task)
    if task is None:  # renamed or removed since it was written: it would block the queue
        log.error("outbox: message %s names no known task %r; dropped", message.pk, message.task)
    else:
        task.apply_async(args=message.args)
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now())


def outbox_publish() -> int:
    """Publish every row not yet sent, oldest first, in batches; stop at the first broker
    error (the rest wait for the next run). Returns how many went."""
    published = 0
    while True:
        with transaction.atomic():
            waiting = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(sent_at=None)
                .order_by("id")[:BATCH]
            )
            for message in waiting:
                try:
                    _publish(message)
                except BROKER_ERRORS as error:
                    # Leaving the block commits the rows marked so far.
                    log.warning("outbox: the broker refuses (%s); %s sent", error, published)
                    return published
                published += 1
        if len(waiting) < BATCH:
            return published


def outbox_purge() -> int:
    """Delete the rows sent more than ``OUTBOX_KEEP_HOURS`` ago (the table stays small)."""
    cutoff = timezone.now() - timedelta(hours=settings.OUTBOX_KEEP_HOURS)
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
