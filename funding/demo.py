"""Demo reviews, pledges and funding rounds for ``seed_demo`` (runs after the voting demo).

Everything goes through the real services. Ideas the demo sends to review were voted on by
every demo member; the demo has only twenty members, fewer than the default threshold of 100,
so their move to review is recorded with a reason saying so. Then ``reviewer`` approves most of
them with funding terms and ``reviewer2`` rejects one; members pledge; four rounds close funded
(products: one moves on to production, one is launched), one fails at its deadline, one stays
open and two ideas wait in the review queue. ``finance`` confirms the payments of one product.
"""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from core.errors import Conflict
from ideas.models import Idea, IdeaStatus
from ideas.services import idea_create, idea_publish
from ideas.transitions import idea_transition
from payouts.rules import FEE_BP_MIN
from voting.demo import NETWORKS, members
from voting.services import vote_cast

from .models import Payment
from .services import (
    funding_round_close,
    payment_confirm,
    pledge_create,
    product_advance,
    review_decide,
)

FALLBACK_IDEAS = [
    ("Solar kettle for balconies", "Boils a litre of water with sunlight in 20 minutes."),
    ("Repairable headphones", "Every part screws in: cable, pads, drivers, battery."),
    ("Bike-lane pothole reporter", "A handlebar button that maps potholes for the city."),
    ("Compostable phone case", "Made from hemp and flax, returns to soil in a year."),
    ("Kids' coding cards", "A deck of cards that teaches loops and conditions offline."),
    ("Quiet desk fan", "A bladeless fan under 20 dB for shared offices."),
    ("Rain-barrel sensor", "Tells your phone how much rain water you have stored."),
    ("Modular bookshelf joints", "3D-printed joints that turn planks into shelves, no tools."),
    ("Pocket sign-language dictionary", "Offline video dictionary for 2,000 signs."),
    ("Cast-iron pan restorer kit", "Everything to bring a rusty pan back to life."),
]
# (outcome, goal in EUR, pledges in EUR)
PLANS = [
    ("launched", 2_000, [250, 400, 150, 500, 300, 200, 350]),
    ("in_production", 3_500, [500, 750, 400, 600, 450, 300, 250, 500]),
    ("funded", 1_500, [100, 250, 300, 200, 150, 400, 200]),
    ("funded", 4_000, [1_000, 500, 750, 400, 600, 350, 500]),
    ("failed", 8_000, [300, 150, 500, 250]),
    ("open", 3_000, [200, 150, 400, 250, 100]),
    ("rejected", 0, []),
    ("review", 0, []),
    ("review", 0, []),
]
REASONS = {
    "approve": [
        "Clear demand in the comments, a realistic budget and a creator who answers questions.",
        "Small first batch, known manufacturer, and the prototype already works.",
        "Strong vote in a short time; the plan is modest and the risks are named.",
    ],
    "reject": "Very close to a product already on the market; we would rather back an idea "
    "that brings something new. Thanks for sharing it!",
}


def _ensure_ideas(people: list[User], needed: int) -> None:
    """Without the ideas demo (or with too few ideas in voting), post and publish a few."""
    have = Idea.objects.filter(status__in=[IdeaStatus.VOTING, IdeaStatus.REVIEW]).count()
    creator = User.objects.filter(username="creator").first() or people[0]
    for n, (title, summary) in enumerate(FALLBACK_IDEAS[: max(0, needed - have)]):
        author = creator if n % 2 == 0 else people[-1 - n]
        idea = idea_create(
            creator=author, title=title, summary=summary, body=f"{summary}\n\n*Demo idea.*"
        )
        idea_publish(idea=idea, actor=author)


def _to_review(idea: Idea, people: list[User], rng: random.Random) -> None:
    for member in people:
        idea.refresh_from_db(fields=["status", "votes_folded"])
        if idea.status != IdeaStatus.VOTING:
            return  # the threshold was reached: vote_cast moved it
        if member.pk != idea.creator_id:
            try:
                vote_cast(idea=idea, member=member, network=rng.choice(NETWORKS))
            except Conflict:
                return
    idea.refresh_from_db()
    if idea.status == IdeaStatus.VOTING:
        idea_transition(
            idea=idea,
            to_status=IdeaStatus.REVIEW,
            reason=f"Demo: {idea.vote_count} votes, every demo member voted (the demo has "
            f"fewer members than the threshold of {idea.vote_threshold}).",
        )


def seed(stdout) -> None:
    people = members()
    reviewer = User.objects.filter(username="reviewer").first()
    reviewer2 = User.objects.filter(username="reviewer2").first() or reviewer
    finance = User.objects.filter(username="finance").first()
    if not people or reviewer is None:
        stdout.write("Funding demo: no demo accounts; skipped.")
        return
    _ensure_ideas(people, len(PLANS))
    rng = random.Random(7)
    candidates = list(
        Idea.objects.filter(status__in=[IdeaStatus.REVIEW, IdeaStatus.VOTING])
        .exclude(creator__in=[reviewer, reviewer2])
        .select_related("category", "creator")
        .order_by("-status", "-vote_count", "id")  # ideas already in review first
    )
    summary: dict[str, int] = {}
    for (outcome, goal_eur, pledges_eur), idea in zip(PLANS, candidates, strict=False):
        if idea.status == IdeaStatus.VOTING:
            _to_review(idea, people, rng)
        summary[outcome] = summary.get(outcome, 0) + 1
        if outcome == "review":
            continue
        if outcome == "rejected":
            review_decide(
                idea=idea, reviewer=reviewer2, decision="reject", reason=REASONS["reject"]
            )
            continue
        now = timezone.now()
        # A round that fails closes at its deadline: give it a short one and close it then.
        deadline = now + (timedelta(hours=2) if outcome == "failed" else timedelta(days=21))
        review_decide(
            idea=idea,
            reviewer=reviewer,
            decision="approve",
            reason=rng.choice(REASONS["approve"]),
            funding_goal=goal_eur * 100,
            currency="EUR",
            funding_deadline=deadline,
            platform_fee_bp=rng.choice([FEE_BP_MIN, 1250, 1500, 2000]),
            points_per_unit=1,
        )
        backers = [m for m in people if m.pk != idea.creator_id]
        rng.shuffle(backers)
        for member, amount in zip(backers, pledges_eur, strict=False):
            pledge_create(idea=idea, member=member, amount=amount * 100)
        if outcome == "open":
            continue
        if outcome == "failed":
            funding_round_close(idea=idea, actor=None, now=deadline + timedelta(minutes=1))
            continue
        product = funding_round_close(idea=idea, actor=reviewer)
        if outcome in ("in_production", "launched"):
            product_advance(product=product, actor=reviewer, reason="Manufacturer booked.")
        if outcome == "launched":
            product_advance(product=product, actor=reviewer, reason="On sale since this week.")
            if finance is not None:
                for payment in Payment.objects.filter(pledge__idea=idea):
                    payment_confirm(
                        payment=payment, actor=finance, reference=f"SEPA-DEMO-{payment.pk:05d}"
                    )
    stdout.write(
        "Funding demo: "
        + ", ".join(f"{n} {outcome}" for outcome, n in summary.items())
        + " (reviewers: /review/)."
    )
