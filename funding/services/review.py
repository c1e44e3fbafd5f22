"""Review: a reviewer approves an idea in review for funding (with its terms) or rejects it."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.errors import Conflict, ValidationFailed
from core.money import minor_per_major
from core.phrases import said
from core.rules import check
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition
from notifications.services import notify
from payouts.rules import FEE_BP_MAX, FEE_BP_MIN, FEE_BP_RANGE

from .. import phrases, rules
from ..models import FundingRound, ReviewDecision, ReviewOutcome

MAX_GOAL = 10**13  # minor units; a sanity bound
MAX_FUNDING_DAYS = 365
MAX_REASON = 2000


def _goal_error(funding_goal, currency: str) -> str | None:
    unit = minor_per_major(currency)
    if funding_goal is None:
        return gettext("Enter a funding goal (in minor units).")
    if isinstance(funding_goal, bool) or not isinstance(funding_goal, int):
        return gettext("Enter the funding goal as a whole number of minor units.")
    if not unit <= funding_goal <= MAX_GOAL:
        return gettext("Enter a funding goal of at least %(unit)s (one %(currency)s).") % {
            "unit": unit,
            "currency": currency,
        }
    return None


def _fee_error(platform_fee_bp) -> str | None:
    if platform_fee_bp is None:
        return gettext("Enter the platform fee (%(FEE_BP_MIN)s–%(FEE_BP_MAX)s basis points).") % {
            "FEE_BP_MIN": FEE_BP_MIN,
            "FEE_BP_MAX": FEE_BP_MAX,
        }
    if isinstance(platform_fee_bp, bool) or not isinstance(platform_fee_bp, int):
        return gettext(
            "Enter a platform fee between %(FEE_BP_MIN)s and %(FEE_BP_MAX)s basis points."
        ) % {"FEE_BP_MIN": FEE_BP_MIN, "FEE_BP_MAX": FEE_BP_MAX}
    if platform_fee_bp not in FEE_BP_RANGE:
        return gettext(
            "Enter a platform fee between %(FEE_BP_MIN)s and %(FEE_BP_MAX)s basis points."
        ) % {"FEE_BP_MIN": FEE_BP_MIN, "FEE_BP_MAX": FEE_BP_MAX}
    return None


def _deadline_error(funding_deadline: datetime, now: datetime) -> str | None:
    if funding_deadline <= now + timedelta(hours=1):
        return gettext("Choose a funding deadline at least an hour away.")
    if funding_deadline > now + timedelta(days=MAX_FUNDING_DAYS):
        return gettext("Choose a funding deadline at most %(MAX_FUNDING_DAYS)s days away.") % {
            "MAX_FUNDING_DAYS": MAX_FUNDING_DAYS
        }
    return None


def review_check_terms(
    *, funding_goal, currency, funding_deadline, platform_fee_bp, points_per_unit, now: datetime
) -> dict:
    """Validate approval terms; the terms of the round to open (as review_decide takes them:
    ``funding_goal``, ``currency``, …). Field errors name the
    field: the goal is at least one major unit, the fee in ``payouts.rules.FEE_BP_RANGE``, the
    deadline in the future (default FUNDING_WINDOW_DAYS), points per unit ≥ 1 (default 1)."""
    currency = (currency or settings.DEFAULT_CURRENCY).upper()
    if points_per_unit is None:
        points_per_unit = 1
    deadline_error = None
    if funding_deadline is None:
        funding_deadline = now + timedelta(days=settings.FUNDING_WINDOW_DAYS)
    else:
        deadline_error = _deadline_error(funding_deadline, now)
    found = {
        "currency": None
        if currency in settings.CURRENCIES
        else gettext("Choose one of %(join)s.") % {"join": ", ".join(settings.CURRENCIES)},
        "funding_goal": _goal_error(funding_goal, currency),
        "platform_fee_bp": _fee_error(platform_fee_bp),
        "points_per_unit": None
        if isinstance(points_per_unit, int) and 1 <= points_per_unit <= rules.MAX_POINTS_PER_UNIT
        else gettext("Enter points per unit as a whole number from 1 to %(MAX_POINTS_PER_UNIT)s.")
        % {"MAX_POINTS_PER_UNIT": rules.MAX_POINTS_PER_UNIT},
        "funding_deadline": deadline_error,
    }
    errors = {field: [message] for field, message in found.items() if message}
    if errors:
        raise ValidationFailed.for_fields(errors)
    return {
        "funding_goal": funding_goal,
        "currency": currency,
        "funding_deadline": funding_deadline,
        "platform_fee_bp": platform_fee_bp,
        "points_per_unit": points_per_unit,
    }


def round_open(
    *,
    idea: Idea,
    decision: ReviewDecision | None,
    funding_goal: int,
    currency: str,
    funding_deadline: datetime,
    platform_fee_bp: int,
    points_per_unit: int,
) -> FundingRound:
    """Open the idea's funding round with checked terms (``review_check_terms``); inside the
    approving transaction. The round's terms never change afterwards."""
    made = FundingRound.objects.create(
        idea=idea,
        decision=decision,
        goal=funding_goal,
        currency=currency,
        deadline=funding_deadline,
        platform_fee_bp=platform_fee_bp,
        points_per_unit=points_per_unit,
    )
    idea.funding_round = made  # the caller's idea reads its terms without a query
    return made


def _notify_decided(idea: Idea, decision: str, reason: str) -> None:
    if decision == ReviewOutcome.APPROVE:
        message = said(
            phrases.APPROVED_FOR_FUNDING_NOTICE,
            title=idea.title,
        )
    else:
        message = said(
            phrases.NOT_APPROVED_NOTICE,
            title=idea.title,
            reason=reason,
        )
    notify(
        recipients=[idea.creator],
        kind="idea_reviewed",
        message=message,
        url=idea.get_absolute_url(),
    )


def _check_decision(decision: str, reason: str) -> str:
    if decision not in ReviewOutcome.values:
        raise ValidationFailed.for_field(
            "decision", gettext("Choose 'approve' or 'reject' as the decision.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_field("reason", gettext("Enter the reason for your decision."))
    if len(reason) > MAX_REASON:
        raise ValidationFailed.for_field(
            "reason",
            gettext("Shorten the reason to %(MAX_REASON)s characters or fewer.")
            % {"MAX_REASON": MAX_REASON},
        )
    return reason


def review_decide(
    *,
    idea: Idea,
    reviewer,
    decision: str,
    reason: str,
    funding_goal: int | None = None,
    currency: str | None = None,
    funding_deadline: datetime | None = None,
    platform_fee_bp: int | None = None,
    points_per_unit: int | None = None,
) -> ReviewDecision:
    """A reviewer approves an idea in review for funding (with its terms) or rejects it, with a
    written reason. One decision per idea: two reviewers deciding at once get one decision
    (the idea's conditional transition picks the winner, the other gets Conflict)."""
    check(rules.may_decide_review(idea=idea, reviewer=reviewer))
    reason = _check_decision(decision, reason)
    terms: dict = {}
    if decision == ReviewOutcome.APPROVE:
        terms = review_check_terms(
            funding_goal=funding_goal,
            currency=currency,
            funding_deadline=funding_deadline,
            platform_fee_bp=platform_fee_bp,
            points_per_unit=points_per_unit,
            now=timezone.now(),
        )
    to_status = IdeaStatus.FUNDING if decision == ReviewOutcome.APPROVE else IdeaStatus.REJECTED
    with transaction.atomic():
        idea_transition(idea=idea, to_status=to_status, actor=reviewer, reason=reason)
        try:
            with transaction.atomic():
                made = ReviewDecision.objects.create(
                    idea=idea, reviewer=reviewer, decision=decision, reason=reason
                )
        except IntegrityError:  # pragma: no cover - the transition already refused the loser
            raise Conflict(
                gettext("This idea was already decided."), code="already_decided"
            ) from None
        if terms:
            round_open(idea=idea, decision=made, **terms)
        _notify_decided(idea, decision, reason)
    return made
