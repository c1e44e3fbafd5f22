"""Formatting for funding's templates only: what a page shows is composed by ``funding.pages``
and passed in the context."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def time_left(seconds) -> str:
    seconds = int(seconds or 0)
    if seconds <= 0:
        return gettext("closing now")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days >= 2:
        return gettext("%(days)s days left") % {"days": days}
    if days == 1:
        return gettext("1 day %(hours)s h left") % {"hours": hours}
    if hours:
        return gettext("%(hours)s h %(minutes)s min left") % {"hours": hours, "minutes": rest // 60}
    return gettext("%(minutes)s min left") % {"minutes": max(1, rest // 60)}
