"""The product's timeline in the reader's language: each stored event is a code and its
parameters (``ProductEvent``), turned into a sentence here, when it is read."""

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext

from .life_models import ProductEvent, Stage

Code = ProductEvent.Code


def _stage(value) -> str:
    try:
        return str(Stage(value).label)
    except ValueError:
        return str(value)


def _day(value) -> str:
    day = parse_date(value or "")
    return date_format(day, "DATE_FORMAT") if day else str(value)


def event_text(event: ProductEvent) -> str:
    """One sentence for one event, in the active language."""
    p = event.params or {}
    if event.code == Code.STAGE_MOVED:
        if p.get("to") == Stage.ENDED:
            return gettext("The product is complete: it moved from %(before)s to ended.") % {
                "before": _stage(p.get("from"))
            }
        return gettext("Moved from %(before)s to %(after)s.") % {
            "before": _stage(p.get("from")),
            "after": _stage(p.get("to")),
        }
    if event.code == Code.MILESTONE_ADDED:
        return gettext("New milestone “%(title)s”, due %(due)s.") % {
            "title": p.get("title", ""),
            "due": _day(p.get("due")),
        }
    if event.code == Code.MILESTONE_DONE:
        return gettext("Milestone “%(title)s” met.") % {"title": p.get("title", "")}
    if event.code == Code.MILESTONE_RESCHEDULED:
        return gettext("Milestone “%(title)s” moved from %(before)s to %(after)s.") % {
            "title": p.get("title", ""),
            "before": _day(p.get("from")),
            "after": _day(p.get("to")),
        }
    if event.code == Code.MILESTONE_SLIPPED:
        return gettext("Milestone “%(title)s” slipped: it was due %(due)s.") % {
            "title": p.get("title", ""),
            "due": _day(p.get("due")),
        }
    if event.code == Code.TEAM_MEMBER_ADDED:
        return gettext("A member joined the team.")
    if event.code == Code.ABANDONMENT_ASKED:
        return gettext("Abandoning the product was asked; a reviewer confirms it.")
    if event.code == Code.ABANDONMENT_CONFIRMED:
        return gettext("The product was abandoned: its backers are refunded what is left.")
    return str(event.code)


def timeline_rows(events) -> list[dict]:
    """What a page or the API shows of each event: when, who, the sentence, the note."""
    return [
        {
            "event": e,
            "code": e.code,
            "params": e.params,
            "text": event_text(e),
            "actor": e.actor.public_name if e.actor_id else "",
            "note": e.note,
            "at": e.created_at,
        }
        for e in events
    ]
