"""Dates through the locale's own formats (CLDR, via Babel): "2026年12月3日" and "2026年12月"
for a Chinese reader, "December 3, 2026" for an English one (Django's ``date`` filter with a
fixed pattern gave "3 十二月 2026"). ``{% load cldr %}{{ value|cldr:"day" }}``. How long ago or
until, in one unit: ``{{ value|relative }}``, ``{{ start|duration:end }}``."""

from datetime import date, datetime, timedelta

from babel.dates import format_date, format_skeleton, format_time, format_timedelta
from django import template
from django.utils import timezone
from django.utils.translation import gettext

from core.phrases import reader_locale

register = template.Library()

# What each style shows: a month, a short month (a day is the locale's long date, a time the
# day and the 24-hour time, with the zone's abbreviation for ``datetime-zone``).
SKELETONS = {"month": "yMMMM", "short-month": "yMMM"}


@register.filter
def cldr(value, style: str = "day") -> str:
    """``value`` (a date, or an aware datetime shown in the reader's zone) in the reader's
    language: ``day`` (long date), ``month``, ``short-month``, ``month-label`` (the month alone,
    abbreviated: "12月", "Dec"), ``datetime``, ``datetime-zone``."""
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
    if style == "month-label":  # stand-alone: a chart's axis, not a date in a sentence
        return format_date(value, "LLL", locale=locale)
    return format_skeleton(SKELETONS[style], value, locale=locale)


@register.filter
def relative(value) -> str:
    """How long ago ``value`` was, or how long until it is, in one unit and the locale's own
    words: "2个月前", "3天后", "2 months ago" (Django's ``timesince`` and ``naturaltime`` gave
    two units, "1 月，3 周前"). Under a minute ago is "just now"."""
    if not isinstance(value, datetime):
        return ""
    delta = value - timezone.now()
    if timedelta(minutes=-1) < delta <= timedelta(0):
        return gettext("just now")
    return format_timedelta(delta, add_direction=True, locale=reader_locale())


@register.filter
def duration(start, end=None) -> str:
    """How long from ``start`` to ``end`` (now if not given), in one unit: "3天", "3 days"."""
    if not isinstance(start, datetime):
        return ""
    delta = (end or timezone.now()) - start
    return format_timedelta(max(delta, timedelta(0)), locale=reader_locale())
