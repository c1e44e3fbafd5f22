"""The Celery app. With no REDIS_URL, tasks run in-process (see settings)."""

import os

from celery import Celery
from celery.signals import worker_ready

from core.observability import tasks as observed_tasks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ahhha")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id in task headers and logs, task metrics, the worker's metrics port
# (docs/operations.md).
observed_tasks.connect(app)


@worker_ready.connect
def outbox_publish_on_start(sender=None, **kwargs) -> None:
    """A worker that starts (say, Redis is back and the workers restart) publishes what the
    outbox kept meanwhile without waiting for beat."""
    app.send_task("notifications.tasks.outbox_publish_task")
