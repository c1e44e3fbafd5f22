"""Reads of a product's life, and of its expenses for the sales side (the budget and the rest of
the money are ``products.money.selectors``)."""

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
from .money_models import ChargedTo, Expense, ExpenseStatus


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
    """The idea's product, or None; without a query when the idea was read with it (the idea
    page's ``select_related("product")``)."""
    relation = Product._meta.get_field("idea").remote_field.get_accessor_name()
    if getattr(type(idea), relation).is_cached(idea):
        return getattr(idea, relation, None)  # None was read too: no product
    return Product.objects.filter(idea=idea).first()


# An expense counts as a cost once finance approved it (paid or not); submitted and rejected
# ones never do.
COUNTED_EXPENSE_STATUSES = (ExpenseStatus.APPROVED, ExpenseStatus.PAID)


def expenses_charged_to_revenue(*, product_id: int, start: date, end: date) -> list[dict]:
    """The product's costs of sales between ``start`` and ``end`` (both days included, by the
    day the money was spent): the approved or paid expenses charged to its revenue, oldest
    first, each as ``{"id", "date", "description", "amount", "currency", "receipt_sha256"}``
    (amount in the product's minor units). Expenses charged to the funds raised are not costs
    of sales: they come out of the money the backers gave."""
    rows = (
        Expense.objects.filter(
            product_id=product_id,
            charged_to=ChargedTo.REVENUE,
            status__in=COUNTED_EXPENSE_STATUSES,
            spent_on__gte=start,
            spent_on__lte=end,
        )
        .order_by("spent_on", "id")
        .values("id", "spent_on", "description", "amount", "currency", "receipt_sha256")
    )
    return [
        {
            "id": row["id"],
            "date": row["spent_on"],
            "description": row["description"],
            "amount": row["amount"],
            "currency": row["currency"],
            "receipt_sha256": row["receipt_sha256"],
        }
        for row in rows
    ]
