import pytest


@pytest.fixture
def rates(settings):
    """Set a throttle rate for one test (the throttles read the settings per request)."""

    def set_rate(scope: str, rate: str) -> None:
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, scope: rate},
        }

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
