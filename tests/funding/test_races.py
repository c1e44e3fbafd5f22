"""Reviews and pledges racing, with real threads and connections (PostgreSQL)."""

import pytest

from core.errors import Conflict
from funding.models import Pledge, PledgeStatus, Product, ReviewDecision
from funding.services import funding_round_close, pledge_create, review_decide
from ideas.models import Idea, IdeaStatus, IdeaTransition
from tests.factories import idea_in_funding, idea_in_review
from tests.voting.test_races import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reviewers_deciding_at_once_give_one_decision(make_user):
    idea = idea_in_review(make_user("carla"))
    rita = make_user("rita", role="reviewer")
    rafael = make_user("rafael", role="reviewer")

    def approve():
        return review_decide(
            idea=Idea.objects.get(pk=idea.pk), reviewer=rita, decision="approve",
            reason="Go.", funding_goal=10_000, currency="EUR", platform_fee_bp=1200,
        )  # fmt: skip

    def reject():
        return review_decide(
            idea=Idea.objects.get(pk=idea.pk), reviewer=rafael, decision="reject", reason="No."
        )

    results = run_at_once([approve, reject])
    winners = [r for r in results if isinstance(r, ReviewDecision)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], Conflict)
    assert ReviewDecision.objects.filter(idea=idea).count() == 1
    idea.refresh_from_db()
    expected = IdeaStatus.FUNDING if winners[0].decision == "approve" else IdeaStatus.REJECTED
    assert idea.status == expected
    assert IdeaTransition.objects.filter(idea=idea, from_status=IdeaStatus.REVIEW).count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_a_pledge_racing_the_close_is_counted_or_refused_never_lost(round_, make_user):
    carla, rita = make_user("carla"), make_user("rita", role="reviewer")
    idea = idea_in_funding(carla, rita, goal=5_000)
    backers = [make_user(f"backer{i}") for i in range(6)]
    pledge_create(idea=idea, member=backers[0], amount=5_000)  # the goal is met

    def late_pledge(member):
        return lambda: pledge_create(idea=Idea.objects.get(pk=idea.pk), member=member, amount=700)

    def close():
        return funding_round_close(idea=Idea.objects.get(pk=idea.pk), actor=rita)

    results = run_at_once([close] + [late_pledge(m) for m in backers[1:]])
    assert isinstance(results[0], Product)
    product = Product.objects.get(idea=idea)
    for member, result in zip(backers[1:], results[1:], strict=True):
        if isinstance(result, Exception):
            assert isinstance(result, Conflict)  # refused: nothing was recorded
            assert not Pledge.objects.filter(idea=idea, member=member).exists()
        else:  # counted: collected, in the amount raised, with its contribution
            result.refresh_from_db()
            assert result.status == PledgeStatus.COLLECTED
            assert hasattr(result, "contribution")
    assert not Pledge.objects.filter(idea=idea, status=PledgeStatus.ACTIVE).exists()
    collected = Pledge.objects.filter(idea=idea, status=PledgeStatus.COLLECTED)
    assert product.amount_raised == sum(p.amount for p in collected)
