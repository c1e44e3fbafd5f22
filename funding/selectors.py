from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from ideas.models import Idea, IdeaStatus, IdeaTransition

from .models import FundingRound, Payment, PaymentStatus, Pledge, PledgeStatus, Product

# --- The round's terms: every app reads them here (not from the idea, which has none) -------


def round_of(*, idea_id: int) -> FundingRound | None:
    """The idea's funding round (goal, currency, deadline, fee, points per unit), or None
    before an approval."""
    return FundingRound.objects.filter(idea_id=idea_id).first()


def round_for(idea: Idea) -> FundingRound | None:
    """``round_of`` through the idea's cached relation: no query once the idea was read with
    ``select_related("funding_round")`` (``ideas.selectors.idea_queryset`` does)."""
    try:
        return idea.funding_round
    except FundingRound.DoesNotExist:
        return None


def rounds_of(*, idea_ids: list[int]) -> dict[int, FundingRound]:
    """Many ideas' rounds in one query: idea id → round (ideas without one are absent)."""
    return {r.idea_id: r for r in FundingRound.objects.filter(idea_id__in=idea_ids)}


@dataclass(frozen=True)
class FundingProgress:
    idea_id: int
    status: str
    currency: str
    goal: int
    raised: int
    backers: int
    deadline: datetime | None
    seconds_left: int
    percent: int  # 0–100, for the bar
    raised_percent: int  # what the pledges reach of the goal; above 100 when over-funded
    points_per_unit: int = 0

    @property
    def goal_met(self) -> bool:
        return self.goal > 0 and self.raised >= self.goal


def pledge_totals(*, idea_id: int) -> tuple[int, int]:
    """(amount pledged, number of backers) counting active and collected pledges."""
    return pledge_totals_by_idea(idea_ids=[idea_id]).get(idea_id, (0, 0))


def pledge_totals_by_idea(*, idea_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``pledge_totals`` of many ideas in one query: idea id → (amount pledged, backers); ideas
    without a counting pledge are absent."""
    rows = (
        Pledge.objects.filter(
            idea_id__in=idea_ids, status__in=[PledgeStatus.ACTIVE, PledgeStatus.COLLECTED]
        )
        .values("idea_id")
        .annotate(total=Sum("amount"), backers=Count("member", distinct=True))
    )
    return {row["idea_id"]: (row["total"] or 0, row["backers"]) for row in rows}


def funding_progress(*, idea: Idea, totals: tuple[int, int] | None = None) -> FundingProgress:
    """The idea's funding round as the page shows it; ``totals`` (from
    ``pledge_totals_by_idea``) saves the query when a page lists many rounds."""
    raised, backers = totals if totals is not None else pledge_totals(idea_id=idea.pk)
    terms = round_for(idea)
    goal = terms.goal if terms else 0
    deadline = terms.deadline if terms else None
    left = 0
    if deadline and idea.status == IdeaStatus.FUNDING:
        left = max(0, int((deadline - timezone.now()).total_seconds()))
    raised_percent = raised * 100 // goal if goal else 0
    return FundingProgress(
        idea.pk, idea.status, terms.currency if terms else "", goal, raised, backers, deadline,
        left, min(100, raised_percent), raised_percent, terms.points_per_unit if terms else 0,
    )  # fmt: skip


def pledge_of(*, idea_id: int, member) -> Pledge | None:
    """The member's pledge that still counts (active or collected), if any."""
    if member is None or not member.is_authenticated:
        return None
    return (
        Pledge.objects.filter(idea_id=idea_id, member=member)
        .filter(Q(status=PledgeStatus.ACTIVE) | Q(status=PledgeStatus.COLLECTED))
        .order_by("-created_at")
        .first()
    )


def _entered_review():
    """When the idea last moved to review (its audit trail): edits and saves do not move it in
    the queue, only a new arrival in review does."""
    return Subquery(
        IdeaTransition.objects.filter(idea=OuterRef("pk"), to_status=IdeaStatus.REVIEW)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def ideas_in_review(*, category_id: int | None = None):
    """The review queue, the longest waiting first, each with ``entered_review``."""
    qs = Idea.objects.filter(status=IdeaStatus.REVIEW)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    return (
        qs.select_related("creator", "category")
        .annotate(entered_review=_entered_review())
        .order_by(F("entered_review").asc(nulls_first=True), "id")
    )


def ideas_in_review_before(idea, *, category_id: int | None = None) -> int:
    """How many ideas come before ``idea`` in the review queue (in ``ideas_in_review`` order)."""
    queue = ideas_in_review(category_id=category_id)
    entered = queue.filter(pk=idea.pk).values_list("entered_review", flat=True).first()
    if entered is None:
        return queue.filter(entered_review__isnull=True, pk__lt=idea.pk).count()
    return queue.filter(
        Q(entered_review__isnull=True)
        | Q(entered_review__lt=entered)
        | Q(entered_review=entered, pk__lt=idea.pk)
    ).count()


def ideas_in_funding():
    return (
        Idea.objects.filter(status=IdeaStatus.FUNDING)
        .select_related("creator", "funding_round")
        .order_by("funding_round__deadline", "id")
    )


def idea_for_funding(*, idea_id: int) -> Idea | None:
    """An idea the funding API works on (not hidden), with its creator and category."""
    qs = Idea.objects.select_related("category", "creator", "funding_round")
    return qs.filter(pk=idea_id, hidden_at__isnull=True).first()


def payments(*, status: str | None = None):
    """Payments owed by collected pledges, oldest first; ``status`` one of PaymentStatus."""
    qs = Payment.objects.select_related("pledge__member").order_by("created_at", "id")
    return qs.filter(status=status) if status else qs


def payment_get(*, payment_id: int) -> Payment | None:
    return payments().filter(pk=payment_id).first()


def payment_of(pledge: Pledge | None):
    """The payment a collected pledge owes, if any."""
    if pledge is None or pledge.status != PledgeStatus.COLLECTED:
        return None
    return Payment.objects.filter(pledge=pledge).first()


def product_of(*, idea_id: int) -> Product:
    """The funded idea's product (with its round's terms). Raises ``Product.DoesNotExist``
    when the idea was never funded; a payment's idea always was (the product is made in the
    transaction that opens its payments). Other apps read funding's rows here, never through
    ``funding.models`` (tests/test_architecture.py)."""
    return Product.objects.get(idea_id=idea_id)


def collected(*, idea_id: int) -> int:
    """What the backers of a funded idea have actually paid (received payments)."""
    return (
        Payment.objects.filter(pledge__idea_id=idea_id, status=PaymentStatus.RECEIVED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def backer_ids(*, idea_id: int) -> QuerySet:
    """The members whose pledge to the idea stands or was collected (a values list of ids)."""
    return Pledge.objects.filter(
        idea_id=idea_id, status__in=[PledgeStatus.ACTIVE, PledgeStatus.COLLECTED]
    ).values_list("member_id", flat=True)
