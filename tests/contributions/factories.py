"""Build funded products the way the platform does: an idea walks its states through
``idea_transition`` (draft → voting → review → funding → funded), then its Product is created
(as the funding round's closing does) and pledges become approved funding contributions."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from contributions.services import contribution_record_funding
from funding.models import Pledge, PledgeStatus, Product
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition

_serial = count(1)


def make_idea(*, creator, title: str | None = None) -> Idea:
    n = next(_serial)
    return Idea.objects.create(
        creator=creator,
        title=title or f"Idea number {n}",
        summary="A foldable bicycle helmet that fits in a coat pocket.",
        body="It folds *flat*.",
    )


def make_product(
    *,
    creator,
    reviewer=None,
    title: str | None = None,
    currency: str = "EUR",
    goal: int = 500_000,
    fee_bp: int = 1500,
    points_per_unit: int = 1,
    pledges: dict | None = None,
) -> Product:
    """A funded product; ``pledges`` maps members to pledged minor units (each becomes an
    approved funding contribution of pledged major units × points_per_unit points)."""
    idea = make_idea(creator=creator, title=title)
    now = timezone.now()
    idea_transition(idea=idea, to_status=IdeaStatus.VOTING, actor=creator, published_at=now)
    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="threshold reached")
    idea_transition(
        idea=idea,
        to_status=IdeaStatus.FUNDING,
        actor=reviewer,
        reason="A good idea.",
        funding_goal=goal,
        currency=currency,
        funding_deadline=now + timedelta(days=30),
        platform_fee_bp=fee_bp,
        points_per_unit=points_per_unit,
    )
    pledge_rows = []
    for member, amount in (pledges or {}).items():
        pledge_rows.append(
            Pledge.objects.create(idea=idea, member=member, amount=amount, currency=currency)
        )
    raised = sum(p.amount for p in pledge_rows)
    idea_transition(idea=idea, to_status=IdeaStatus.FUNDED, reason="Goal met.")
    product = Product.objects.create(
        idea=idea,
        currency=currency,
        funding_goal=goal,
        amount_raised=raised,
        platform_fee_bp=fee_bp,
        points_per_unit=points_per_unit,
    )
    for pledge in pledge_rows:
        Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.COLLECTED)
        contribution_record_funding(
            pledge=pledge, points=pledge.amount // 100 * points_per_unit, decided_by=None
        )
    return product


def make_voting_idea(*, creator) -> Idea:
    """An idea still in voting: not a product."""
    idea = make_idea(creator=creator)
    idea_transition(
        idea=idea, to_status=IdeaStatus.VOTING, actor=creator, published_at=timezone.now()
    )
    return idea
