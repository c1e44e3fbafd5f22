from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from ideas.models import Idea

from .models import Vote, VoteAction, VoteEvent

YOUNG_ACCOUNT = timedelta(days=7)


def vote_events(*, idea: Idea):
    return VoteEvent.objects.filter(idea=idea).select_related("member").order_by("created_at", "id")


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
