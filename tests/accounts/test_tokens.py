"""API tokens are looked up once per request and cached safely: a deleted token or a
deactivated member is refused at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests.helpers import api_client_as


@pytest.fixture
def locmem_cache(settings):
    settings.TOKEN_CACHE_SECONDS = 60


@pytest.mark.django_db
def test_a_token_request_reads_the_token_once_and_then_from_the_cache(make_user, locmem_cache):
    member = make_user("ming")
    client = api_client_as(member)
    assert client.get("/api/v1/me/payout-destination/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me/payout-destination/").status_code == 200
    assert not [q for q in queries.captured_queries if "authtoken_token" in q["sql"]]


@pytest.mark.django_db
def test_a_deleted_token_is_refused_at_once(make_user, locmem_cache):
    member = make_user("ming")
    client = api_client_as(member)
    assert client.get("/api/v1/me/payout-destination/").status_code == 200
    Token.objects.filter(user=member).delete()
    assert client.get("/api/v1/me/payout-destination/").status_code == 401


@pytest.mark.django_db
def test_a_deactivated_member_is_refused_at_once(make_user, locmem_cache):
    member = make_user("ming")
    client = api_client_as(member)
    assert client.get("/api/v1/me/payout-destination/").status_code == 200
    member.is_active = False
    member.save()
    assert client.get("/api/v1/me/payout-destination/").status_code == 401
