"""Votes by API token on PostgreSQL: authenticated, permitted and throttled by DRF as any
request; an ordinary vote is then the ballot's one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiToken
from accounts.tokens import ApiTokenAuthentication
from core.throttles import MemberAndAddressThrottle, _member_ident, token_ident
from ideas.models import Idea
from tests.factories import idea_in_voting
from tests.helpers import api_key_for
from voting.models import Vote, VoteEvent
from voting.services import ballot

pytestmark = pytest.mark.django_db(transaction=True)


def _url(idea) -> str:
    return f"/api/v1/ideas/{idea.pk}/vote/"


def test_a_token_vote_goes_through_drf_and_is_one_statement(make_user, client_for, monkeypatch):
    """The vote goes through DRF's dispatch and its throttle (counted by the token, as every
    token request is), and an ordinary vote is then one round trip to the database: the one
    statement finds the token's member itself, so the token is never looked up on its own."""
    idea = idea_in_voting(make_user("carla"))
    assert client_for(make_user("bob")).post(_url(idea)).status_code == 201  # spreads the room
    alice = make_user("alice")
    client = client_for(alice)
    authenticated, throttled = [], []
    real_auth = ApiTokenAuthentication.authenticate_credentials
    monkeypatch.setattr(
        ApiTokenAuthentication,
        "authenticate_credentials",
        lambda self, key: authenticated.append(key) or real_auth(self, key),
    )
    real_throttle = MemberAndAddressThrottle.allow_request
    monkeypatch.setattr(
        MemberAndAddressThrottle,
        "allow_request",
        lambda self, request, view: (
            throttled.append(_member_ident(request)) or real_throttle(self, request, view)
        ),
    )

    def full_path(*args, **kwargs):
        raise AssertionError("an ordinary vote took the locked path")

    monkeypatch.setattr(ballot, "_cast_locked", full_path)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(idea), HTTP_USER_AGENT="kettle-app/1.0")
    assert response.status_code == 201
    assert response.json() == {
        "idea": idea.pk, "voted": True, "vote_count": 2, "vote_threshold": 100,
        "status": "voting", "counts": True, "counts_from": None,
    }  # fmt: skip
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert authenticated == [] and throttled == [token_ident(api_key_for(alice))]
    again = client.post(_url(idea))
    assert (again.status_code, again.json()["vote_count"]) == (200, 2)
    assert Idea.objects.get(pk=idea.pk).vote_count == 2 == Vote.objects.filter(idea=idea).count()
    event = VoteEvent.objects.get(idea=idea, member=alice)
    assert (event.action, event.user_agent) == ("cast", "kettle-app/1.0")


def test_a_token_vote_the_statement_declines_is_authenticated_and_explained(make_user, client_for):
    """The idea's first vote (no counter rows yet) is declined by the statement: the token is
    then authenticated as usual and the locked path takes the vote; a vote on one's own idea
    is explained by the rules."""
    carla = make_user("carla")
    idea = idea_in_voting(carla)
    response = client_for(make_user("alice")).post(_url(idea))
    assert (response.status_code, response.json()["vote_count"]) == (201, 1)
    own = client_for(carla).post(_url(idea))
    assert own.status_code == 403
    assert "your own idea" in own.json()["error"]["message"]


def test_a_bad_token_an_inactive_or_unverified_member_are_refused_and_nothing_is_written(
    make_user, client_for, api_client, settings
):
    settings.EMAIL_VERIFICATION = "mandatory"
    idea = idea_in_voting(make_user("carla"))
    client_for(make_user("bob", verified=True)).post(_url(idea))  # spreads the room
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api_client.post(_url(idea)).status_code == 401
    gone = make_user("gone", verified=True)
    gone_client = client_for(gone)
    gone.is_active = False
    gone.save()
    assert gone_client.post(_url(idea)).status_code == 401
    response = client_for(make_user("newbie", verified=False)).post(_url(idea))
    assert response.status_code == 403
    assert "Verify your e-mail" in response.json()["error"]["message"]
    assert Vote.objects.filter(idea=idea).count() == 1 == Idea.objects.get(pk=idea.pk).vote_count


def test_a_tokens_votes_count_against_the_members_rate_limit(make_user, client_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "vote_user": "2/min",
        },
    }  # fmt: skip
    carla = make_user("carla")
    ideas = [idea_in_voting(carla, title=f"Idea {n}") for n in range(3)]
    alice = make_user("alice")
    client = client_for(alice)
    statuses = [client.post(_url(idea)).status_code for idea in ideas]
    assert statuses == [201, 201, 429]
    assert Vote.objects.filter(member=alice).count() == 2
    assert ApiToken.objects.filter(member=alice).count() == 1  # the one token: per member
