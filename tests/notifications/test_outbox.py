"""The transactional outbox (issue 26): with the broker down, a write that notifies answers its
success, its e-mail waits as a row, and beat delivers it exactly once when Redis is back.

The broker is "down" by making ``Task.apply_async`` (every publish, and the in-process run of
the eager test setup) raise kombu's ``OperationalError``, as a refused Redis does."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import kombu.exceptions
import pytest
from celery.app.task import Task
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from community.models import IdeaUpdate
from config import settings as production_settings
from notifications.models import Notification, OutboxMessage
from notifications.outbox import outbox_publish
from notifications.services import notify
from notifications.tasks import notification_email_task, outbox_publish_task
from tests.factories import make_idea, make_user
from tests.helpers import api_client_as


def _refuse(self, *args, **kwargs):
    raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379.")


@contextmanager
def _refused():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Task, "apply_async", _refuse)
        yield


@pytest.fixture
def broker_down():
    """Inside ``with broker_down():`` every publish fails; after it the broker is back."""
    return _refused


def _tell_mo_while_the_broker_is_down(broker_down) -> tuple:
    mo = make_user("mo")
    with broker_down():
        notify(recipients=[mo], kind="contribution_approved", message="Approved.")
    return mo, OutboxMessage.objects.get()


@pytest.mark.django_db(transaction=True)
def test_a_creator_update_while_the_broker_is_down_answers_201_and_mails_once_it_is_back(
    broker_down,
):
    carla = make_user("carla", display_name="Carla Q")
    mo = make_user("mo")
    idea = make_idea(creator=carla, title="Wind lamp")
    assert api_client_as(mo).post(f"/api/v1/ideas/{idea.pk}/follow/").status_code == 201

    with broker_down():
        response = api_client_as(carla).post(
            f"/api/v1/ideas/{idea.pk}/updates/", {"body": "Prototype ready."}, format="json"
        )
    assert response.status_code == 201, response.content  # not 503: the update is saved
    assert IdeaUpdate.objects.count() == 1
    assert Notification.objects.filter(recipient=mo, kind="creator_update").count() == 1
    waiting = OutboxMessage.objects.get()
    assert waiting.task == "notifications.tasks.notification_email_task"
    assert waiting.sent_at is None
    assert mail.outbox == []

    # Redis is back: beat's job delivers the e-mail, once however often it runs.
    assert outbox_publish_task() == 1
    assert outbox_publish_task() == 0
    assert [m.to for m in mail.outbox] == [["mo@example.org"]]
    assert "Carla Q posted an update" in mail.outbox[0].subject
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_write_while_the_cache_and_broker_are_down_is_still_503_and_writes_nothing(
    settings, broker_down
):
    """What meets the outage before the write (the rate limits in Redis) still answers 503
    with nothing written: only a publish after the commit is now no reason for a 503."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": production_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    }
    carla = make_user("carla")
    idea = make_idea(creator=carla, title="Wind lamp")
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with broker_down():
        response = api_client_as(carla).post(
            f"/api/v1/ideas/{idea.pk}/updates/", {"body": "Prototype ready."}, format="json"
        )
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert response.status_code == 503
    assert not IdeaUpdate.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_with_the_broker_up_the_email_goes_at_commit(django_capture_on_commit_callbacks):
    mo = make_user("mo")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[mo], kind="contribution_approved", message="Approved.")
    assert [m.subject for m in mail.outbox] == ["AHHHA: Approved."]
    assert OutboxMessage.objects.get().sent_at is not None
    assert outbox_publish() == 0  # nothing waits
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nothing_is_kept_when_the_write_rolls_back(django_capture_on_commit_callbacks):
    mo = make_user("mo")
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify(recipients=[mo], kind="contribution_approved", message="Approved.")
            raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_publishers_at_once_send_the_waiting_email_once(broker_down):
    """Publisher A holds the row (SKIP LOCKED) while it publishes; B, running meanwhile, skips
    it; neither, nor a later run, sends it again."""
    _tell_mo_while_the_broker_is_down(broker_down)
    original = Task.apply_async
    a_publishing, b_done = threading.Event(), threading.Event()
    counts: dict[str, int] = {}

    def publish_slowly(self, *args, **kwargs):
        a_publishing.set()
        assert b_done.wait(30)
        return original(self, *args, **kwargs)

    def run(name: str) -> None:
        try:
            counts[name] = outbox_publish()
        finally:
            connection.close()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Task, "apply_async", publish_slowly)
        a = threading.Thread(target=run, args=("a",))
        a.start()
        assert a_publishing.wait(30)
        patch.setattr(Task, "apply_async", original)
        run("b")
        b_done.set()
        a.join(30)
    assert counts == {"a": 1, "b": 0}
    assert outbox_publish() == 0
    assert [m.to for m in mail.outbox] == [["mo@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_a_message_published_twice_emails_once(broker_down):
    """The mark "sent" lost after a publish (the database fell in between): the row goes
    again, and the e-mail task, claiming each notification, sends nothing twice."""
    _, message = _tell_mo_while_the_broker_is_down(broker_down)
    assert outbox_publish() == 1
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)
    assert outbox_publish() == 1
    notification_email_task(*message.args)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db
def test_beat_stops_at_a_broker_error_and_keeps_the_rest(broker_down):
    mo = make_user("mo")
    for n in range(3):  # the test's transaction never commits: the rows wait
        notify(recipients=[mo], kind="contribution_approved", message=f"Approved {n}.")
    assert OutboxMessage.objects.filter(sent_at=None).count() == 3
    with broker_down():
        assert outbox_publish() == 0
    assert OutboxMessage.objects.filter(sent_at=None).count() == 3
    assert outbox_publish() == 3
    assert sorted(m.subject for m in mail.outbox) == [f"AHHHA: Approved {n}." for n in range(3)]


@pytest.mark.django_db
def test_sent_messages_are_deleted_after_a_day(settings):
    settings.OUTBOX_KEEP_HOURS = 24
    now = timezone.now()
    old = OutboxMessage.objects.create(task="x", sent_at=now - timedelta(hours=25))
    recent = OutboxMessage.objects.create(task="x", sent_at=now - timedelta(hours=23))
    waiting = OutboxMessage.objects.create(task="notifications.tasks.outbox_publish_task")
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=3))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Task, "apply_async", lambda self, *a, **k: None)
        outbox_publish_task()
    left = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert left == {recent.pk, waiting.pk}
    assert old.pk not in left


def test_beat_publishes_the_outbox_every_few_seconds():
    entry = production_settings.CELERY_BEAT_SCHEDULE["outbox-publish"]
    assert entry["task"] == "notifications.tasks.outbox_publish_task"
    assert entry["schedule"] == float(production_settings.OUTBOX_PUBLISH_INTERVAL_SECONDS)
