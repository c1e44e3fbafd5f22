"""Reads of contributions: the weights the settlement uses and the public contribution table."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from accounts.roles import is_reviewer
from funding.models import Product
from payouts.allocation import largest_remainder  # pure arithmetic: imports only payouts.rules

from . import rules
from .models import Contribution, ContributionStatus

# Shares are fractions of the contributor pool with this many decimal places ("0.250000").
SHARE_PLACES = 6
_SHARE_UNITS = 10**SHARE_PLACES


def contribution_weights(*, idea, as_of: date) -> dict[int, int]:
    """Member id → total approved points on ``idea``, decided on or before ``as_of`` (UTC).

    The whole ``as_of`` day counts: everything decided before the next midnight UTC. Members
    with no approved points are absent.
    """
    end = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)
    rows = (
        Contribution.objects.filter(
            idea=idea,
            status=ContributionStatus.APPROVED,
            decided_at__lt=end,
            points__gt=0,
        )
        .values_list("member_id")
        .annotate(total=Sum("points"))
        .order_by("member_id")
    )
    # A settlement reads a million of these: the ORM's own SQL fetched in one go (Django's row
    # iterator took twice as long). SUM of an integer column is an integer on both databases.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


@dataclass(slots=True)
class TableRow:
    member_id: int
    member_name: str
    points: int
    share: str  # decimal fraction of the contributor pool, SHARE_PLACES places

    @property
    def share_percent(self) -> str:
        return f"{Decimal(self.share) * 100:.2f}"


def shares_of(weights: dict[int, int]) -> dict[int, str]:
    """Each member's share of the pool as a decimal string; the shares add up to exactly 1.

    Integer arithmetic: every share is floored to 10⁻⁶ and the leftover units go one each to the
    largest remainders (ties to the lower member id): the split's own rounding,
    ``payouts.allocation.largest_remainder``.
    """
    total = sum(weights.values())
    if total <= 0:
        return {}
    members = sorted(weights)
    units = largest_remainder([weights[m] * _SHARE_UNITS for m in members], total, _SHARE_UNITS)
    return {
        m: f"{u // _SHARE_UNITS}.{u % _SHARE_UNITS:0{SHARE_PLACES}d}"
        for m, u in zip(members, units, strict=True)
    }


def contribution_table(*, idea) -> list[TableRow]:
    """The public contribution table: each contributor's approved points and pool share.

    Ordered by points (largest first), then by member id.
    """
    totals = (
        Contribution.objects.filter(idea=idea, status=ContributionStatus.APPROVED, points__gt=0)
        .values("member_id")
        .annotate(total=Sum("points"))
        .values_list("member_id", "member__username", "member__display_name", "total")
        .order_by()
    )
    rows = list(totals)
    shares = shares_of({member_id: int(total) for member_id, _, _, total in rows})
    table = [
        TableRow(member_id, display or username, int(total), shares[member_id])
        for member_id, username, display, total in rows
    ]
    table.sort(key=lambda r: (-r.points, r.member_id))
    return table


def product_list(*, viewer=None) -> QuerySet[Product]:
    """Products newest first; a page of them gets its totals from
    ``contributions.standings.with_totals`` (summing every product's contributions per request
    took 2 s with a million contributors)."""
    qs = Product.objects.select_related("idea", "idea__creator")
    if not is_reviewer(viewer):
        qs = qs.filter(idea__hidden_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def product_get(*, product_id: int, viewer=None) -> Product | None:
    qs = Product.objects.select_related("idea", "idea__creator")
    if not is_reviewer(viewer):
        qs = qs.filter(idea__hidden_at__isnull=True)
    return qs.filter(pk=product_id).first()


def product_of_idea(*, idea) -> Product | None:
    """The idea's product once its funding round succeeded, else None."""
    return Product.objects.select_related("idea").filter(idea=idea).first()


def contribution_visible_filter(*, viewer, idea) -> Q:
    """Approved claims are public; pending and rejected ones are seen by their claimant, the
    idea's creator and reviewers."""
    if rules.may_see_all_claims(idea=idea, viewer=viewer) is None:
        return Q()
    public = Q(status=ContributionStatus.APPROVED)
    if viewer is not None and viewer.is_authenticated:
        return public | Q(member_id=viewer.pk)
    return public


def contribution_list_for_idea(*, idea, viewer=None) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(idea=idea)
        .filter(contribution_visible_filter(viewer=viewer, idea=idea))
        .select_related("idea", "member", "decided_by")
        .order_by("-created_at", "-id")
    )


def contribution_open_claims(*, idea, viewer=None, limit: int = 200) -> QuerySet[Contribution]:
    """The pending and rejected claims on ``idea`` the viewer may see, newest first.

    Asked as "pending or rejected" (an index range), never as "visible minus approved": with a
    million approved claims the latter made PostgreSQL walk all of them to return nothing."""
    qs = Contribution.objects.filter(
        idea=idea, status__in=[ContributionStatus.PENDING, ContributionStatus.REJECTED]
    )
    if rules.may_see_all_claims(idea=idea, viewer=viewer) is not None:
        if viewer is None or not viewer.is_authenticated:
            return qs.none()
        qs = qs.filter(member_id=viewer.pk)
    return qs.select_related("idea", "member", "decided_by").order_by("-created_at", "-id")[:limit]


def contribution_get(*, contribution_id: int) -> Contribution | None:
    """One claim with its idea and claimant, whoever may see it (ask ``rules.may_see``)."""
    return Contribution.objects.select_related("idea", "member").filter(pk=contribution_id).first()


def contribution_pending_queue(*, kind: str = "", endorsed: bool = False) -> QuerySet[Contribution]:
    """Pending claims for reviewers, oldest first: first come, first decided. ``kind`` keeps
    one kind of work; ``endorsed`` only those the idea's creator endorsed."""
    qs = Contribution.objects.filter(status=ContributionStatus.PENDING)
    if kind:
        qs = qs.filter(kind=kind)
    if endorsed:
        qs = qs.filter(endorsed_at__isnull=False)
    return qs.select_related("member", "idea", "idea__creator", "idea__product").order_by(
        "created_at", "id"
    )


def contributions_approved_of(*, member) -> QuerySet[Contribution]:
    """A member's approved contributions to ideas anyone may see, newest first (profiles)."""
    return (
        Contribution.objects.filter(
            member=member,
            status=ContributionStatus.APPROVED,
            idea__published_at__isnull=False,
            idea__hidden_at__isnull=True,
        )
        .select_related("idea")
        .order_by("-decided_at", "-id")
    )
