"""Celery's side: the request id travels in a task's message headers and is bound to every line
the task logs; tasks are counted by state and timed; a worker serves its metrics on a port.

``connect(app)`` (config.celery) wires the Celery signals; nothing here imports an app."""

import os
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import structlog
from celery import signals
from django.conf import settings

from . import logs, metrics

HEADER = "request_id"
log = logs.get_logger("ahhha.tasks")
# task id → (the context to restore when it ends, when it started). A task run in-process
# (eager) runs inside the request, whose context it must hand back.
_running: dict[str, tuple[dict, float]] = {}


def _name(task) -> str:
    return getattr(task, "name", None) or "unknown"


def add_request_id(headers=None, **kwargs) -> None:
    """before_task_publish: the id of the request (or task) that queues this task goes with it."""
    request_id = logs.bound().get("request_id")
    if headers is not None and request_id and HEADER not in headers:
        headers[HEADER] = request_id


def task_started(task_id=None, task=None, **kwargs) -> None:
    request_id = getattr(task.request, HEADER, None) or logs.bound().get("request_id")
    tokens = structlog.contextvars.bind_contextvars(
        request_id=request_id, task_id=task_id, task=_name(task)
    )
    _running[task_id] = (tokens, time.perf_counter())
    metrics.TASKS.labels(task=_name(task), state="started").inc()
    log.info("task started")


def task_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    tokens, started = _running.pop(task_id, ({}, None))
    final = (state or "unknown").lower()
    metrics.TASKS.labels(task=_name(task), state=final).inc()
    if started is not None:
        seconds = time.perf_counter() - started
        metrics.TASK_DURATION.labels(task=_name(task), state=final).observe(seconds)
        log.info("task finished", extra={"state": final, "duration_ms": round(seconds * 1000, 2)})
    if tokens:
        structlog.contextvars.reset_contextvars(**tokens)


def keep_django_logging(**kwargs) -> None:
    """setup_logging: a receiver tells Celery to leave logging alone, so a worker logs through
    Django's LOGGING (structlog, JSON in production) like the web processes."""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # scrapes every 15 s would fill the log
        pass


def metrics_app(environ, start_response):
    """The worker's scrape endpoint: GET /metrics with the bearer token, as the web's."""
    token = settings.METRICS_TOKEN
    if environ.get("PATH_INFO") != "/metrics" or not token:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]
    if not metrics.authorised(environ.get("HTTP_AUTHORIZATION"), token):
        start_response(
            "401 Unauthorized",
            [("Content-Type", "text/plain"), ("WWW-Authenticate", 'Bearer realm="metrics"')],
        )
        return [b"unauthorised\n"]
    body = metrics.exposition()
    start_response("200 OK", [("Content-Type", metrics.CONTENT_TYPE)])
    return [body]


def serve_metrics(host: str, port: int) -> WSGIServer:
    server = make_server(host, port, metrics_app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server


def worker_started(sender=None, **kwargs) -> None:
    """worker_init, in the worker's main process before its pool starts: a fresh metrics
    directory for the group, and the scrape port when ``CELERY_METRICS_PORT`` names one."""
    metrics.clear_multiproc_dir()
    port = settings.WORKER_METRICS_PORT
    if not port:
        return
    if not settings.METRICS_TOKEN:
        log.warning("CELERY_METRICS_PORT is set but METRICS_TOKEN is not: no metrics served")
        return
    serve_metrics(settings.WORKER_METRICS_HOST, port)
    log.info("metrics served", extra={"host": settings.WORKER_METRICS_HOST, "port": port})


def process_ended(pid=None, **kwargs) -> None:
    metrics.mark_process_dead(pid or os.getpid())


def connect(app) -> None:
    signals.before_task_publish.connect(add_request_id, weak=False)
    signals.task_prerun.connect(task_started, weak=False)
    signals.task_postrun.connect(task_finished, weak=False)
    signals.setup_logging.connect(keep_django_logging, weak=False)
    signals.worker_init.connect(worker_started, weak=False)
    signals.worker_process_shutdown.connect(process_ended, weak=False)
