import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from ideas.models import Category, Idea, IdeaStatus, exact_vote_count_sql

from .clusters import vote_clusters_of
from .models import Vote, VoteAction, VoteEvent, VoteHold

YOUNG_ACCOUNT = timedelta(days=7)


def vote_events(*, idea: Idea):
    return VoteEvent.objects.filter(idea=idea).select_related("member").order_by("created_at", "id")


def idea_for_record(*, idea_id: int) -> Idea | None:
    """The idea whose vote record a reviewer looks at (hidden ones too)."""
    return Idea.objects.select_related("creator").filter(pk=idea_id).first()


def my_vote(*, idea_id: int, member) -> Vote | None:
    """The member's vote on the idea (whether it counts, from when), or None."""
    if member is None or not member.is_authenticated:
        return None
    return Vote.objects.filter(idea_id=idea_id, member=member).first()


@dataclass
class VoteRingSignals:
    """What a reviewer looks at: where votes came from and how fast, and how new the voters are."""

    casts: int = 0
    withdrawals: int = 0
    young_voters: int = 0  # accounts younger than a week when they voted
    networks: list[tuple[str, int]] = field(default_factory=list)  # busiest first
    busiest_hours: list[tuple[str, int]] = field(default_factory=list)
    flagged_members: set[int] = field(default_factory=set)


def vote_ring_signals(*, idea: Idea, events=None) -> VoteRingSignals:
    events = list(events if events is not None else vote_events(idea=idea))
    signals = VoteRingSignals()
    networks: Counter[str] = Counter()
    hours: Counter[str] = Counter()
    for event in events:
        if event.action == VoteAction.WITHDRAW:
            signals.withdrawals += 1
            continue
        signals.casts += 1
        if event.network:
            networks[event.network] += 1
        hours[event.created_at.strftime("%Y-%m-%d %H:00")] += 1
        if event.created_at - event.member.date_joined < YOUNG_ACCOUNT:
            signals.young_voters += 1
            signals.flagged_members.add(event.member_id)
    signals.networks = networks.most_common(10)
    signals.busiest_hours = hours.most_common(5)
    crowded = {net for net, n in networks.items() if n >= 5}
    signals.flagged_members |= {e.member_id for e in events if e.network in crowded}
    return signals


@dataclass(frozen=True)
class BallotTarget:
    """An idea as the ballot sees it (``voting.rules.VoteTarget``, and what a vote answers):
    read in one cheap row, never an ``Idea`` built by hand. The vote endpoint is the hottest
    path of the site, and a full ORM fetch with its category costs more than the vote."""

    idea_id: int
    creator_id: int
    status: str
    voting_deadline: datetime | None
    hidden_at: datetime | None
    threshold: int  # the category's, else VOTE_THRESHOLD (``Idea.vote_threshold``)
    vote_count: int  # exact: the folded count and the counter rows

    @property
    def pk(self) -> int:
        return self.idea_id


@functools.cache
def _ballot_target_sql() -> str:
    ideas, categories = Idea._meta.db_table, Category._meta.db_table
    return (
        "SELECT i.id, i.creator_id, i.status, i.voting_deadline, i.hidden_at, "  # noqa: S608
        "COALESCE(NULLIF(c.vote_threshold, 0), %s), "
        f"{exact_vote_count_sql('i')} FROM {ideas} i "
        f"LEFT JOIN {categories} c ON c.id = i.category_id WHERE i.id = %s"
    )


def ballot_target(*, idea_id: int) -> BallotTarget | None:
    """The idea with this id as the ballot sees it (hidden ones too: ``hidden_at``), or None."""
    with connection.cursor() as cursor:
        cursor.execute(_ballot_target_sql(), [settings.VOTE_THRESHOLD, idea_id])
        row = cursor.fetchone()
    return None if row is None else BallotTarget(*row)


def vote_percent(idea) -> int:
    """How far the idea's votes are toward its threshold, 0–100 (the progress bars)."""
    threshold = idea.vote_threshold
    return min(100, idea.vote_count * 100 // threshold) if threshold else 100


VOTE_STATES = ("counts", "pending", "voided", "not_counted")


def member_votes(*, member):
    """A member's votes, newest first, with their ideas and any void decision."""
    return (
        Vote.objects.filter(member=member)
        .select_related("idea", "voided")
        .order_by("-created_at", "-id")
    )


def vote_state(vote: Vote) -> str:
    """Did this vote count? ``counts``; ``pending`` (recorded, counts from ``counts_from``);
    ``voided`` (by a reviewer, ``vote.voided.reason``); ``not_counted`` (voting closed before
    the account was old enough)."""
    if vote.voided_id is not None:
        return "voided"
    if vote.counted:
        return "counts"
    return "pending" if vote.idea.status == IdeaStatus.VOTING else "not_counted"


@dataclass
class HeldIdea:
    """An idea waiting in the reviewers' vote queue, with the clusters that hold it."""

    hold: VoteHold
    idea: Idea
    clusters: list


def held_ideas() -> list[HeldIdea]:
    """Every open hold, oldest first, with its idea and its clusters (``voting.clusters``)."""
    holds = list(VoteHold.objects.filter(closed_at__isnull=True))
    ids = [h.idea_id for h in holds]
    # Through Idea.objects: each idea with its exact vote count, read with the row.
    ideas = Idea.objects.select_related("category", "creator").in_bulk(ids)
    clusters = vote_clusters_of(idea_ids=ids)
    return [HeldIdea(h, ideas[h.idea_id], clusters[h.idea_id]) for h in holds]
