"""The request id, the request metrics and one log line per request (the first middleware)."""

import re
import time
import uuid
from contextlib import ExitStack

import sentry_sdk
from django.db import connections

from . import logs, metrics

HEADER = "X-Request-ID"
# An id given by the proxy or the client is kept when it is short and plain; anything else is
# replaced, so a log line can never carry what a client smuggled into it.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
UNRESOLVED = "<unresolved>"
log = logs.get_logger("ahhha.request")


def request_id_from(value: str | None) -> str:
    if value and _VALID_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def route_of(request) -> str:
    """The resolved URL's name (``ideas:detail``), never the raw path: one series per view,
    however many ideas there are. A path no URL matched is ``<unresolved>``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED
    return match.view_name or match.route or UNRESOLVED


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestObservabilityMiddleware:
    """Gives each request an id (``X-Request-ID`` from the proxy, else a new one) that every log
    line of the request carries, that travels in the headers of the Celery tasks it queues
    (core.observability.tasks), and that the response returns; then counts the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        logs.unbind_all()
        logs.bind(request_id=request_id)
        sentry_sdk.set_tag("request_id", request_id)
        counter = _QueryCounter()
        started = time.perf_counter()
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(counter))
                response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = route_of(request)
            metrics.observe_request(
                method=request.method,
                route=route,
                status=response.status_code,
                seconds=seconds,
                queries=counter.count,
            )
            response[HEADER] = request_id
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                    "db_queries": counter.count,
                },
            )
            return response
        finally:
            logs.unbind_all()

    def process_exception(self, request, exception):
        metrics.HTTP_EXCEPTIONS.labels(
            route=route_of(request), exception=type(exception).__name__
        ).inc()
        return None
