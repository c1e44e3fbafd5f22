"""Ids in URLs fit PostgreSQL's bigint: a larger one is a 404, never a database error."""

import pytest

from tests.factories import idea_in_voting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("idea_id", ["9223372036854775808", "99999999999999999999999"])
def test_a_vote_for_an_idea_id_past_bigint_is_not_found(make_user, client_for, idea_id):
    client = client_for(make_user("alice", verified=True))
    assert client.post(f"/api/v1/ideas/{idea_id}/vote/").status_code == 404
    assert client.get(f"/api/v1/ideas/{idea_id}/").status_code == 404


def test_the_page_of_an_idea_id_past_bigint_is_not_found(client):
    assert client.get("/ideas/9223372036854775808/").status_code == 404


def test_the_largest_bigint_is_an_ordinary_missing_idea(make_user, client_for):
    idea = idea_in_voting(make_user("carla"))
    client = client_for(make_user("alice", verified=True))
    assert client.post(f"/api/v1/ideas/{idea.pk}/vote/").status_code == 201
    assert client.post("/api/v1/ideas/9223372036854775807/vote/").status_code == 404
