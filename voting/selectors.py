from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.db import connection
from django.utils.dateparse import parse_datetime

from ideas.models import Category, Idea, exact_vote_count_sql

from .models import Vote, VoteAction, VoteEvent

YOUNG_ACCOUNT = timedelta(days=7)


def vote_events(*, idea: Idea):
    return VoteEvent.objects.filter(idea=idea).select_related("member").order_by("created_at", "id")


def idea_for_record(*, idea_id: int) -> Idea | None:
    """The idea whose vote record a reviewer looks at (hidden ones too)."""
    return Idea.objects.select_related("creator").filter(pk=idea_id).first()


def has_voted(*, idea_id: int, member) -> bool:
    if member is None or not member.is_authenticated:
        return False
    return Vote.objects.filter(idea_id=idea_id, member=member).exists()


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


def idea_for_vote(*, idea_id: int) -> Idea | None:
    """The idea as the vote path needs it (status, window, creator, threshold), in one cheap
    query: the vote endpoint is the hottest path of the site, and a full ORM fetch with its
    category costs more CPU than the vote itself. Hidden ideas are not found."""
    ideas, categories = Idea._meta.db_table, Category._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.id, i.creator_id, i.title, i.status, i.voting_deadline, "  # noqa: S608
            f"{exact_vote_count_sql('i')}, "
            f"i.category_id, c.vote_threshold FROM {ideas} i "
            f"LEFT JOIN {categories} c ON c.id = i.category_id "
            "WHERE i.id = %s AND i.hidden_at IS NULL",
            [idea_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, creator_id, title, status, deadline, count, category_id, threshold = row
    if isinstance(deadline, str):  # SQLite hands raw rows back as text
        deadline = parse_datetime(deadline)
    if deadline is not None and deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)  # stored in UTC (USE_TZ)
    idea = Idea(
        id=pk, creator_id=creator_id, title=title, status=status, voting_deadline=deadline,
        category_id=category_id,
    )  # fmt: skip
    idea._state.adding = False
    idea._state.db = "default"
    idea.vote_count = count  # exact: the folded count and the counter rows
    if category_id is not None:
        # Fill the relation's cache so idea.vote_threshold reads no more rows.
        idea.category = Category(id=category_id, vote_threshold=threshold)
    return idea


def vote_percent(idea) -> int:
    """How far the idea's votes are toward its threshold, 0–100 (the progress bars)."""
    threshold = idea.vote_threshold
    return min(100, idea.vote_count * 100 // threshold) if threshold else 100
