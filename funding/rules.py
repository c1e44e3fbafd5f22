"""Who may review, pledge, close a round, move a product on and confirm a payment, and the
funding points rule (SPEC section 2). Plain functions that read and never write: a who-may
rule returns a refusal (``core.rules.Refusal``) or None. ``funding.services`` checks them
before writing; the funding box (``funding.pages``), the review queue and the API show them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from accounts.roles import is_finance, is_reviewer
from core.errors import Conflict, NotAllowed
from core.money import format_money, minor_per_major
from core.rules import Refusal
from ideas.models import IdeaStatus
from ideas.rules import may_back_idea

from .selectors import round_for

if TYPE_CHECKING:  # annotations only: ideas' data is read through ideas.selectors
    from ideas.models import Idea

# What a product moves on to (reviewers): funded → in production → launched.
NEXT_STAGE = {
    IdeaStatus.FUNDED: IdeaStatus.IN_PRODUCTION,
    IdeaStatus.IN_PRODUCTION: IdeaStatus.LAUNCHED,
}


MAX_POINTS_PER_UNIT = 1000  # the terms of an approval: 1 … 1000 points per unit pledged
MAX_PLEDGE = 10**12  # minor units (ten billion euros); a sanity bound, far above any real pledge


def pledge_amount_error(*, amount: int, currency: str) -> str | None:
    """A pledge is at least one major unit and at most ``MAX_PLEDGE``; the whole sentence that
    says what to pledge instead, or None. Amounts are shown in the reader's number locale."""
    unit = minor_per_major(currency)
    if amount < unit:
        return gettext("Pledge at least %(format_money)s (%(unit)s minor units).") % {
            "format_money": format_money(unit, currency),
            "unit": unit,
        }
    if amount > MAX_PLEDGE:
        return gettext("Pledge at most %(format_money)s.") % {
            "format_money": format_money(MAX_PLEDGE, currency)
        }
    return None


def funding_points(*, amount: int, currency: str, points_per_unit: int) -> int:
    """The points a collected pledge earns: whole major units pledged × points per unit (a
    pledge of 45.50 EUR at 2 points per unit earns 90 points)."""
    return (amount // minor_per_major(currency)) * points_per_unit


def may_decide_review(*, idea: Idea, reviewer) -> Refusal | None:
    """A reviewer, not on their own idea, while the idea is in review."""
    if not is_reviewer(reviewer):
        return NotAllowed(gettext("Only reviewers may decide reviews."))
    if reviewer.pk == idea.creator_id:
        return NotAllowed(gettext("You cannot review your own idea."), code="own_idea")
    if idea.status != IdeaStatus.REVIEW:
        return Conflict(
            gettext("Only ideas in review can be decided; this one is %(get_status_display)s.")
            % {"get_status_display": idea.get_status_display()},
            code="not_in_review",
        )
    return None


def funding_open(*, idea: Idea, now: datetime) -> Refusal | None:
    """Pledges are taken while the idea is in funding and before its deadline."""
    if idea.status != IdeaStatus.FUNDING:
        return Conflict(
            gettext("Pledges are closed: the idea is %(lower)s.")
            % {"lower": idea.get_status_display().lower()},
            code="not_in_funding",
        )
    terms = round_for(idea)
    if terms is None or terms.deadline <= now:
        return Conflict(gettext("The funding round has ended."), code="funding_ended")
    return None


def may_pledge(*, idea: Idea, member, now: datetime) -> Refusal | None:
    """A signed-in member with a verified e-mail (when mandatory), not the idea's creator,
    while the round is open."""
    refusal = may_back_idea(
        idea=idea,
        member=member,
        sign_in=gettext("Sign in to pledge."),
        own_idea=gettext("You cannot pledge to your own idea: the others back it."),
    )
    return refusal or funding_open(idea=idea, now=now)


def may_change_pledge(*, idea: Idea, member, now: datetime) -> Refusal | None:
    """Changing or cancelling one's own pledge: while the round is open."""
    if member is None or not member.is_authenticated:
        return NotAllowed(gettext("Sign in to change your pledge."), code="not_authenticated")
    return funding_open(idea=idea, now=now)


def may_close_round(*, idea: Idea, actor, raised: int, now: datetime) -> Refusal | None:
    """``actor`` None is the beat job. A round in funding closes at its deadline (the job or a
    reviewer); before it, only a reviewer closes it, and only once the goal is met. Four eyes:
    never the idea's own creator, even when they are a reviewer."""
    if actor is not None and not is_reviewer(actor):
        return NotAllowed(gettext("Only reviewers may close a funding round."))
    if actor is not None and actor.pk == idea.creator_id:
        return NotAllowed(
            gettext("You cannot close the funding round of your own idea: another reviewer does."),
            code="own_idea",
        )
    if idea.status != IdeaStatus.FUNDING:
        return Conflict(gettext("This idea has no open funding round."), code="not_in_funding")
    terms = round_for(idea)
    early = terms is not None and terms.deadline > now
    goal_met = terms is not None and raised >= terms.goal
    if early and (actor is None or not goal_met):
        return Conflict(
            gettext("The round closes early only once the goal is met; otherwise at its deadline."),
            code="goal_not_met",
        )
    return None


def may_advance_product(*, idea: Idea, actor) -> Refusal | None:
    """Reviewers move a product on, one stage at a time (``NEXT_STAGE``)."""
    if not is_reviewer(actor):
        return NotAllowed(gettext("Only reviewers may move a product on."))
    if idea.status not in NEXT_STAGE:
        return Conflict(
            gettext("A product in %(status)s has no next stage.") % {"status": f"{idea.status!r}"},
            code="invalid_state",
        )
    return None


def may_confirm_payment(*, actor) -> Refusal | None:
    if not is_finance(actor):
        return NotAllowed(gettext("Only finance staff may confirm payments."))
    return None
