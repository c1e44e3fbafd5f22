"""Dates through the locale's own formats (CLDR, via Babel): "2026年12月3日" and "2026年12月"
for a Chinese reader, "December 3, 2026" for an English one (Django's ``date`` filter with a
fixed pattern gave "3 十二月 2026"). ``{% load cldr %}{{ value|cldr:"day" }}``."""

from datetime import date, datetime

from babel.dates import format_date, format_skeleton, format_time
from django import template
from django.utils import timezone

from core.phrases import reader_locale

register = template.Library()

# What each style shows: a month, a short month (a day is the locale's long date, a time the
# day and the 24-hour time, with the zone's abbreviation for ``datetime-zone``).
SKELETONS = {"month": "yMMMM", "short-month": "yMMM"}


@register.filter
def cldr(value, style: str = "day") -> str:
    """``value`` (a date, or an aware datetime shown in the reader's zone) in the reader's
    language: ``day`` (long date), ``month``, ``short-month``, ``datetime``, ``datetime-zone``."""
    if value in (None, ""):
        return ""
    zone = ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
            zone = value.tzname() or ""
    elif not isinstance(value, date):
        return str(value)
    locale = reader_locale()
    if style == "day":
        return format_date(value, format="long", locale=locale)
    if style.startswith("datetime"):
        text = format_date(value, format="medium", locale=locale)
        if isinstance(value, datetime):
            text += " " + format_time(value, "HH:mm", locale=locale)
        return f"{text} {zone}" if style.endswith("-zone") and zone else text
    return format_skeleton(SKELETONS[style], value, locale=locale)
