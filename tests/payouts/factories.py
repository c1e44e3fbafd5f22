"""Plain objects for the payouts tests: a funded product and approved contributions.

The product and the contributions belong to other apps; here they are plain rows, built the way
their services leave them (a funded idea with its product; approved contributions with points
and a decision time). Periods, settlements and payouts go through the real payouts services.
"""

from datetime import UTC, date, datetime

from contributions.models import Contribution, ContributionStatus
from funding.models import Product
from ideas.models import Idea, IdeaStatus

FUNDED_AT = datetime(2025, 12, 1, 12, tzinfo=UTC)


def make_product(
    creator,
    *,
    fee_bp: int = 1500,
    currency: str = "EUR",
    title: str = "Lamp",
    funded_at: datetime = FUNDED_AT,
):
    """A funded idea and its product, funded at ``funded_at`` (periods start from that day)."""
    idea = Idea.objects.create(
        creator=creator,
        title=title,
        summary="A product for the tests",
        body="Body",
        status=IdeaStatus.FUNDED,
        funding_goal=100_00,
        currency=currency,
        platform_fee_bp=fee_bp,
        points_per_unit=1,
    )
    product = Product.objects.create(
        idea=idea,
        currency=currency,
        funding_goal=100_00,
        amount_raised=100_00,
        platform_fee_bp=fee_bp,
        points_per_unit=1,
    )
    Product.objects.filter(pk=product.pk).update(created_at=funded_at)  # auto_now_add
    product.refresh_from_db()
    return product


def approve_contribution(product, member, points: int, *, decided: datetime | date | None = None):
    if decided is None:
        decided = datetime(2026, 1, 1, tzinfo=UTC)
    elif not isinstance(decided, datetime):
        decided = datetime(decided.year, decided.month, decided.day, 12, tzinfo=UTC)
    return Contribution.objects.create(
        idea=product.idea,
        member=member,
        kind="design",
        description="Work",
        proposed_points=points,
        points=points,
        status=ContributionStatus.APPROVED,
        decided_at=decided,
    )
