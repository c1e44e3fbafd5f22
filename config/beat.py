"""Celery beat that runs once however many processes start it: a lock in Redis.

Every worker of the cluster may be started with ``-B --scheduler config.beat:LockedScheduler``
(or several ``celery beat`` processes run): each one's scheduler sends the due tasks only while
it holds the Redis key ``BEAT_LOCK_KEY``, taken with ``SET NX PX`` and renewed on every tick
(at least every third of ``BEAT_LOCK_SECONDS``). The others wait; when the holder dies, its key
expires after ``BEAT_LOCK_SECONDS`` and the next one to look takes over. The schedule is kept
in memory, never on a node's disk (Celery's default is a shelve file): a beat that takes over
runs its interval tasks at once, which is why every scheduled task is safe to run twice.
"""

import logging
import uuid

import redis
from celery.beat import Scheduler

log = logging.getLogger(__name__)

BEAT_LOCK_KEY = "ahhha:beat-lock"

# Renew the key if it is ours, else take it if nobody holds it: 1 when we hold it after.
_HOLD = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    redis.call('pexpire', KEYS[1], ARGV[2])
    return 1
end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class LockedScheduler(Scheduler):
    """The in-memory scheduler, ticking only while this process holds the beat lock."""

    def __init__(self, app, *args, **kwargs) -> None:
        self.lock_seconds = int(app.conf.get("beat_lock_seconds") or 30)
        broker = str(app.conf.broker_url or "")
        # Only Redis can hold the lock; with another broker (the in-memory one) beat just runs.
        self.client = (
            redis.Redis.from_url(broker, socket_timeout=5)
            if broker.startswith(("redis://", "rediss://"))
            else None
        )
        self.token = uuid.uuid4().hex
        self.held = False
        super().__init__(app, *args, **kwargs)

    def hold(self) -> bool:
        """Take or renew the lock; False while another process holds it (or Redis is away)."""
        if self.client is None:
            return True
        try:
            held = bool(
                self.client.eval(_HOLD, 1, BEAT_LOCK_KEY, self.token, self.lock_seconds * 1000)
            )
        except redis.RedisError as error:
            log.warning("beat: the lock is unreachable (%s); not sending", error)
            held = False
        if held != self.held:
            log.warning("beat: %s the schedule", "this process runs" if held else "stopped running")
        self.held = held
        return held

    def tick(self, *args, **kwargs) -> float:
        renew_every = self.lock_seconds / 3
        if not self.hold():
            return renew_every
        return min(super().tick(*args, **kwargs), renew_every)

    def close(self) -> None:
        if self.held and self.client is not None:
            try:
                self.client.eval(_RELEASE, 1, BEAT_LOCK_KEY, self.token)
            except redis.RedisError:
                pass  # the key expires by itself
            self.held = False
        super().close()
