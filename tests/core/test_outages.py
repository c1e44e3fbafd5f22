"""A dependency down: 503 with the JSON error shape and Retry-After, and nothing written.

Redis is "down" by pointing the cache (rate limits, idempotency records) at a closed loopback
port; PostgreSQL by pointing the connection at one."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from config import settings as production_settings
from funding.models import Pledge
from ideas.models import Comment
from tests.factories import idea_in_funding, idea_in_voting
from tests.helpers import PASSWORD
from voting.models import Vote

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    # The production rate limits, which count in Redis (the test settings turn them off).
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": production_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    }
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.SharedClientRedisCache", "LOCATION": CLOSED}
    }
    settings.OUTAGE_RETRY_AFTER_SECONDS = 20
    yield
    # Redis is back before the shared fixture clears the cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "20"
    error = response.json()["error"]
    assert error["status"] == 503
    assert error["code"] == "service_unavailable"
    assert error["message"].endswith("Try again in a few seconds.")


def test_a_vote_while_redis_is_down_is_503_and_counts_nothing(make_user, client_for, redis_down):
    idea = idea_in_voting(make_user("carla"))
    response = client_for(make_user("alice")).post(f"/api/v1/ideas/{idea.pk}/vote/")
    assert_unavailable(response)
    assert not Vote.objects.exists()
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_a_comment_while_redis_is_down_is_503_and_saves_nothing(make_user, client_for, redis_down):
    idea = idea_in_voting(make_user("carla"))
    response = client_for(make_user("alice")).post(
        f"/api/v1/ideas/{idea.pk}/comments/", {"body": "Make it blue."}
    )
    assert_unavailable(response)
    assert not Comment.objects.exists()


def test_a_pledge_while_redis_is_down_is_503_and_pledges_nothing(make_user, client_for, redis_down):
    idea = idea_in_funding(make_user("carla"), make_user("rev", role="reviewer"))
    response = client_for(make_user("alice")).post(
        f"/api/v1/ideas/{idea.pk}/pledges/", {"amount": 1000, "currency": "EUR"}
    )
    assert_unavailable(response)
    assert not Pledge.objects.exists()


def test_a_token_request_while_redis_is_down_is_503(make_user, api_client, redis_down):
    make_user("alice")
    response = api_client.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
    assert_unavailable(response)


def test_an_idempotent_request_while_redis_is_down_is_503_from_the_middleware(
    make_user, redis_down
):
    """The idempotency middleware meets the outage before any view: handler500 answers 503."""
    idea = idea_in_voting(make_user("carla"))
    client = Client(raise_request_exception=False)
    client.force_login(make_user("alice"))
    response = client.post(f"/api/v1/ideas/{idea.pk}/vote/", headers={"Idempotency-Key": "k-1"})
    assert_unavailable(response)
    assert not Vote.objects.exists()


@contextmanager
def database_down():
    """The next query meets a refused connection (a real psycopg OperationalError)."""
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.settings_dict["PORT"] = saved
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_pages_and_the_api_answer_503_while_the_database_is_down(settings):
    settings.OUTAGE_RETRY_AFTER_SECONDS = 20
    client = Client(raise_request_exception=False)
    with database_down():
        page = client.get("/products/")
        api = client.get("/api/v1/ideas/")
        health = client.get("/healthz")
    assert page.status_code == 503
    assert page["Retry-After"] == "20"
    assert "Briefly unavailable" in page.content.decode()
    assert 'href="/static/css/site.css"' in page.content.decode()  # the site's styled page
    assert_unavailable(api)
    assert health.status_code == 503
    assert health.json()["checks"]["database"].startswith("error")


def test_healthz_names_the_cache_when_redis_is_down(client, redis_down):
    body = client.get("/healthz").json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "error: ConnectionError"
