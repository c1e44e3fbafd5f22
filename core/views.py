import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import outages


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    """The cache holds rate limits and idempotency records: without it writes answer 503."""
    cache.get("healthz")
    return "ok"


def _check_broker() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: the database, the cache and (when configured) the broker answer;
    each check says "ok" or which error it met."""
    checks: dict[str, str] = {}
    healthy = True
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means "not ready"; say which
            checks[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon."""
    return redirect(static("favicon.svg"))


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse(
            {
                "error": {
                    "status": 404,
                    "code": "not_found",
                    "message": gettext("Not found."),
                    "fields": {},
                }
            },
            status=404,
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500; an outage met outside any view (in a middleware) still answers 503."""
    if outages.current_outage() is not None:
        return outages.unavailable_response(request)
    if _wants_json(request):
        body = {
            "status": 500,
            "code": "server_error",
            "message": gettext("Server error."),
            "fields": {},
        }
        return JsonResponse({"error": body}, status=500)
    return defaults.server_error(request)
