import pytest


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test. DRF copies the rates into the throttle class at import,
    so overriding settings.REST_FRAMEWORK does not reach them; patch the live dict instead."""
    from core.throttles import MemberRateThrottle

    def set_rate(scope: str, rate: str) -> None:
        monkeypatch.setitem(MemberRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rate


@pytest.fixture
def people(make_user):
    """The cast of a funding round: a creator, a reviewer, a finance member, three backers."""

    class People:
        carla = make_user("carla")
        rita = make_user("rita", role="reviewer")
        fiona = make_user("fiona", role="finance")
        alice = make_user("alice")
        bob = make_user("bob")
        chen = make_user("chen")

    return People
