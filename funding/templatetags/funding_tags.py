from django import template
from django.utils import timezone

from core.money import format_money, minor_per_major
from funding.rules import funding_open, may_close_round, may_pledge
from funding.selectors import funding_progress, pledge_of
from ideas.models import IdeaStatus

register = template.Library()

SHOWN = {
    IdeaStatus.FUNDING,
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PRODUCTION,
    IdeaStatus.LAUNCHED,
    IdeaStatus.FUNDING_FAILED,
}


@register.filter
def money(amount, currency: str = "") -> str:
    """Minor units → "1,234.50 EUR" (integers only: no float near money)."""
    return format_money(amount, currency)


@register.filter
def time_left(seconds) -> str:
    seconds = int(seconds or 0)
    if seconds <= 0:
        return "closing now"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days >= 2:
        return f"{days} days left"
    if days == 1:
        return f"1 day {hours} h left"
    if hours:
        return f"{hours} h {rest // 60} min left"
    return f"{max(1, rest // 60)} min left"


@register.simple_tag(takes_context=True)
def funding_state(context, idea) -> dict:
    """What the funding box needs: the progress, the member's pledge and what they may do
    (``funding.rules``, shown as is)."""
    if idea.status not in SHOWN or not idea.funding_goal:
        return {"show": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    now = timezone.now()
    refusal = may_pledge(idea=idea, member=user, now=now)
    progress = funding_progress(idea=idea)
    may_close = signed_in and (
        may_close_round(idea=idea, actor=user, raised=progress.raised, now=now) is None
    )
    return {
        "show": True,
        "open": funding_open(idea=idea, now=now) is None,
        "progress": progress,
        "pledge": pledge_of(idea_id=idea.pk, member=user) if signed_in else None,
        "signed_in": signed_in,
        "can_pledge": refusal is None,
        "why_not": refusal.message if refusal else "",
        "unit": minor_per_major(idea.currency),
        "may_close": may_close,
    }
