"""The days a euro credit transfer can be executed: TARGET2 business days (ECB).

TARGET2 is closed on Saturdays and Sundays and on six holidays: New Year's Day, Good Friday,
Easter Monday, Labour Day (1 May), Christmas Day and 26 December. A batch's requested execution
date must be one of its open days, today or later; the default is the next one after today.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from core.errors import ValidationFailed


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(year: int) -> set[date]:
    easter = easter_sunday(year)
    return {
        date(year, 1, 1),
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        date(year, 5, 1),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def next_business_day(after: date | None = None) -> date:
    """The first TARGET2 business day after ``after`` (today by default)."""
    day = (after or timezone.localdate()) + timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def execution_date_check(day: date | None) -> date:
    """The chosen execution date, or the next business day when none was chosen; a weekend, a
    TARGET2 holiday or a past day is refused with a sentence saying which day would do."""
    if day is None:
        return next_business_day()
    today = timezone.localdate()
    if day < today:
        message = gettext("Choose an execution date from today on: %(day)s has passed.")
    elif not is_business_day(day):
        message = gettext(
            "Choose a TARGET2 business day: banks do not execute euro transfers on %(day)s "
            "(a weekend or a TARGET2 holiday). The next business day is %(next)s."
        )
    else:
        return day
    next_day = next_business_day(max(day, today) - timedelta(days=1))
    raise ValidationFailed.for_field(
        "execution_date", message % {"day": day.isoformat(), "next": next_day.isoformat()}
    )
