"""Heavy reads from a streaming replica; writes, and the reads that must see them, on the primary.

With ``DATABASE_REPLICA_URL`` set, ``config.settings`` adds the database alias ``replica`` (a
hot standby of the primary). ``ReadRoutingMiddleware`` decides once per request whether the
request's reads may go there; ``ReplicaRouter`` (in ``DATABASE_ROUTERS``) applies the decision
to every query. A read goes to the replica only when all of these hold:

* the request is a GET or HEAD of a heavy public read: the home lists, search, idea pages,
  products, profiles, the ideas API (``DATABASE_REPLICA_PATHS``);
* the caller wrote nothing in the last ``DATABASE_READ_YOUR_WRITES_SECONDS`` (a browser carries
  the ``rw`` cookie set on its last write; an API token is remembered in the cache, Redis), so
  whoever just voted or commented reads their own write;
* no transaction is open on the primary (a read inside ``transaction.atomic`` belongs with its
  writes);
* the replica answers and its replay lag is under ``DATABASE_REPLICA_MAX_LAG_SECONDS``: checked
  with one cheap query at most every ``DATABASE_REPLICA_CHECK_SECONDS`` per process; a replica
  that failed is not asked again for ``DATABASE_REPLICA_RETRY_SECONDS``.

Writes always go to the primary. A page that failed on the replica (it died mid-request) is
answered again from the primary, so a replica's death costs no visitor an error page. Celery
tasks and management commands never set the decision: they read the primary. Without the alias
nothing changes (the router answers ``None``: Django's default, the primary).
"""

import contextvars
import hashlib
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from .outages import DEPENDENCY_ERRORS

log = logging.getLogger(__name__)

WROTE_COOKIE = "rw"
SAFE_METHODS = ("GET", "HEAD")
PRIMARY, REPLICA = "primary", "replica"

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


def replica_alias() -> str | None:
    """The alias heavy reads go to, or None when no replica is configured."""
    return getattr(settings, "DATABASE_REPLICA_ALIAS", None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias is None or not _use_replica.get():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a read inside a transaction belongs with its writes
        return alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaHealth:
    """The replica's state as this process last saw it: fit for reads or not, until when."""

    LAG_SQL = (
        "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
        " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
        " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
    )

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fit = False
        self.until = 0.0  # monotonic time of the next check
        self.lag: float | None = None

    def usable(self) -> bool:
        now = time.monotonic()
        if now < self.until:
            return self.fit
        with self.lock:
            if now >= self.until:
                self.fit = self._check()
                wait = (
                    settings.DATABASE_REPLICA_CHECK_SECONDS
                    if self.fit
                    else settings.DATABASE_REPLICA_RETRY_SECONDS
                )
                self.until = now + wait
        return self.fit

    def _check(self) -> bool:
        alias = replica_alias()
        try:
            self.lag = self.replay_lag(alias)
        except DEPENDENCY_ERRORS as error:
            log.warning("replica %s unreachable, reads go to the primary: %s", alias, error)
            self.lag = None
            _drop(alias)
            return False
        if self.lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
            log.warning("replica lags %.1f s, reads go to the primary", self.lag)
            return False
        return True

    def replay_lag(self, alias: str) -> float:
        """Seconds the replica's replay is behind (0 when it has replayed all it received)."""
        with connections[alias].cursor() as cursor:
            cursor.execute(self.LAG_SQL)
            return float(cursor.fetchone()[0])

    def recheck(self) -> None:
        """A request on the replica failed: check it again before the next read goes there."""
        self.until = 0.0
        _drop(replica_alias())


def _drop(alias: str) -> None:
    """Forget the replica's connection (perhaps broken); never the primary's."""
    if alias != DEFAULT_DB_ALIAS:
        connections[alias].close()


health = ReplicaHealth()


def _token_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    return "dbrouting:wrote:" + hashlib.sha256(header.encode()).hexdigest()[:32]


def wrote_recently(request) -> bool:
    """Did this browser or token write in the read-your-writes window?"""
    if request.COOKIES.get(WROTE_COOKIE):
        return True
    key = _token_key(request)
    if key is None:
        return False
    try:
        return cache.get(key) is not None
    except DEPENDENCY_ERRORS:
        return True  # cannot tell: the primary is always right


def _remember_write(request, response) -> None:
    seconds = settings.DATABASE_READ_YOUR_WRITES_SECONDS
    response.set_cookie(WROTE_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax")
    key = _token_key(request)
    if key is not None:
        try:
            cache.set(key, 1, seconds)
        except DEPENDENCY_ERRORS:
            pass  # the cookie still covers browsers; a token client may read a stale page


_paths: tuple[str, re.Pattern] | None = None


def heavy_read(path: str) -> bool:
    global _paths
    patterns = "|".join(f"(?:{p})" for p in settings.DATABASE_REPLICA_PATHS)
    if _paths is None or _paths[0] != patterns:
        _paths = (patterns, re.compile(patterns))
    return bool(_paths[1].fullmatch(path))


def read_from(request) -> str:
    """Where this request's reads go: REPLICA or PRIMARY (the router's decision)."""
    if replica_alias() is None or request.method not in SAFE_METHODS:
        return PRIMARY
    if not heavy_read(request.path_info) or wrote_recently(request):
        return PRIMARY
    return REPLICA if health.usable() else PRIMARY


class ReadRoutingMiddleware:
    """Sets the request's read decision for ``ReplicaRouter``; remembers writers. First in
    ``MIDDLEWARE`` after security, so the session and the member are read where the page is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            request.db_read_from = PRIMARY
            response = self.get_response(request)
            if replica_alias() is not None:
                _remember_write(request, response)
            return response
        request.db_read_from = read_from(request)
        if request.db_read_from == PRIMARY:
            return self.get_response(request)
        token = _use_replica.set(True)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if response.status_code >= 500:
            # Perhaps the replica died under this request: answer from the primary, and look
            # at the replica again before the next request reads there.
            health.recheck()
            request.db_read_from = PRIMARY
            response = self.get_response(request)
        return response
