"""Rate limits per member and per address (429 with Retry-After).

A view sets ``throttle_classes = THROTTLES`` and ``throttle_scope = "vote"``; the rates live in
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` as ``<scope>_user`` and ``<scope>_ip`` and are read
at request time (so settings changes take effect). Only unsafe methods count: reading is never
throttled here.

Both limits are fixed-window counters checked together. On Redis that is one pipelined round
trip (``INCR`` + ``EXPIRE NX`` + ``TTL`` per key) however many limits apply: rate limiting sits
on the hot path of every vote, and DRF's stock throttles cost two round trips per limit and
re-pickle a growing list of timestamps on every request.
"""

import hashlib
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .net import client_ip

_SAFE = ("GET", "HEAD", "OPTIONS")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/min" → (30, 60)."""
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def _hit_redis(client, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
    pipe = client.pipeline(transaction=False)
    for raw_key, duration in keys:
        key = cache.make_key(raw_key)
        pipe.incr(key)
        pipe.expire(key, duration, nx=True)
        pipe.ttl(key)
    results = pipe.execute()
    return [(results[i * 3], max(results[i * 3 + 2], 1)) for i in range(len(keys))]


def _hit_portable(keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
    out = []
    now = time.time()
    for key, duration in keys:
        count, expires = cache.get(key) or (0, now + duration)
        if expires <= now:
            count, expires = 0, now + duration
        count += 1
        cache.set(key, (count, expires), timeout=max(int(expires - now), 1))
        out.append((count, max(int(expires - now), 1)))
    return out


def _redis_client():
    """The Redis client of the cache backend (core.cache: one per pool), or None off Redis."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    return backend.get_client(write=True)


def limit_wait(scope: str, idents: list[tuple[str, str]]) -> int | None:
    """Count one request against ``<scope>_<suffix>`` for each ``(suffix, ident)``; the seconds
    to wait when any limit is exceeded, else None. Pages and services use it directly, e.g.
    ``limit_wait("signup", [("ip", client_ip(request)), ("email", email)])``."""
    rates = api_settings.DEFAULT_THROTTLE_RATES
    limits = []
    for suffix, ident in idents:
        rate = rates.get(f"{scope}_{suffix}")
        if rate and ident:
            if suffix not in ("ip", "user"):  # e-mail addresses, usernames: fixed-size keys
                ident = hashlib.sha256(ident.casefold().encode()).hexdigest()[:32]
            num, duration = parse_rate(rate)
            limits.append((f"throttle:{scope}_{suffix}:{ident}", num, duration))
    if not limits:
        return None
    keys = [(key, duration) for key, _num, duration in limits]
    client = _redis_client()
    hits = _hit_redis(client, keys) if client is not None else _hit_portable(keys)
    refused = [ttl for (count, ttl), (_k, num, _d) in zip(hits, limits, strict=True) if count > num]
    return max(refused) if refused else None


class MemberAndAddressThrottle(BaseThrottle):
    """Counts a request against ``<scope>_user`` (signed-in members) and ``<scope>_ip``; the
    address is ``core.net.client_ip`` (trusted proxies only, never a forgeable header)."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        self._wait: int | None = None
        if request.method in _SAFE:
            return True
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        user = getattr(request, "user", None)
        idents = [("ip", self.get_ident(request))]
        if user is not None and user.is_authenticated:
            idents.insert(0, ("user", str(user.pk)))
        self._wait = limit_wait(scope, idents)
        return self._wait is None

    def wait(self) -> int | None:
        return self._wait


THROTTLES = [MemberAndAddressThrottle]
