"""Beat started on two workers sends each due task once: the Redis lock of config.beat."""

import pytest
from celery import Celery

from config.beat import BEAT_LOCK_KEY, LockedScheduler

pytestmark = pytest.mark.celery_worker  # shares the tests' Redis database


@pytest.fixture
def beat_app(redis_url):
    import redis

    redis.Redis.from_url(redis_url).delete(BEAT_LOCK_KEY)
    app = Celery("beat-test", broker=redis_url)
    app.conf.beat_schedule = {"tick": {"task": "beat-test.tick", "schedule": 0.01}}
    app.conf.beat_lock_seconds = 3
    yield app
    redis.Redis.from_url(redis_url).delete(BEAT_LOCK_KEY)


def scheduler(app, sent: list, name: str) -> LockedScheduler:
    beat = LockedScheduler(app, lazy=False)
    beat.apply_async = lambda entry, *args, **kwargs: sent.append(name)
    return beat


def test_two_beats_send_each_task_from_one_only(beat_app):
    sent: list[str] = []
    first, second = scheduler(beat_app, sent, "first"), scheduler(beat_app, sent, "second")
    for _ in range(5):
        for beat in (first, second):
            for entry in beat.schedule.values():
                entry.last_run_at = entry.default_now() - entry.schedule.run_every * 2
            beat.tick()
    assert sent == ["first"] * 5
    assert (first.held, second.held) == (True, False)


def test_the_other_beat_takes_over_when_the_holder_is_gone(beat_app, redis_url):
    import redis

    sent: list[str] = []
    first, second = scheduler(beat_app, sent, "first"), scheduler(beat_app, sent, "second")
    first.tick()
    second.tick()
    assert (first.held, second.held) == (True, False)
    # The holder dies without a word: its key runs out (here: it expires now).
    redis.Redis.from_url(redis_url).pexpire(BEAT_LOCK_KEY, 1)
    import time

    time.sleep(0.01)
    for entry in second.schedule.values():
        entry.last_run_at = entry.default_now() - entry.schedule.run_every * 2
    second.tick()
    assert second.held and sent[-1] == "second"
    assert first.hold() is False  # the old holder, back, waits its turn
    second.close()  # a clean stop hands the lock over at once
    assert first.hold() is True
