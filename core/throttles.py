"""Rate limits per member and per address (DRF answers 429 with Retry-After).

A view lists both classes of a scope, e.g. ``throttle_classes = throttles_for("vote")``; the
rates live in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` as ``<scope>_user`` and
``<scope>_ip``. Only unsafe methods are limited: reading is never throttled here.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _ScopedThrottle(SimpleRateThrottle):
    suffix = ""

    def __init__(self) -> None:  # the rate is looked up per request, from the view's scope
        pass

    def get_rate(self) -> str | None:
        # Read the rates now, not at import, so settings changes (and tests) take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        self.scope = f"{view.throttle_scope}_{self.suffix}"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class MemberRateThrottle(_ScopedThrottle):
    suffix = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # anonymous requests are refused by permissions anyway
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(_ScopedThrottle):
    suffix = "ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


THROTTLES = [MemberRateThrottle, AddressRateThrottle]
