"""What funding shows on pages, composed here and passed to templates in the context (the
templates and ``funding_tags`` only format it).

``funding_box`` is the idea page's funding panel and ``cards_with_funding`` the idea lists'
progress bars. ``ideas`` renders those pages but may not import ``funding``: it calls its own
hooks (``ideas.hooks.idea_funding_box``, ``ideas.hooks.idea_cards``), which
``FundingConfig.ready()`` connects to these two functions. Apps to the right of funding
(``community``) call them directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.roles import is_reviewer
from core.money import format_money
from ideas.models import IdeaStatus

from .forms import PledgeForm
from .payees import payee_accounts
from .payments import payment_code
from .rules import funding_open, may_close_round, may_pledge
from .selectors import (
    collected,
    funding_progress,
    payment_of,
    pledge_of,
    pledge_totals_by_idea,
    round_for,
)

if TYPE_CHECKING:  # annotations only: the idea comes from the page's view
    from ideas.models import Idea

SHOWN = {
    IdeaStatus.FUNDING,
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PRODUCTION,
    IdeaStatus.LAUNCHED,
    IdeaStatus.FUNDING_FAILED,
}
PAID_STATES = {IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION, IdeaStatus.LAUNCHED}

# The pledge box's GET parameters: the amount typed ("pledge-amount", asks to confirm), the
# amount to type again after "Change" ("pledge-again") and "pledge-cancel" (asks to confirm).
PREFIX = "pledge"


def pledge_step(query, currency: str, *, has_pledge: bool) -> dict:
    """Where the member is in pledging: typing (the form, with the parser's refusal next to the
    field), confirming ("You pledge 12,50 EUR", the amount in minor units for Confirm) or
    confirming a cancellation. Reads the GET parameters only: nothing is stored here."""
    if f"{PREFIX}-amount" in query:
        form = PledgeForm(query, currency=currency, prefix=PREFIX)
        if form.is_valid():
            amount = form.cleaned_data["amount"]
            return {
                "step": "confirm",
                "amount": amount,
                "shown": format_money(amount, currency),
                "typed": query[f"{PREFIX}-amount"],
            }
        return {"step": "type", "form": form}
    if f"{PREFIX}-cancel" in query and has_pledge:
        return {"step": "cancel"}
    initial = {"amount": query.get(f"{PREFIX}-again", "")[:40]}
    return {"step": "type", "form": PledgeForm(currency=currency, prefix=PREFIX, initial=initial)}


def _payment_part(idea: Idea, pledge) -> dict:
    part: dict = {"collected": collected(idea_id=idea.pk)}
    payment = payment_of(pledge)
    if payment is not None:
        part.update(
            payment=payment,
            payment_code=payment_code(payment.pledge_id),
            # Only the accounts of the pledge's currency (none: finance will contact them).
            payee_accounts=payee_accounts(payment.currency),
        )
    return part


def funding_box(*, idea: Idea, member, query) -> dict:
    """What the idea page's funding panel shows: the progress, the member's pledge, the
    pledging step (from the page's GET ``query``) and what they may do (``funding.rules``)."""
    terms = round_for(idea)
    if idea.status not in SHOWN or terms is None:
        return {"show": False}
    signed_in = bool(member and member.is_authenticated)
    now = timezone.now()
    refusal = may_pledge(idea=idea, member=member, now=now)
    progress = funding_progress(idea=idea)
    close_refusal = (
        may_close_round(idea=idea, actor=member, raised=progress.raised, now=now)
        if signed_in
        else None
    )
    pledge = pledge_of(idea_id=idea.pk, member=member) if signed_in else None
    box = {
        "show": True,
        "open": funding_open(idea=idea, now=now) is None,
        "progress": progress,
        "pledge": pledge,
        "signed_in": signed_in,
        "can_pledge": refusal is None,
        "why_not": refusal.message if refusal else "",
        "may_close": signed_in and close_refusal is None,
        # Reviewers see why they may not close the round (their own idea, goal not met yet).
        "why_not_close": close_refusal.message if close_refusal and is_reviewer(member) else "",
    }
    if box["can_pledge"]:
        box.update(pledge_step(query or {}, terms.currency, has_pledge=pledge is not None))
    if idea.status in PAID_STATES:
        box.update(_payment_part(idea, pledge))
    return box


def cards_with_funding(*, ideas) -> list:
    """The list's ideas, each in funding carrying its ``funding`` progress
    (``funding_progress``: ``percent`` for the bar, ``raised_percent`` for the label), the
    totals of the whole list in one query (the rounds come with the ideas:
    ``ideas.selectors.idea_queryset`` reads them)."""
    ideas = list(ideas)
    funding = [i.pk for i in ideas if i.status == IdeaStatus.FUNDING and round_for(i)]
    totals = pledge_totals_by_idea(idea_ids=funding) if funding else {}
    for idea in ideas:
        idea.funding = (
            funding_progress(idea=idea, totals=totals.get(idea.pk, (0, 0)))
            if idea.pk in funding
            else None
        )
    return ideas
