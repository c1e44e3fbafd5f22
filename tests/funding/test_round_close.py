from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Contribution, ContributionKind, ContributionStatus
from funding.models import FundingRound, Payment, PaymentStatus, Pledge, Product
from funding.services import funding_round_close, funding_rounds_close_due, pledge_create
from funding.tasks import funding_rounds_close_task
from ideas.models import IdeaStatus, IdeaTransition
from notifications.models import Notification
from tests.factories import idea_in_funding

pytestmark = pytest.mark.django_db


def close_url(idea):
    return f"/api/v1/ideas/{idea.pk}/close-funding/"


def past_deadline(idea):
    """The round's deadline passes (time moves on; nothing else changes)."""
    return idea.funding_round.deadline + timedelta(minutes=1)


def test_a_reviewer_closes_a_round_early_once_the_goal_is_met(people, client_for):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    pledge_create(idea=idea, member=people.alice, amount=6_000)
    pledge_create(idea=idea, member=people.bob, amount=4_550)
    response = client_for(people.rita).post(close_url(idea))
    assert response.status_code == 200
    product = Product.objects.get(idea=idea)
    assert response.json() == {"idea": idea.pk, "status": "funded", "product": product.pk}
    assert (product.amount_raised, product.funding_goal) == (10_550, 10_000)
    assert product.currency == "EUR"
    assert (product.platform_fee_bp, product.points_per_unit) == (1500, 2)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDED
    assert set(Pledge.objects.filter(idea=idea).values_list("status", flat=True)) == {"collected"}


def test_a_funded_round_makes_every_pledge_an_approved_funding_contribution(people):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)  # 2 points per unit
    pledge_create(idea=idea, member=people.alice, amount=6_000)
    pledge_create(idea=idea, member=people.bob, amount=4_550)  # 45.50: 45 whole units
    funding_round_close(idea=idea, actor=people.rita)
    points = dict(
        Contribution.objects.filter(
            idea=idea, kind=ContributionKind.FUNDING, status=ContributionStatus.APPROVED
        ).values_list("member__username", "points")
    )
    assert points == {"alice": 120, "bob": 90}


def test_a_funded_round_records_a_payment_owed_per_pledge(people):
    idea = idea_in_funding(people.carla, people.rita, goal=5_000)
    pledge_create(idea=idea, member=people.alice, amount=5_000)
    funding_round_close(idea=idea, actor=people.rita)
    payment = Payment.objects.get()
    assert (payment.amount, payment.currency, payment.status, payment.provider) == (
        5_000, "EUR", PaymentStatus.PENDING, "manual",
    )  # fmt: skip


def test_backers_and_the_creator_hear_that_the_round_is_funded(people):
    idea = idea_in_funding(people.carla, people.rita, goal=5_000)
    pledge_create(idea=idea, member=people.alice, amount=5_000)
    funding_round_close(idea=idea, actor=people.rita)
    told = set(
        Notification.objects.filter(kind="funding_closed").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"alice", "carla"}


def test_a_round_cannot_close_early_below_its_goal(people, client_for):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    pledge_create(idea=idea, member=people.alice, amount=2_000)
    response = client_for(people.rita).post(close_url(idea))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "goal_not_met"
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING


@pytest.mark.parametrize("who", ["anonymous", "member", "creator", "finance"])
def test_only_reviewers_close_a_round(who, people, client_for):
    idea = idea_in_funding(people.carla, people.rita, goal=1_000)
    pledge_create(idea=idea, member=people.alice, amount=1_000)
    user = {"anonymous": None, "member": people.bob, "creator": people.carla,
            "finance": people.fiona}[who]  # fmt: skip
    assert client_for(user).post(close_url(idea)).status_code == (401 if user is None else 403)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING


def test_at_the_deadline_a_round_below_its_goal_fails_and_releases_the_pledges(people):
    idea = idea_in_funding(people.carla, people.rita, goal=10_000)
    pledge_create(idea=idea, member=people.alice, amount=3_000)
    pledge_create(idea=idea, member=people.bob, amount=2_000)
    result = funding_rounds_close_due(now=past_deadline(idea))
    assert result == {"funded": 0, "failed": 1}
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING_FAILED
    assert set(Pledge.objects.filter(idea=idea).values_list("status", flat=True)) == {"released"}
    assert not Product.objects.exists()
    assert not Contribution.objects.filter(idea=idea).exists()
    backers = [people.alice, people.bob]
    told = Notification.objects.filter(kind="funding_closed", recipient__in=backers)
    assert told.count() == 2
    assert all("released" in n.text for n in told)
    move = IdeaTransition.objects.get(idea=idea, to_status=IdeaStatus.FUNDING_FAILED)
    assert move.actor is None


def test_at_the_deadline_a_round_that_met_its_goal_is_funded(people):
    idea = idea_in_funding(people.carla, people.rita, goal=3_000)
    pledge_create(idea=idea, member=people.alice, amount=3_000)
    assert funding_rounds_close_due(now=past_deadline(idea)) == {"funded": 1, "failed": 0}
    assert Product.objects.get(idea=idea).amount_raised == 3_000


def test_the_beat_job_leaves_open_rounds_alone_and_is_safe_to_run_twice(people):
    idea = idea_in_funding(people.carla, people.rita)
    funding_rounds_close_task()
    funding_rounds_close_task()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING


def test_the_beat_job_closes_rounds_whose_deadline_passed(people):
    idea = idea_in_funding(people.carla, people.rita, goal=3_000)
    # The deadline lies in the past: written directly, as time passing would.
    FundingRound.objects.filter(idea=idea).update(deadline=timezone.now() - timedelta(minutes=5))
    funding_rounds_close_task()
    funding_rounds_close_task()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING_FAILED
    assert IdeaTransition.objects.filter(idea=idea, to_status="funding_failed").count() == 1


def test_pledges_are_refused_once_the_round_is_closed(people, client_for):
    idea = idea_in_funding(people.carla, people.rita, goal=1_000)
    pledge_create(idea=idea, member=people.alice, amount=1_000)
    funding_round_close(idea=idea, actor=people.rita)
    response = client_for(people.bob).post(f"/api/v1/ideas/{idea.pk}/pledges/", {"amount": 500})
    assert response.status_code == 409
    assert client_for(people.alice).delete(f"/api/v1/ideas/{idea.pk}/pledges/").status_code == 409


def test_closing_a_closed_round_is_a_conflict(people, client_for):
    idea = idea_in_funding(people.carla, people.rita, goal=1_000)
    pledge_create(idea=idea, member=people.alice, amount=1_000)
    client_for(people.rita).post(close_url(idea))
    assert client_for(people.rita).post(close_url(idea)).status_code == 409
    assert Product.objects.filter(idea=idea).count() == 1


def test_a_reviewer_cannot_close_the_round_of_their_own_idea(people, make_user, client_for):
    other = make_user("otto", role="reviewer")
    idea = idea_in_funding(people.rita, other, goal=5_000)  # rita's own idea
    pledge_create(idea=idea, member=people.alice, amount=5_000)
    response = client_for(people.rita).post(close_url(idea))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "You cannot close the funding round of your own idea: another reviewer does."
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FUNDING
    assert client_for(other).post(close_url(idea)).status_code == 200


def test_the_closing_notice_states_the_amount_as_money(people):
    idea = idea_in_funding(people.carla, people.rita, goal=100_000)
    pledge_create(idea=idea, member=people.alice, amount=123_450)
    funding_round_close(idea=idea, actor=people.rita)
    note = Notification.objects.get(recipient=people.carla, kind="funding_closed")
    assert "is funded with 1,234.50 EUR: it becomes a product." in note.text
