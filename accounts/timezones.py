"""Times in the reader's time zone; stored in UTC (``USE_TZ``).

A member's zone is a setting on their account (``User.time_zone``); until they choose one, and
for visitors, it is the browser's: ``static/js/timezone.js`` puts the zone the browser reports
(``Intl.DateTimeFormat().resolvedOptions().timeZone``) in the ``tz`` cookie. Anything that is not
an IANA zone name is ignored, so the site's ``TIME_ZONE`` (UTC) stays the fallback.
"""

import re
import zoneinfo
from functools import cache

from django.utils import timezone

COOKIE = "tz"
LATIN = re.compile("[A-Za-z]")


@cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every zone as (IANA name, what a reader of ``language`` reads): in English the IANA
    name; in another language the place as CLDR names it ("中国（上海）时间"), where CLDR has a
    name for it in that language's script, else the IANA name (offset zones like Etc/GMT+5)."""
    return tuple((name, zone_label(name, language)) for name in sorted(zone_names()))


@cache
def zone_label(name: str, language: str) -> str:
    plain = name.replace("_", " ")
    if language.split("-")[0] == "en":
        return plain
    from babel.dates import get_timezone_location
    from django.utils.translation import to_locale

    try:
        label = get_timezone_location(name, locale=to_locale(language))
    except (LookupError, ValueError):
        return plain
    return plain if LATIN.search(label) or not label else label


def parse_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """An IANA zone for a name from a cookie or a form, or None for anything else."""
    if not name or len(name) > 64 or name not in zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


def zone_for(request) -> zoneinfo.ZoneInfo | None:
    """The member's chosen zone, else the browser's, else None (the site's default)."""
    user = getattr(request, "user", None)
    chosen = parse_zone(user.time_zone) if user is not None and user.is_authenticated else None
    return chosen or parse_zone(request.COOKIES.get(COOKIE))


class MemberTimeZoneMiddleware:
    """Activates the reader's zone for a page: template dates and forms use it. The API keeps
    answering in UTC (ISO 8601 with ``Z``), whoever asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None if request.path.startswith("/api/") else zone_for(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
