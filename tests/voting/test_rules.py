"""voting.rules: the one home of who may vote and when; the vote box and the API show it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from tests.factories import idea_in_review, idea_in_voting
from tests.helpers import PASSWORD
from voting.rules import may_vote, may_withdraw_vote

pytestmark = pytest.mark.django_db


def code(refusal):
    return refusal.code if refusal is not None else None


def test_may_vote_says_who_may_vote_and_when(make_user, settings):
    settings.EMAIL_VERIFICATION = "mandatory"
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    now = timezone.now()
    assert may_vote(idea=idea, member=make_user("alice"), now=now) is None
    assert code(may_vote(idea=idea, member=AnonymousUser(), now=now)) == "not_authenticated"
    assert code(may_vote(idea=idea, member=carla, now=now)) == "own_idea"
    newbie = make_user("newbie", verified=False)
    assert code(may_vote(idea=idea, member=newbie, now=now)) == "email_unverified"
    later = now + timedelta(days=61)
    assert code(may_vote(idea=idea, member=make_user("bob"), now=later)) == "voting_ended"
    review = idea_in_review(carla, title="Another")
    assert code(may_vote(idea=review, member=make_user("dan"), now=now)) == "not_in_voting"


def test_may_withdraw_vote_needs_the_idea_open(make_user):
    idea = idea_in_voting(make_user("carla"))
    alice, now = make_user("alice"), timezone.now()
    assert may_withdraw_vote(idea=idea, member=alice, now=now) is None
    later = now + timedelta(days=61)
    assert code(may_withdraw_vote(idea=idea, member=alice, now=later)) == "voting_ended"


def test_the_vote_box_hides_the_button_once_the_window_ended(make_user):
    """The old template tag ignored the voting window: it offered a vote that would be refused."""
    idea = idea_in_voting(make_user("carla"), days_left=-1)  # still in voting: the job not run
    client = Client()
    assert client.login(username=make_user("alice").username, password=PASSWORD)
    html = client.get(f"/ideas/{idea.pk}/").content.decode()
    assert 'id="vote-button"' not in html
    assert "Voting is closed" in html


def test_the_vote_api_tells_whether_and_why_not(make_user, client_for):
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    url = f"/api/v1/ideas/{idea.pk}/vote/"
    mine = client_for(carla).get(url).json()
    assert mine["can_vote"] is False and "your own idea" in mine["why_not"]
    theirs = client_for(make_user("alice")).get(url).json()
    assert theirs["can_vote"] is True and theirs["why_not"] == ""
