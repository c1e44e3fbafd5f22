from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import is_reviewer
from core.money import format_money
from funding.forms import PledgeForm
from funding.payments import payment_code
from funding.rules import funding_open, may_close_round, may_pledge
from funding.selectors import (
    collected,
    funding_progress,
    payment_of,
    pledge_of,
    pledge_totals_by_idea,
)
from ideas.models import IdeaStatus

register = template.Library()

SHOWN = {
    IdeaStatus.FUNDING,
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PRODUCTION,
    IdeaStatus.LAUNCHED,
    IdeaStatus.FUNDING_FAILED,
}

# The pledge box's GET parameters: the amount typed ("pledge-amount", asks to confirm), the
# amount to type again after "Change" ("pledge-again") and "pledge-cancel" (asks to confirm).
PREFIX = "pledge"


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


def pledge_step(request, idea, *, has_pledge: bool) -> dict:
    """Where the member is in pledging: typing (the form, with the parser's refusal next to the
    field), confirming ("You pledge 12,50 EUR", the amount in minor units for Confirm) or
    confirming a cancellation. Reads the GET parameters only: nothing is stored here."""
    query = request.GET if request is not None else {}
    if f"{PREFIX}-amount" in query:
        form = PledgeForm(query, idea=idea, prefix=PREFIX)
        if form.is_valid():
            amount = form.cleaned_data["amount"]
            return {
                "step": "confirm",
                "amount": amount,
                "shown": format_money(amount, idea.currency),
                "typed": query[f"{PREFIX}-amount"],
            }
        return {"step": "type", "form": form}
    if f"{PREFIX}-cancel" in query and has_pledge:
        return {"step": "cancel"}
    initial = {"amount": query.get(f"{PREFIX}-again", "")[:40]}
    return {"step": "type", "form": PledgeForm(idea=idea, prefix=PREFIX, initial=initial)}


@register.simple_tag(takes_context=True)
def funding_state(context, idea) -> dict:
    """What the funding box needs: the progress, the member's pledge, the pledging step and what
    they may do (``funding.rules``, shown as is)."""
    if idea.status not in SHOWN or not idea.funding_goal:
        return {"show": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    now = timezone.now()
    refusal = may_pledge(idea=idea, member=user, now=now)
    progress = funding_progress(idea=idea)
    close_refusal = (
        may_close_round(idea=idea, actor=user, raised=progress.raised, now=now)
        if signed_in
        else None
    )
    state = {
        "show": True,
        "open": funding_open(idea=idea, now=now) is None,
        "progress": progress,
        "pledge": pledge_of(idea_id=idea.pk, member=user) if signed_in else None,
        "signed_in": signed_in,
        "can_pledge": refusal is None,
        "why_not": refusal.message if refusal else "",
        "may_close": signed_in and close_refusal is None,
        # Reviewers see why they may not close the round (their own idea, goal not met yet).
        "why_not_close": close_refusal.message if close_refusal and is_reviewer(user) else "",
    }
    if state["can_pledge"]:
        state.update(pledge_step(request, idea, has_pledge=state["pledge"] is not None))
    if idea.status not in ("voting", "review", "funding", "funding_failed"):
        state["collected"] = collected(idea_id=idea.pk)
        payment = payment_of(state["pledge"])
        if payment is not None:
            state["payment"] = payment
            state["payment_code"] = payment_code(payment.pledge_id)
            state["payee"] = settings.PAYMENT_PAYEE_NAME
            state["payee_account"] = settings.PAYMENT_PAYEE_ACCOUNT
    return state


@register.simple_tag
def cards_with_funding(ideas):
    """The list's ideas, each in funding carrying its ``funding`` progress
    (``funding_progress``: ``percent`` for the bar, ``raised_percent`` for the label), the
    totals of the whole list in one query."""
    ideas = list(ideas)
    funding = [i.pk for i in ideas if i.status == IdeaStatus.FUNDING and i.funding_goal]
    totals = pledge_totals_by_idea(idea_ids=funding) if funding else {}
    for idea in ideas:
        idea.funding = (
            funding_progress(idea=idea, totals=totals.get(idea.pk, (0, 0)))
            if idea.pk in funding
            else None
        )
    return ideas
