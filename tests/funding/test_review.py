from datetime import timedelta

import pytest
from django.utils import timezone

from funding.models import ReviewDecision
from ideas.models import IdeaStatus, IdeaTransition
from notifications.models import Notification
from tests.factories import idea_in_review, idea_in_voting

pytestmark = pytest.mark.django_db


def review_url(idea):
    return f"/api/v1/ideas/{idea.pk}/review/"


APPROVAL = {
    "decision": "approve",
    "reason": "A clear market and a sound plan.",
    "funding_goal": 500_000,
    "currency": "EUR",
    "platform_fee_bp": 1500,
    "points_per_unit": 2,
}


def test_a_reviewer_approves_an_idea_for_funding(make_user, client_for):
    idea = idea_in_review(make_user("carla"))
    rita = make_user("rita", role="reviewer")
    response = client_for(rita).post(review_url(idea), APPROVAL)
    assert response.status_code == 201
    assert response.json()["status"] == "funding"
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING
    terms = idea.funding_round
    assert (terms.goal, terms.currency, terms.platform_fee_bp, terms.points_per_unit) == (
        500_000, "EUR", 1500, 2,
    )  # fmt: skip
    assert terms.decision == ReviewDecision.objects.get(idea=idea)  # the approval opened it
    default_deadline = timezone.now() + timedelta(days=30)
    assert abs((terms.deadline - default_deadline).total_seconds()) < 60
    move = IdeaTransition.objects.get(idea=idea, to_status=IdeaStatus.FUNDING)
    assert move.actor == rita and move.reason == APPROVAL["reason"]
    assert Notification.objects.filter(recipient=idea.creator, kind="idea_reviewed").exists()


def test_a_reviewer_rejects_an_idea_with_a_reason(make_user, client_for):
    idea = idea_in_review(make_user("carla"))
    response = client_for(make_user("rita", role="reviewer")).post(
        review_url(idea), {"decision": "reject", "reason": "Already on the market."}
    )
    assert response.status_code == 201
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    note = Notification.objects.get(recipient=idea.creator, kind="idea_reviewed")
    assert "Already on the market." in note.text


@pytest.mark.parametrize("who", ["anonymous", "member", "creator", "finance"])
def test_only_reviewers_decide_reviews(who, make_user, client_for):
    carla = make_user("carla")
    idea = idea_in_review(carla)
    user = {
        "anonymous": None,
        "member": make_user("alice"),
        "creator": carla,
        "finance": make_user("fiona", role="finance"),
    }[who]
    response = client_for(user).post(review_url(idea), APPROVAL)
    assert response.status_code == (401 if user is None else 403)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW
    assert not ReviewDecision.objects.exists()


def test_a_reviewer_cannot_review_their_own_idea(make_user, client_for):
    rita = make_user("rita", role="reviewer")
    idea = idea_in_review(rita)
    assert client_for(rita).post(review_url(idea), APPROVAL).status_code == 403


@pytest.mark.parametrize(
    "change, field",
    [
        ({"platform_fee_bp": 999}, "platform_fee_bp"),
        ({"platform_fee_bp": 2501}, "platform_fee_bp"),
        ({"platform_fee_bp": None}, "platform_fee_bp"),
        ({"funding_goal": 50}, "funding_goal"),
        ({"funding_goal": "lots"}, "funding_goal"),
        ({"funding_goal": None}, "funding_goal"),
        ({"currency": "XYZ"}, "currency"),
        ({"points_per_unit": 0}, "points_per_unit"),
        ({"funding_deadline": "2001-01-01T00:00:00Z"}, "funding_deadline"),
        ({"funding_deadline": "next week"}, "funding_deadline"),
        ({"reason": ""}, "reason"),
        ({"decision": "maybe"}, "decision"),
    ],
)
def test_bad_approval_terms_are_refused_naming_the_field(change, field, make_user, client_for):
    idea = idea_in_review(make_user("carla"))
    response = client_for(make_user("rita", role="reviewer")).post(
        review_url(idea), {**APPROVAL, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW


def test_an_idea_not_in_review_cannot_be_decided(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    response = client_for(make_user("rita", role="reviewer")).post(review_url(idea), APPROVAL)
    assert response.status_code == 409


def test_an_idea_is_decided_only_once(make_user, client_for):
    idea = idea_in_review(make_user("carla"))
    client_for(make_user("rita", role="reviewer")).post(review_url(idea), APPROVAL)
    second = client_for(make_user("rafael", role="reviewer")).post(
        review_url(idea), {"decision": "reject", "reason": "No."}
    )
    assert second.status_code == 409
    assert ReviewDecision.objects.filter(idea=idea).count() == 1


@pytest.mark.parametrize("goal", [500_000.0, "500000.0", " 500000 ", "５０００００", 2**63, True])
def test_the_review_api_takes_the_funding_goal_in_whole_minor_units_only(
    goal, make_user, client_for
):
    idea = idea_in_review(make_user("carla"))
    response = client_for(make_user("rita", role="reviewer")).post(
        review_url(idea), {**APPROVAL, "funding_goal": goal}, format="json"
    )
    assert response.status_code == 400
    assert "funding_goal" in response.json()["error"]["fields"]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REVIEW
