"""Ideas in a given state, built through the real state machine (``idea_transition``)."""

from datetime import timedelta

from django.utils import timezone

from funding.services import review_decide
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition


def idea_in_voting(creator, *, title: str = "A solar kettle", days_left: int = 60, category=None):
    idea = Idea.objects.create(
        creator=creator,
        title=title,
        summary="Boils water with sunlight.",
        body="It **works**.",
        category=category,
    )
    now = timezone.now()
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.VOTING,
        actor=creator,
        reason="Published.",
        published_at=now,
        voting_deadline=now + timedelta(days=days_left),
    )
    return idea


def idea_in_review(creator, **kwargs):
    idea = idea_in_voting(creator, **kwargs)
    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="Reached the threshold.")
    return idea


def idea_in_funding(creator, reviewer, *, goal: int = 10_000, currency: str = "EUR", **kwargs):
    idea = idea_in_review(creator, **kwargs)
    review_decide(
        idea=idea,
        reviewer=reviewer,
        decision="approve",
        reason="Good plan.",
        funding_goal=goal,
        currency=currency,
        platform_fee_bp=1500,
        points_per_unit=2,
    )
    idea.refresh_from_db()
    return idea
