"""The rate limits, on the local-memory cache and on Redis (one Lua command per request)."""

import uuid

import pytest
from django.core.cache import caches
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db


def _limit(settings, **rates):
    current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**current, **rates},
    }


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.SharedClientRedisCache",
                "LOCATION": url,
                # A prefix of this test's own: clear() would flush the whole Redis database,
                # under the feet of tests running in parallel.
                "KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
            }
        }
    yield request.param
    if request.param == "locmem":
        caches["default"].clear()


def _token_attempts(api_client, n):
    return [
        api_client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}) for _ in range(n)
    ]


def test_the_address_limit_refuses_with_retry_after(api_client, settings, cache_backend):
    _limit(settings, auth_ip="3/min")
    responses = _token_attempts(api_client, 4)
    assert [r.status_code for r in responses] == [400, 400, 400, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 60
    assert responses[-1].json()["error"]["code"] == "throttled"


def test_the_member_limit_counts_per_member_not_per_address(
    client_for, make_user, settings, cache_backend
):
    _limit(settings, auth_user="2/min", auth_ip="100/min")
    alice, bob = make_user("alice"), make_user("bob")
    a, b = client_for(alice), client_for(bob)
    codes_a = [a.post("/api/v1/auth/token/", {}).status_code for _ in range(3)]
    codes_b = [b.post("/api/v1/auth/token/", {}).status_code for _ in range(2)]
    assert codes_a == [400, 400, 429]
    assert codes_b == [400, 400]


def test_reading_is_never_throttled(api_client, settings, cache_backend):
    _limit(settings, auth_ip="1/min")
    assert [api_client.get("/api/v1/auth/token/").status_code for _ in range(3)] == [405] * 3


def test_a_scope_without_rates_is_not_limited(rf):
    from core.throttles import MemberAndAddressThrottle

    class Unlisted(APIView):
        throttle_scope = "nothing-configured"

    request = rf.post("/")
    request.user = None
    assert MemberAndAddressThrottle().allow_request(request, Unlisted())
