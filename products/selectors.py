"""Reads of a product's life."""

from datetime import date, datetime

from django.db.models import Max, QuerySet

from accounts.models import User
from community.models import IdeaUpdate
from community.selectors import idea_audience
from contributions.selectors import product_get as _product_get
from funding.models import Product

from .life_models import (
    Abandonment,
    Milestone,
    ProductEvent,
    ProductLife,
    ProductTeamMember,
    Stage,
)


def product_get(*, product_id: int, viewer=None) -> Product | None:
    """A product the viewer may see (hidden ideas' products only for reviewers)."""
    return _product_get(product_id=product_id, viewer=viewer)


def product_team(*, product) -> QuerySet[ProductTeamMember]:
    return ProductTeamMember.objects.filter(product=product).select_related("member", "added_by")


def member_by_username(username: str) -> User | None:
    return User.objects.filter(username__iexact=username, is_active=True).first()


# The stage an idea's status implies: funding's own move (``funding.services.product_advance``,
# the admin's action and the demo's) moves the idea, and the product's stage keeps up with it.
STAGE_OF_IDEA_STATUS = {"in_production": Stage.PRODUCTION, "launched": Stage.ON_SALE}
ORDER = [s.value for s in Stage]


def life_of(product) -> ProductLife:
    """The product's stage: its row's, or in design since its funding until its first move
    (unsaved); never behind what its idea's status implies (``STAGE_OF_IDEA_STATUS``)."""
    life = ProductLife.objects.filter(product=product).first()
    life = life or ProductLife(product=product, stage_since=product.created_at)
    implied = STAGE_OF_IDEA_STATUS.get(product.idea.status)
    if implied and ORDER.index(implied) > ORDER.index(life.stage):
        life.stage = implied
    return life


def milestones_of(*, product) -> QuerySet[Milestone]:
    return Milestone.objects.filter(product=product).select_related("done_update")


def milestone_get(*, product, milestone_id: int) -> Milestone | None:
    return milestones_of(product=product).filter(pk=milestone_id).first()


def next_milestone(*, product) -> Milestone | None:
    """The open milestone due first (an overdue one before the rest)."""
    return milestones_of(product=product).filter(done_at__isnull=True).first()


def last_update(*, idea) -> IdeaUpdate | None:
    return IdeaUpdate.objects.filter(idea=idea).order_by("-created_at", "-id").first()


def update_of_idea(*, idea, update_id: int) -> IdeaUpdate | None:
    return IdeaUpdate.objects.filter(idea=idea, pk=update_id).first()


def recent_updates(*, idea, limit: int = 20) -> list[IdeaUpdate]:
    return list(IdeaUpdate.objects.filter(idea=idea).order_by("-created_at", "-id")[:limit])


def silent_since(*, product) -> datetime:
    """The last sign of life: the latest creator update or milestone met, else the funding."""
    update = IdeaUpdate.objects.filter(idea_id=product.idea_id).aggregate(at=Max("created_at"))
    met = Milestone.objects.filter(product=product).aggregate(at=Max("done_at"))
    return max(t for t in (update["at"], met["at"], product.created_at) if t is not None)


def timeline(*, product, limit: int = 50) -> list[ProductEvent]:
    return list(ProductEvent.objects.filter(product=product).select_related("actor")[:limit])


def abandonment_of(*, product) -> Abandonment | None:
    return (
        Abandonment.objects.filter(product=product)
        .select_related("asked_by", "confirmed_by", "product__idea")
        .first()
    )


def abandonments_asked() -> QuerySet[Abandonment]:
    """Asked and not confirmed yet, oldest first: what reviewers have to look at."""
    return (
        Abandonment.objects.filter(status=Abandonment.Status.ASKED)
        .select_related("asked_by", "product__idea")
        .order_by("asked_at", "id")
    )


def milestones_slipped_untold(*, today: date) -> QuerySet[Milestone]:
    """Open milestones past their due date whose audience was not told yet."""
    return Milestone.objects.filter(
        done_at__isnull=True, due_date__lt=today, slip_told_at__isnull=True
    ).order_by("due_date", "id")


def audience(*, product) -> QuerySet[User]:
    """Who hears of the product's news: its backers and followers (community's audience)."""
    return idea_audience(idea=product.idea)


def product_of_idea(*, idea) -> Product | None:
    return Product.objects.filter(idea=idea).first()
