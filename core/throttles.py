"""Rate limits per member and per address (429 with Retry-After).

A view sets ``throttle_classes = THROTTLES`` and ``throttle_scope = "vote"``; the rates live in
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` as ``<scope>_user`` and ``<scope>_ip`` and are read
at request time (so settings changes take effect). Only unsafe methods count: reading is never
throttled here.

Both limits are fixed-window counters checked together. On Redis that is one command (a small
Lua script: ``INCR``, ``EXPIRE`` on the window's first hit, ``TTL``, per key) however many
limits apply: rate limiting sits on the hot path of every vote, and DRF's stock throttles cost
two round trips per limit and re-pickle a growing list of timestamps on every request.
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


# Every limit's fixed window in ONE command: INCR, start the window on the first hit, answer
# (count, seconds left) per key. One command instead of three per key: redis-py's packing and
# parsing of each command cost more CPU than Redis spends on them.
_HIT = """
local out = {}
for i, key in ipairs(KEYS) do
    local count = redis.call('INCR', key)
    if count == 1 then redis.call('EXPIRE', key, ARGV[i]) end
    local ttl = redis.call('TTL', key)
    if ttl < 0 then redis.call('EXPIRE', key, ARGV[i]); ttl = tonumber(ARGV[i]) end
    out[#out + 1] = count
    out[#out + 1] = ttl
end
return out
"""
_scripts: dict[int, object] = {}


def _hit_redis(client, keys: list[tuple[str, int]]) -> list[tuple[int, int]]:
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_HIT)
    results = script(keys=[cache.make_key(key) for key, _ in keys], args=[d for _, d in keys])
    return [(results[i * 2], max(results[i * 2 + 1], 1)) for i in range(len(keys))]


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


def token_ident(key: str) -> str:
    """Whom ``<scope>_user`` counts for a request with an API token: the token's hash (a
    member has one token; the key itself never goes to the cache). Known without looking the
    token up, so a view that checks the token itself (voting's vote by token) counts first."""
    return "token-" + hashlib.sha256(key.encode()).hexdigest()[:32]


def limit_wait_once(request, scope: str, idents: list[tuple[str, str]]) -> int | None:
    """``limit_wait``, remembered on the request: a view that counts before DRF's dispatch
    (voting's vote by token) and then hands the request to DRF has it answered from this count
    by ``MemberAndAddressThrottle`` instead of counted twice."""
    wait = limit_wait(scope, idents)
    request._limits_counted = {**getattr(request, "_limits_counted", {}), scope: wait}
    return wait


def _member_ident(request) -> str | None:
    lazy = getattr(request, "lazy_token", None)
    if lazy is not None:  # not authenticated yet (voting's token vote): counted by the token
        return token_ident(lazy)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    auth = getattr(request, "auth", None)
    return token_ident(auth) if isinstance(auth, str) else str(user.pk)


class MemberAndAddressThrottle(BaseThrottle):
    """Counts a request against ``<scope>_user`` (signed-in members: ``_member_ident``) and
    ``<scope>_ip``; the address is ``core.net.client_ip`` (trusted proxies only, never a
    forgeable header)."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        self._wait: int | None = None
        if request.method in _SAFE:
            return True
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        counted = getattr(request, "_limits_counted", {})
        if scope in counted:
            self._wait = counted[scope]
            return self._wait is None
        idents = [("ip", self.get_ident(request))]
        member = _member_ident(request)
        if member is not None:
            idents.insert(0, ("user", member))
        self._wait = limit_wait(scope, idents)
        return self._wait is None

    def wait(self) -> int | None:
        return self._wait


THROTTLES = [MemberAndAddressThrottle]
