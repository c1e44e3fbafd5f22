"""The reviewers' held-votes queue (page and API) and a member's votes (page and API) cost the
same number of queries with 3 ideas as with 30: no idea's votes are read one idea at a time."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import idea_in_voting
from tests.helpers import api_client_as, queries_for
from voting.models import Vote, VoteHold

pytestmark = pytest.mark.django_db


def _grow(people, start: int, end: int) -> None:
    """Ideas ``start``..``end - 1``, each held with a cluster (three new accounts on one
    device) and voted for by ``people["me"]``."""
    for n in range(start, end):
        idea = idea_in_voting(people["carla"], title=f"Held idea {n}")
        VoteHold.objects.create(idea=idea, opened_at=timezone.now())
        Vote.objects.create(idea=idea, member=people["me"], network="n-me")
        for sock in people["socks"]:
            Vote.objects.create(idea=idea, member=sock, device="one-device", counted=False)


def _counts(people) -> dict[str, int]:
    reviewer, me = Client(), Client()
    reviewer.force_login(people["rita"])
    me.force_login(people["me"])
    return {
        "held page": queries_for(reviewer, "/review/votes/"),
        "held api": queries_for(api_client_as(people["rita"]), "/api/v1/votes/held/"),
        "my votes page": queries_for(me, "/votes/mine/"),
        "my votes api": queries_for(api_client_as(people["me"]), "/api/v1/me/votes/"),
    }


def test_the_vote_queues_cost_the_same_with_3_ideas_as_with_30(make_user):
    people = {
        "carla": make_user("carla"),
        "rita": make_user("rita", role="reviewer"),
        "me": make_user("mei"),
        "socks": [make_user(f"sock{i}", date_joined=timezone.now()) for i in range(3)],
    }
    _grow(people, 0, 3)
    few = _counts(people)
    held = Client()
    held.force_login(people["rita"])
    assert held.get("/review/votes/").content.decode().count("One device") == 3
    _grow(people, 3, 30)
    many = _counts(people)
    assert many == few
