"""The whole road through the other apps' real services: a suggestion adopted while voting, a
review, pledges, the round closing, then the contribution table of the new product."""

from django.utils import timezone

from contributions.models import Contribution, ContributionStatus
from contributions.selectors import contribution_weights
from contributions.services import contribution_approve
from funding.services import funding_round_close, pledge_create, review_decide
from ideas.models import IdeaStatus
from ideas.services import comment_accept, comment_create
from ideas.transitions import idea_transition
from tests.factories import idea_in_voting


def test_suggesters_and_funders_share_the_pool_of_the_product(client_for, people):
    idea = idea_in_voting(creator=people.creator)
    suggestion = comment_create(
        idea=idea, author=people.alice, body="Add a reflective strip.", is_suggestion=True
    )
    comment_accept(comment=suggestion, actor=people.creator, points=10)
    claim = Contribution.objects.get(member=people.alice)
    assert (claim.kind, claim.status) == ("suggestion", ContributionStatus.PENDING)

    idea_transition(idea=idea, to_status=IdeaStatus.REVIEW, reason="threshold reached")
    review_decide(
        idea=idea,
        reviewer=people.reviewer,
        decision="approve",
        reason="Useful and cheap to make.",
        funding_goal=20_000,
        currency="EUR",
        platform_fee_bp=2000,
        points_per_unit=1,
    )
    pledge_create(idea=idea, member=people.bob, amount=30_000)
    product = funding_round_close(idea=idea, actor=people.reviewer)
    contribution_approve(contribution=claim, reviewer=people.reviewer2, points=100)

    body = client_for(None).get(f"/api/v1/products/{product.pk}/").json()

    assert body["platform_fee_bp"] == 2000
    assert body["contributions"] == [
        {"member": people.bob.pk, "member_name": "bob", "points": 300, "share": "0.750000"},
        {"member": people.alice.pk, "member_name": "alice", "points": 100, "share": "0.250000"},
    ]
    today = timezone.now().date()
    assert contribution_weights(idea=idea, as_of=today) == {
        people.bob.pk: 300,
        people.alice.pk: 100,
    }
