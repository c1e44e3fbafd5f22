import pytest


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
