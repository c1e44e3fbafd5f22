"""The settlement on a real Celery worker against Redis and PostgreSQL, and a worker killed in
the middle of posting: nothing half-posted, and running it again posts exactly once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db.models import Sum

from config.celery import app as celery_app
from payouts import selectors, services
from payouts.models import LedgerEntry, LedgerTransaction, Settlement
from payouts.tasks import settlement_post_task

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

# The Redis is the ``redis_url`` fixture's (tests/conftest.py). A queue of this test process's
# own: other test runs sharing the Redis database (parallel workers, other checkouts) neither
# take these tasks nor see their queue flushed.
QUEUE = f"payouts-test-{os.getpid()}"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broker(redis_url):
    """This test's tasks go to Redis for a real worker, not in-process."""
    import redis

    redis.Redis.from_url(redis_url).delete(QUEUE)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.task_default_queue)
    conf.task_always_eager = False
    conf.broker_url = redis_url
    conf.task_default_queue = QUEUE
    celery_app._pool = None  # forget connections to the in-memory broker
    celery_app.amqp._producer_pool = None
    yield
    conf.task_always_eager, conf.broker_url, conf.task_default_queue = saved
    redis.Redis.from_url(redis_url).delete(QUEUE)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


# A worker whose posting step stops right after its writes (the staged ledger transaction is
# posted inside the still-open database transaction): it touches the marker file and sleeps, so
# the test can kill it there. The seam is the real ``ledger.post_transaction``, patched in the
# worker process only; production code has no test hook.
PAUSED_WORKER = """
import os, time
from config.celery import app
import django
django.setup()
from payouts.services import ledger
post_transaction = ledger.post_transaction
def paused(*args, **kwargs):
    post_transaction(*args, **kwargs)
    with open({marker!r}, "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(60)
ledger.post_transaction = paused
app.worker_main({argv!r})
"""


# A worker whose settlement job stops right after its first staged ledger entries (autocommitted,
# mid-preview): it touches the marker file and sleeps while its heartbeat thread keeps beating,
# so the test can SIGKILL it in the middle of the run. The seam is the real
# ``ledger.write_entries``, patched in this worker process only.
PAUSED_RUN_WORKER = """
import os, time
from config.celery import app
import django
django.setup()
from payouts.services import ledger
write_entries = ledger.write_entries
def paused(*args, **kwargs):
    write_entries(*args, **kwargs)
    with open({marker!r}, "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(120)
ledger.write_entries = paused
app.worker_main({argv!r})
"""


@pytest.fixture
def start_worker(broker, redis_url, tmp_path):
    """start_worker(pause_posting_at=None) → a `celery -A config worker` subprocess on the
    *test* database (one that pauses while posting when given a marker path)."""
    workers: list[subprocess.Popen] = []
    db = django_settings.DATABASES["default"]

    def start(
        *,
        pause_posting_at: Path | None = None,
        pause_run_at: Path | None = None,
        beat: bool = False,
    ):
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if db.get("PASSWORD"):
            url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "CELERY_QUEUE": QUEUE}
        log = open(tmp_path / f"worker-{len(workers)}.log", "w")  # noqa: SIM115
        argv = ["worker", "-P", "solo", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-l", "info", "-Q", QUEUE,
                "-n", f"payouts-test-{len(workers)}-{os.getpid()}@%h"]  # fmt: skip
        if beat:  # beat inside the worker: the settlements-resume safety net runs
            argv += ["--beat", "-s", str(tmp_path / f"beat-{len(workers)}")]
        if pause_posting_at is not None:
            script = PAUSED_WORKER.format(marker=str(pause_posting_at), argv=argv)
            command = [sys.executable, "-c", script]
        elif pause_run_at is not None:
            script = PAUSED_RUN_WORKER.format(marker=str(pause_run_at), argv=argv)
            command = [sys.executable, "-c", script]
        else:
            command = [sys.executable, "-m", "celery", "-A", "config", *argv]
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)


def _wait_for(predicate, timeout: float = 60.0, what: str = "the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _status(settlement) -> str:
    return Settlement.objects.values_list("status", flat=True).get(pk=settlement.pk)


def test_a_real_worker_runs_the_settlement_and_posts_it(team, record, start_worker):
    start_worker()
    settlement = services.period_settle(period=record(), actor=team.finance)
    _wait_for(lambda: _status(settlement) == "preview", what="the preview")

    services.settlement_approve(settlement=settlement, actor=team.finance2)
    _wait_for(lambda: _status(settlement) == "posted", what="the posting")

    settlement.refresh_from_db()
    assert settlement.progress == 100
    assert LedgerTransaction.objects.filter(settlement=settlement).count() == 1
    _wait_for(
        lambda: team.alice.notifications.filter(kind="settlement_posted").exists(),
        what="the notification",
    )


def test_a_worker_killed_while_posting_leaves_nothing_half_posted(
    team, record, start_worker, tmp_path
):
    marker = tmp_path / "posting-paused"
    worker = start_worker(pause_posting_at=marker)
    settlement = services.period_settle(period=record(), actor=team.finance)
    _wait_for(lambda: _status(settlement) == "preview", what="the preview")
    services.settlement_approve(settlement=settlement, actor=team.finance2)

    # The worker has written the entries inside its transaction and now sleeps: kill it.
    _wait_for(marker.exists, what="the posting step to start")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)

    assert _status(settlement) == "preview"
    assert not LedgerTransaction.objects.filter(posted_at__isnull=False).exists()
    assert selectors.member_balances(member_id=team.alice.pk) == {}  # staged entries only

    # Run it again, twice, on a healthy worker: it posts exactly once.
    start_worker()
    settlement_post_task.delay(settlement.pk)
    settlement_post_task.delay(settlement.pk)
    _wait_for(lambda: _status(settlement) == "posted", what="the posting")
    time.sleep(1)  # let the second message finish too
    assert LedgerTransaction.objects.filter(settlement=settlement).count() == 1
    assert LedgerTransaction.objects.get(settlement=settlement).posted_at is not None
    assert LedgerEntry.objects.count() == 5


def test_a_worker_killed_mid_settlement_is_resumed_within_60_s_exactly_once(
    team, record, start_worker, tmp_path
):
    marker = tmp_path / "run-paused"
    worker = start_worker(pause_run_at=marker)
    settlement = services.period_settle(period=record(), actor=team.finance)

    # The job has claimed the settlement and staged entries, and now sleeps: SIGKILL it.
    _wait_for(marker.exists, what="the settlement job to start")
    assert _status(settlement) == "running"
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert _status(settlement) == "running"  # nobody left to finish or to say it died

    # A new worker (with beat) takes it over once the heartbeat is stale: within 60 s.
    started = time.monotonic()
    start_worker(beat=True)
    _wait_for(lambda: _status(settlement) == "preview", timeout=60, what="the resumed job")
    assert time.monotonic() - started < 60

    staged = LedgerTransaction.objects.filter(settlement=settlement)
    assert staged.count() == 1
    entries = LedgerEntry.objects.filter(transaction__settlement=settlement)
    totals = entries.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    assert totals["debit"] == totals["credit"] == 1_000_00
    settlement.refresh_from_db()
    assert settlement.lines.count() == 4
    assert sum(settlement.lines.values_list("amount", flat=True)) == 1_000_00

    services.settlement_approve(settlement=settlement, actor=team.finance2)
    _wait_for(lambda: _status(settlement) == "posted", what="the posting")
    assert LedgerTransaction.objects.get(settlement=settlement).posted_at is not None
