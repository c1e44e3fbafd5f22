"""Metrics and logs from real processes: gunicorn workers counting into one multiprocess
directory, and a real Celery worker (prefork) that logs a request's id in JSON and serves its
task metrics on its own port."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-token-for-processes-0123456789"
QUEUE = f"observability-test-{os.getpid()}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = django_settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _get(url: str, token: str | None = TOKEN, timeout: float = 60):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def _wait_for(predicate, timeout: float = 60.0, what: str = "it"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _total(text: str, name: str, **labels) -> float:
    found = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                found += sample.value
    return found


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.mark.django_db(transaction=True)
def test_every_gunicorn_worker_is_counted_whichever_answers_the_scrape(tmp_path):
    """Two workers recycled every 3 requests: four processes or more served, and every scrape,
    whichever worker answers it, counts all of their requests."""
    port = _free_port()
    metrics_dir = tmp_path / "web-metrics"
    (metrics_dir).mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"left over from a previous run")
    env = {**os.environ, "DATABASE_URL": _database_url(), "METRICS_TOKEN": TOKEN,
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "platform/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--max-requests", "3",
         "--max-requests-jitter", "0", "--no-control-socket", "config.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _get(f"{base}/healthz")[0] in (200, 503), what="gunicorn")
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: _get(f"{base}/healthz"), range(11)))
        assert _get(f"{base}/metrics", token=None)[0] == 401
        assert _get(f"{base}/metrics", token="not-the-token")[0] == 401
        for _ in range(3):
            status, text = _get(f"{base}/metrics")
            assert status == 200
            assert _total(text, "ahhha_http_requests_total", route="healthz") == 12
            assert _total(text, "ahhha_http_request_duration_seconds_count", route="healthz") == 12
    finally:
        _stop(server)
    counted_by = {path.name for path in metrics_dir.glob("counter_*.db")}
    assert len(counted_by) >= 4  # 12 health checks, 3 a worker: at least 4 processes
    assert "counter_999999.db" not in counted_by  # the last run's counts were forgotten


@pytest.fixture
def broker(redis_url):
    import redis

    redis.Redis.from_url(redis_url).delete(QUEUE)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.task_default_queue)
    conf.task_always_eager = False
    conf.broker_url = redis_url
    conf.task_default_queue = QUEUE
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield redis_url
    conf.task_always_eager, conf.broker_url, conf.task_default_queue = saved
    redis.Redis.from_url(redis_url).delete(QUEUE)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_request_id_reaches_the_log_of_the_task_it_queued(broker, client, make_user, tmp_path):
    port = _free_port()
    log_path = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": broker,
           "CELERY_QUEUE": QUEUE, "LOG_FORMAT": "json", "METRICS_TOKEN": TOKEN,
           "CELERY_METRICS_PORT": str(port),
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "m")}  # fmt: skip
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork", "-c",
             "2", "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", QUEUE,
             "-n", f"observability-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    try:
        _wait_for(lambda: _get(metrics_url)[0] == 200, what="the worker's metrics port")
        make_user("forgetful")  # forgetful@example.org
        request_id = f"req-{uuid.uuid4().hex}"
        answer = client.post(
            "/accounts/password-reset/",
            {"email": "forgetful@example.org"},
            HTTP_X_REQUEST_ID=request_id,
        )
        assert answer.status_code == 302
        assert answer["X-Request-ID"] == request_id

        def finished():
            return [
                line
                for line in _json_lines(log_path)
                if line.get("event") == "task finished"
                and line.get("task") == "accounts.tasks.account_email_task"
            ]

        _wait_for(finished, what="the e-mail task to finish")
        [done] = finished()
        assert done["request_id"] == request_id
        assert done["state"] == "success"
        assert done["level"] == "info"
        # Celery's own line about the task carries it too.
        celery_lines = [
            line
            for line in _json_lines(log_path)
            if line.get("logger") == "celery.app.trace"
            and "account_email_task" in line["event"]
            and "succeeded" in line["event"]
        ]
        assert [line["request_id"] for line in celery_lines] == [request_id]

        # The task ran in a pool process; the main process's port answers for it.
        assert _get(metrics_url, token=None)[0] == 401
        status, text = _get(metrics_url)
        assert status == 200
        task = {"task": "accounts.tasks.account_email_task"}
        assert _total(text, "ahhha_celery_tasks_total", **task, state="started") == 1
        assert _total(text, "ahhha_celery_tasks_total", **task, state="success") == 1
        assert _total(text, "ahhha_celery_task_duration_seconds_count", **task) == 1
    finally:
        _stop(worker)
