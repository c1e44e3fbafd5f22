"""Redis (the cache) and Celery (broker, queue, retries, the beat schedule), from the
environment; part of config.settings. Without REDIS_URL: a local-memory cache and tasks run
in-process (the embedded default)."""

from celery.schedules import crontab

from ..env import env_int, env_str

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that dies unacknowledged goes back to the queue after this long:
# sized to the longest job (a settlement takes seconds, a large export minutes). Recovery
# of a settlement does not wait for it: the heartbeat below re-queues it within seconds.
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
# Publishing a task while the broker is down: a few quick retries, then it fails (a settlement
# request answers 503 and rolls back; a notification's e-mail waits in the outbox).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
# A running settlement writes a heartbeat every SETTLEMENT_HEARTBEAT_SECONDS; beat looks every
# SETTLEMENT_RESUME_INTERVAL_SECONDS for one whose heartbeat is older than
# SETTLEMENT_STALE_SECONDS (its worker died) and queues it again, once.
SETTLEMENT_HEARTBEAT_SECONDS = env_int("SETTLEMENT_HEARTBEAT_SECONDS", 5)
SETTLEMENT_STALE_SECONDS = env_int("SETTLEMENT_STALE_SECONDS", 30)
SETTLEMENT_RESUME_INTERVAL_SECONDS = env_int("SETTLEMENT_RESUME_INTERVAL_SECONDS", 15)
CELERY_TIMEZONE = "UTC"
# The queue that tasks go to and workers take from; separate deployments (or test runs) sharing
# one Redis keep apart by naming their own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# The beat schedule: safety nets besides the immediate transitions. Apps add their entries.
CELERY_BEAT_SCHEDULE: dict = {}
# voting & funding: expire ideas whose voting window ended, close rounds past their deadline.
CELERY_BEAT_SCHEDULE["voting-windows-close"] = {
    "task": "voting.tasks.voting_windows_close_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["vote-tallies-fold"] = {
    "task": "voting.tasks.vote_tallies_fold_task",
    "schedule": 60.0,
}
# Votes of accounts that are now old enough (VOTE_MIN_ACCOUNT_AGE) start counting.
CELERY_BEAT_SCHEDULE["votes-due-count"] = {
    "task": "voting.tasks.votes_due_count_task",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["funding-rounds-close"] = {
    "task": "funding.tasks.funding_rounds_close_task",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["payments-lapse"] = {
    "task": "funding.tasks.payments_lapse_task",
    "schedule": 3600.0,
}
# payouts: re-queue settlements a lost message or a dead worker left behind.
CELERY_BEAT_SCHEDULE["idempotency-records-purge"] = {
    "task": "core.tasks.idempotency_records_purge_task",
    "schedule": 3600.0,
}
# notifications: the daily digest e-mail, at this hour (UTC).
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7)
CELERY_BEAT_SCHEDULE["notification-digests"] = {
    "task": "notifications.tasks.notification_digests_task",
    "schedule": crontab(hour=NOTIFICATION_DIGEST_HOUR, minute=0),
}
# notifications: the outbox (notifications.outbox) keeps the tasks a write sets off (e-mails);
# they are published at commit, and beat publishes what the broker refused then, every this
# many seconds (and when a worker starts). Sent rows are deleted after OUTBOX_KEEP_HOURS.
OUTBOX_PUBLISH_INTERVAL_SECONDS = env_int("OUTBOX_PUBLISH_INTERVAL_SECONDS", 10)
OUTBOX_KEEP_HOURS = env_int("OUTBOX_KEEP_HOURS", 24)
CELERY_BEAT_SCHEDULE["outbox-publish"] = {
    "task": "notifications.tasks.outbox_publish_task",
    "schedule": float(OUTBOX_PUBLISH_INTERVAL_SECONDS),
}
# products: backers and followers hear once of each milestone past its due date.
CELERY_BEAT_SCHEDULE["milestones-tell-slipped"] = {
    "task": "products.tasks.milestones_tell_slipped_task",
    "schedule": 3600.0,
}
# products: refunds after an abandonment that a lost message left waiting go again.
CELERY_BEAT_SCHEDULE["refunds-resume"] = {
    "task": "products.tasks.refunds_resume_task",
    "schedule": 600.0,
}
CELERY_BEAT_SCHEDULE["settlements-resume"] = {
    "task": "payouts.tasks.settlements_resume_task",
    "schedule": float(SETTLEMENT_RESUME_INTERVAL_SECONDS),
}
# config.beat.LockedScheduler: the beat lock's lifetime; a dead beat's successor starts within it.
CELERY_BEAT_LOCK_SECONDS = env_int("CELERY_BEAT_LOCK_SECONDS", 30)
CELERY_BEAT_SCHEDULER = "config.beat:LockedScheduler"
