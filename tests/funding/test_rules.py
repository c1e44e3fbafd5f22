"""funding.rules: the one home of who may pledge, review, close and confirm, and of the points
a pledge earns; the funding box shows the rules' answers; the pledge_funded seam."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from contributions.services import contribution_record_funding
from funding.hooks import pledge_funded
from funding.rules import (
    funding_points,
    may_close_round,
    may_confirm_payment,
    may_decide_review,
    may_pledge,
)
from tests.factories import idea_in_funding, idea_in_review

pytestmark = pytest.mark.django_db


def code(refusal):
    return refusal.code if refusal is not None else None


def test_funding_points_are_whole_units_times_points_per_unit():
    assert funding_points(amount=4_550, currency="EUR", points_per_unit=2) == 90
    assert funding_points(amount=99, currency="EUR", points_per_unit=5) == 0


def test_may_pledge_says_who_may_pledge_and_when(people, make_user, settings):
    settings.EMAIL_VERIFICATION = "mandatory"
    idea = idea_in_funding(people.carla, people.rita)
    now = timezone.now()
    assert may_pledge(idea=idea, member=people.alice, now=now) is None
    assert code(may_pledge(idea=idea, member=AnonymousUser(), now=now)) == "not_authenticated"
    assert code(may_pledge(idea=idea, member=people.carla, now=now)) == "own_idea"
    newbie = make_user("newbie", verified=False)
    assert code(may_pledge(idea=idea, member=newbie, now=now)) == "email_unverified"
    after = idea.funding_round.deadline + timedelta(seconds=1)
    assert code(may_pledge(idea=idea, member=people.alice, now=after)) == "funding_ended"


def test_who_may_decide_close_and_confirm(people):
    review = idea_in_review(people.carla)
    assert may_decide_review(idea=review, reviewer=people.rita) is None
    assert may_decide_review(idea=review, reviewer=people.alice).status_code == 403
    idea = idea_in_funding(people.carla, people.rita, title="Another", goal=1_000)
    now = timezone.now()
    assert code(may_close_round(idea=idea, actor=people.rita, raised=0, now=now)) == "goal_not_met"
    assert may_close_round(idea=idea, actor=people.rita, raised=1_000, now=now) is None
    assert may_close_round(idea=idea, actor=people.alice, raised=1_000, now=now).status_code == 403
    after = idea.funding_round.deadline + timedelta(seconds=1)
    assert may_close_round(idea=idea, actor=None, raised=0, now=after) is None
    assert may_confirm_payment(actor=people.fiona) is None
    assert may_confirm_payment(actor=people.rita).status_code == 403


def test_the_contributions_app_provides_the_pledge_funded_hook():
    assert pledge_funded._provider is contribution_record_funding
