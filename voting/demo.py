"""Demo votes for ``seed_demo`` (runs after the ideas demo).

Demo members vote on the ideas in voting through ``vote_cast``, from a handful of made-up
networks, so the vote record has something to show (one idea gets a suspicious burst from one
network). Ideas that cross their threshold go to review on their own; the funding demo then
sends a few more to review and runs them through funding.
"""

import random

from accounts.models import User
from ideas.models import Idea, IdeaStatus

from .services import vote_cast

NETWORKS = [f"198.51.{n}.0/24" for n in range(100, 112)] + ["2001:db8:42::/48"]
RING_NETWORK = "203.0.113.0/24"
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
]


def members() -> list[User]:
    from accounts.demo import MEMBERS

    users = {u.username: u for u in User.objects.filter(username__in=MEMBERS)}
    return [users[name] for name in MEMBERS if name in users]


def seed(stdout) -> None:
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
            idea.refresh_from_db(fields=["status", "vote_count"])
            if idea.status != IdeaStatus.VOTING:
                break  # it reached its threshold and went to review
            ring = index == 0 and n < 6  # a burst from one network, for the vote record
            vote_cast(
                idea=idea,
                member=member,
                network=RING_NETWORK if ring else rng.choice(NETWORKS),
                user_agent=rng.choice(BROWSERS),
            )
            cast += 1
    in_review = Idea.objects.filter(status=IdeaStatus.REVIEW).count()
    stdout.write(f"Voting demo: {cast} votes on {len(ideas)} ideas; {in_review} in review.")
