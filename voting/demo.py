"""Demo votes for ``seed_demo`` (runs after the ideas demo).

First the ideas the ideas demo meant for review or rejection are voted up to their threshold
(``vote_cast`` moves them to review) and those meant for rejection are rejected. Then demo
members vote on the ideas still in voting, from a handful of made-up networks, so the vote
record has something to show (one idea gets a suspicious burst from one network). Ideas that
cross their threshold go to review on their own; the funding demo then sends a few more to
review and runs them through funding.
"""

import random

from accounts.demo import MEMBERS
from accounts.models import User
from ideas.demo import REJECTION_REASON, VOTED_TO_REVIEW
from ideas.demo_data import IDEAS
from ideas.models import Idea, IdeaStatus
from ideas.transitions import idea_transition

from .clusters import keyed_hash
from .services import vote_cast

NETWORKS = [f"198.51.{n}.0/24" for n in range(100, 112)] + ["2001:db8:42::/48"]
RING_NETWORK = "203.0.113.0/24"
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
]


def _net(prefix: str) -> str:
    return keyed_hash(prefix, kind="network")  # stored as the vote path stores it


def members() -> list[User]:
    users = {u.username: u for u in User.objects.filter(username__in=MEMBERS)}
    return [users[name] for name in MEMBERS if name in users]


def _vote_to_threshold(idea: Idea, voters: list) -> None:
    """Members vote until the idea reaches its threshold and vote_cast moves it to review."""
    for n, member in enumerate(m for m in voters if m.pk != idea.creator_id):
        idea.refresh_from_db(fields=["status", "votes_folded"])
        if idea.status != IdeaStatus.VOTING:
            return
        vote_cast(idea=idea, member=member, network=_net(f"198.51.{100 + n % 12}.0/24"))
    raise RuntimeError(f"The demo has too few members for the threshold of {idea.title!r}.")


def seed_reviewed_ideas() -> None:
    """The ideas demo's ideas meant for review or rejection reach their threshold; the ones
    meant for rejection are then rejected by the reviewer."""
    users = {u.username: u for u in User.objects.all()}
    if "reviewer" not in users:
        return
    voters = [u for name, u in sorted(users.items()) if name not in ("admin", "finance2")]
    for row in IDEAS:
        title, state = row[1], row[-2]
        if state not in VOTED_TO_REVIEW:
            continue
        idea = Idea.objects.filter(title=title, status=IdeaStatus.VOTING).first()
        if idea is None:
            continue
        _vote_to_threshold(idea, voters)
        if state == "rejected":
            idea_transition(
                idea=idea,
                to_status=IdeaStatus.REJECTED,
                actor=users["reviewer"],
                reason=REJECTION_REASON,
            )


def seed(stdout) -> None:
    seed_reviewed_ideas()
    people = members()
    ideas = list(
        Idea.objects.filter(status=IdeaStatus.VOTING).select_related("category").order_by("id")
    )
    if not people or not ideas:
        stdout.write("Voting demo: no members or no ideas in voting yet; skipped.")
        return
    rng = random.Random(4)
    cast = 0
    for index, idea in enumerate(ideas):
        voters = [m for m in people if m.pk != idea.creator_id]
        rng.shuffle(voters)
        for n, member in enumerate(voters[: rng.randint(3, len(voters))]):
            idea.refresh_from_db(fields=["status", "votes_folded"])
            if idea.status != IdeaStatus.VOTING:
                break  # it reached its threshold and went to review
            ring = index == 0 and n < 6  # a burst from one network, for the vote record
            vote_cast(
                idea=idea,
                member=member,
                network=_net(RING_NETWORK if ring else rng.choice(NETWORKS)),
                user_agent=rng.choice(BROWSERS),
            )
            cast += 1
    in_review = Idea.objects.filter(status=IdeaStatus.REVIEW).count()
    stdout.write(f"Voting demo: {cast} votes on {len(ideas)} ideas; {in_review} in review.")
