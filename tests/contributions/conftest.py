import pytest

from tests.factories import make_product


@pytest.fixture
def people(make_user):
    """The cast: a creator, two members, an unverified member, two reviewers, finance."""

    class People:
        creator = make_user("carla")
        alice = make_user("alice")
        bob = make_user("bob")
        unverified = make_user("uma", verified=False)
        reviewer = make_user("rita", role="reviewer")
        reviewer2 = make_user("rafael", role="reviewer")
        finance = make_user("fiona", role="finance")

    return People


@pytest.fixture
def product(people):
    """A funded EUR product with a 15 % fee; bob pledged 300.00 EUR (300 funding points)."""
    return make_product(
        creator=people.creator, reviewer=people.reviewer, pledges={people.bob: 30_000}
    )
