"""When a dependency is down: 503 with ``Retry-After``, never a bare 500.

PostgreSQL refusing connections, Redis (cache, rate limits, broker) unreachable or the Celery
broker refusing a message all surface as one of ``DEPENDENCY_ERRORS``. They are mapped here, at
three layers that together see every request:

* the API's exception handler (``core.errors.api_exception_handler``) for DRF views;
* ``DependencyOutageMiddleware.process_exception`` for page views;
* ``core.views.server_error`` (handler500) for what a middleware raised outside any view.

Writes run in ``transaction.atomic`` blocks, so an outage in the middle of one rolls it back:
the answer says "try again" and nothing was half written. The converse holds too: once a write
has committed, an outage must not turn its answer into a 503 (a retry would write it twice), so
what runs after the commit never raises one of these: a notification's e-mails wait in the
outbox (``notifications.outbox``), ``enqueue_on_commit`` logs a publish that failed, the list
cache's version bump is best effort.
"""

import logging
import sys

import kombu.exceptions
import redis.exceptions
from celery import current_app
from django.conf import settings
from django.db import InterfaceError, transaction
from django.db import OperationalError as DatabaseError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

DEPENDENCY_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
    DatabaseError,
    InterfaceError,
)

log = logging.getLogger(__name__)

MESSAGE = gettext_lazy("The service is briefly unavailable. Try again in a few seconds.")


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DEPENDENCY_ERRORS)


def retry_after() -> str:
    return str(settings.OUTAGE_RETRY_AFTER_SECONDS)


def error_body() -> dict:
    return {
        "error": {
            "status": 503,
            "code": "service_unavailable",
            "message": MESSAGE,
            "fields": {},
        }
    }


def unavailable_response(request) -> HttpResponse:
    """The JSON error shape under /api/, a styled page elsewhere; both with Retry-After. The page
    is rendered without the request: its context processors would ask the database again."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error_body(), status=503)
    else:
        html = render_to_string("503.html", {"retry_after": settings.OUTAGE_RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = retry_after()
    response["Cache-Control"] = "no-store"
    return response


def current_outage() -> BaseException | None:
    """The dependency error being handled right now (inside handler500), if any."""
    exc = sys.exc_info()[1]
    while exc is not None:
        if is_outage(exc):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


class DependencyOutageMiddleware:
    """A page view that met an outage answers 503 (the API's handler does the same for DRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            return unavailable_response(request)
        return None


def broker_check() -> None:
    """Raise kombu's OperationalError now if the broker refuses connections (a no-op when tasks
    run in-process)."""
    if current_app.conf.task_always_eager:
        return
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


def enqueue_on_commit(task, *args, what: str = "") -> None:
    """Queue ``task`` once the transaction commits, for a job whose state is in the database.

    The broker is asked first, inside the transaction: when it is down the request fails (503)
    and rolls back, so no row waits for a message that was never sent. A publish that still
    fails after the commit (the broker fell in between) is logged: the row is whole, and the
    caller's beat safety net finds it and queues it again."""
    broker_check()

    def publish() -> None:
        try:
            task.delay(*args)
        except DEPENDENCY_ERRORS:
            log.warning("could not queue %s%s; the safety net will", task.name, what)

    transaction.on_commit(publish)
