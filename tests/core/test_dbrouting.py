"""The read replica's router (core.dbrouting): which requests read where.

The test database plays both the primary and the replica (``DATABASE_REPLICA_ALIAS`` names
``default``), so every page really runs while the decision each request took is checked on
``request.db_read_from``; the replica's lag and death are the probe's answers. Without a
replica configured (the suite's default) every read goes to the primary."""

import pytest
from django.db import OperationalError, transaction
from django.test import Client

from core import dbrouting
from ideas.models import Idea
from tests.factories import idea_in_voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(settings):
    """The test database as the replica too; each test starts with the probe unasked."""
    settings.DATABASE_REPLICA_ALIAS = "default"
    dbrouting.health.until = 0.0
    yield settings
    dbrouting.health.until = 0.0


def read_from(response) -> str:
    return response.wsgi_request.db_read_from


def test_without_a_replica_every_read_is_the_primarys(make_user):
    idea = idea_in_voting(make_user("carla"))
    for path in ("/", "/search/?q=kettle", f"/ideas/{idea.pk}/", "/api/v1/ideas/"):
        response = Client().get(path)
        assert response.status_code == 200
        assert read_from(response) == dbrouting.PRIMARY
    assert Idea.objects.all().db == "default"


def test_heavy_anonymous_reads_go_to_the_replica(replica, make_user):
    idea = idea_in_voting(make_user("carla"), title="A solar kettle")
    for path in ("/", "/?tab=new", "/search/?q=kettle", f"/ideas/{idea.pk}/", "/api/v1/ideas/",
                 f"/api/v1/ideas/{idea.pk}/comments/", "/members/carla/"):  # fmt: skip
        response = Client().get(path)
        assert response.status_code == 200, path
        assert read_from(response) == dbrouting.REPLICA, path
    assert b"A solar kettle" in Client().get("/search/?q=kettle").content


def test_other_pages_and_every_write_use_the_primary(replica, make_user):
    client = Client()
    client.force_login(make_user("alice"))
    for path in ("/me/ideas/", "/accounts/settings/", "/healthz"):
        assert read_from(client.get(path)) == dbrouting.PRIMARY, path
    response = Client().post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert read_from(response) == dbrouting.PRIMARY
    assert response.cookies[dbrouting.WROTE_COOKIE].value == "1"


def test_a_browser_that_wrote_reads_its_write_from_the_primary(replica, make_user):
    """A write sets the short-lived ``rw`` cookie; reads with it go to the primary, where the
    new comment is, and reads without it (another visitor) to the replica."""
    idea = idea_in_voting(make_user("carla"))
    member = Client()
    member.force_login(make_user("alice"))
    page = f"/ideas/{idea.pk}/"
    assert read_from(member.get(page)) == dbrouting.REPLICA
    posted = member.post(f"/api/v1/ideas/{idea.pk}/comments/", {"body": "Would it work in rain?"})
    assert posted.status_code == 201
    cookie = posted.cookies[dbrouting.WROTE_COOKIE]
    assert cookie["max-age"] == replica.DATABASE_READ_YOUR_WRITES_SECONDS
    after = member.get(page)
    assert read_from(after) == dbrouting.PRIMARY
    assert b"Would it work in rain?" in after.content
    assert read_from(Client().get(page)) == dbrouting.REPLICA


def test_a_token_that_wrote_reads_from_the_primary(replica, make_user, client_for):
    """API clients keep no cookies: the token is remembered in the cache for the window."""
    idea = idea_in_voting(make_user("carla"))
    voter, other = client_for(make_user("alice")), client_for(make_user("bob"))
    assert read_from(voter.get("/api/v1/ideas/")) == dbrouting.REPLICA
    assert voter.post(f"/api/v1/ideas/{idea.pk}/vote/").status_code == 201
    mine = voter.get(f"/api/v1/ideas/{idea.pk}/")
    assert read_from(mine) == dbrouting.PRIMARY and mine.json()["vote_count"] == 1
    assert read_from(other.get(f"/api/v1/ideas/{idea.pk}/")) == dbrouting.REPLICA


def test_a_lagging_replica_serves_no_reads(replica, monkeypatch):
    monkeypatch.setattr(dbrouting.health, "replay_lag", lambda alias: 30.0)
    response = Client().get("/")
    assert (response.status_code, read_from(response)) == (200, dbrouting.PRIMARY)
    assert dbrouting.health.lag == 30.0
    monkeypatch.setattr(dbrouting.health, "replay_lag", lambda alias: 0.5)
    assert read_from(Client().get("/")) == dbrouting.PRIMARY  # not asked again before retry
    dbrouting.health.until = 0.0
    assert read_from(Client().get("/")) == dbrouting.REPLICA


def test_a_replica_that_is_down_serves_no_reads(replica, monkeypatch):
    def refused(alias):
        raise OperationalError("connection refused")

    monkeypatch.setattr(dbrouting.health, "replay_lag", refused)
    response = Client().get("/search/?q=kettle")
    assert (response.status_code, read_from(response)) == (200, dbrouting.PRIMARY)
    assert dbrouting.health.lag is None


def test_a_page_that_failed_on_the_replica_is_answered_from_the_primary(replica, rf):
    """The replica dies under a request: the visitor gets the page from the primary, and the
    replica is checked again before the next request reads there."""
    from django.http import HttpResponse

    calls = []

    def view(request):
        calls.append(dbrouting._use_replica.get())
        if dbrouting._use_replica.get():
            return HttpResponse(status=503)  # what core.outages answers for a lost database
        return HttpResponse("the page")

    response = dbrouting.ReadRoutingMiddleware(view)(rf.get("/"))
    assert (response.status_code, response.content, calls) == (200, b"the page", [True, False])
    assert dbrouting.health.until == 0.0


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(settings):
    settings.DATABASE_REPLICA_ALIAS = "replica"  # the router's answer only: nothing connects
    token = dbrouting._use_replica.set(True)
    try:
        assert Idea.objects.all().db == "replica"
        with transaction.atomic():
            assert Idea.objects.all().db == "default"
    finally:
        dbrouting._use_replica.reset(token)
    assert Idea.objects.all().db == "default"  # outside a routed request: the primary
    assert dbrouting.ReplicaRouter().db_for_write(Idea) == "default"
