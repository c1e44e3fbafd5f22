"""The Prometheus metrics of every process, and how they are exposed.

Each gunicorn worker and each Celery worker process counts into its own registry. With
``PROMETHEUS_MULTIPROC_DIR`` set (before the first import of prometheus_client: the entrypoint
and the cluster set it per process group), every process writes its values to files there, and
a scrape of any one process of the group reads them all (``MultiProcessCollector``): the answer
is the group's, whichever gunicorn worker serves it. Give each group (one gunicorn, one Celery
worker) a directory of its own: two groups sharing one would each expose the other's counts.

The scrape endpoint answers 404 while ``METRICS_TOKEN`` is unset and 401 without
``Authorization: Bearer <METRICS_TOKEN>``.
"""

import hmac
import os
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    multiprocess,
)
from prometheus_client import generate_latest as _generate_latest

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if MULTIPROC_DIR:
    Path(MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)

# Latency buckets around what a page takes here (a vote ~1 ms of SQL, a search tens of ms).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)
QUERY_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

HTTP_REQUESTS = Counter(
    "ahhha_http_requests",
    "HTTP requests answered, by method, route (the resolved URL name) and status code.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "ahhha_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by method and route.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
HTTP_DB_QUERIES = Histogram(
    "ahhha_http_db_queries",
    "SQL statements one request ran (every database alias), by route.",
    ["route"],
    buckets=QUERY_BUCKETS,
)
HTTP_EXCEPTIONS = Counter(
    "ahhha_http_exceptions",
    "Exceptions a view raised that no other middleware answered (a 500), by route and class.",
    ["route", "exception"],
)
TASKS = Counter(
    "ahhha_celery_tasks",
    "Celery tasks by name and state: started, then success, failure, retry or another final state.",
    ["task", "state"],
)
TASK_DURATION = Histogram(
    "ahhha_celery_task_duration_seconds",
    "Run time of a Celery task, by name and final state.",
    ["task", "state"],
    buckets=TASK_BUCKETS,
)


def observe_request(*, method: str, route: str, status: int, seconds: float, queries: int):
    method = method if method in METHODS else "OTHER"
    HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    HTTP_LATENCY.labels(method=method, route=route).observe(seconds)
    HTTP_DB_QUERIES.labels(route=route).observe(queries)


def process_registry():
    """What this process group has counted: every process's files in multiprocess mode, else
    this process's default registry."""
    if MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=MULTIPROC_DIR)
        return registry
    return REGISTRY


class _Together:
    def __init__(self, collectors: Iterable):
        self.collectors = list(collectors)

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def exposition(*extra_collectors) -> bytes:
    """The text a scrape answers: the group's counts plus scrape-time collectors."""
    return _generate_latest(_Together([process_registry(), *extra_collectors]))


CONTENT_TYPE = CONTENT_TYPE_LATEST


def authorised(authorization: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header carries the bearer token (compared in constant
    time). An unset token authorises nobody."""
    if not token or not authorization:
        return False
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def clear_multiproc_dir(path: str = MULTIPROC_DIR) -> None:
    """Forget a previous run's files (called once when gunicorn or a Celery worker starts, before
    any process of the group counts): counters start again from zero, as after any restart."""
    if not path:
        return
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink(missing_ok=True)


def mark_process_dead(pid: int) -> None:
    if MULTIPROC_DIR:
        multiprocess.mark_process_dead(pid, MULTIPROC_DIR)
