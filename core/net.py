"""What the network hands us, read defensively: the client's address, where to go next, ids.

* ``client_ip(request)``: the client's address, trusting ``X-Forwarded-For`` only as far as
  ``TRUSTED_PROXY_COUNT`` proxies we run ourselves. With 0 (the default) it is ``REMOTE_ADDR``;
  with N it is the N-th address from the right of ``X-Forwarded-For`` (each of our proxies
  appends the address it saw; anything further left was written by the client and is ignored).
* ``safe_next(request, fallback)``: a ``next=`` target only when it stays on this site.
* ``parse_id(value)``: an id from a query or body: ASCII digits only, within PostgreSQL's
  bigint range, else None (``str.isdigit()`` accepts "³" and "١", which ``int()`` refuses or
  the database cannot hold).
"""

import re

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

_ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


def client_ip(request) -> str:
    """The client's address, from the right-most ``TRUSTED_PROXY_COUNT`` forwarded hops."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]


def safe_next(request, fallback: str = "/", *, value: str | None = None) -> str:
    """``next`` (POST first, then the query string) when it points at this site, else
    ``fallback``. Refuses other hosts, scheme-relative (``//evil``), ``https:evil``,
    backslash tricks (``/\\evil``) and, on a secure request, plain http."""
    if value is None:
        value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return fallback


def parse_id(value) -> int | None:
    """``"42"`` → 42; anything else ("", " 42", "4.0", "³", "１", 2^63) → None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None
