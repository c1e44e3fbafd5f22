import pytest

from tests.factories import make_product, make_user


@pytest.fixture
def cast(db):
    """A creator, a team member-to-be, a backer, a stranger, two reviewers and staff."""

    class Cast:
        creator = make_user("carla")
        tess = make_user("tess")
        bob = make_user("bob")
        mo = make_user("mo")
        reviewer = make_user("rita", role="reviewer")
        reviewer2 = make_user("rafael", role="reviewer")
        staff = make_user("stan", is_staff=True)

    return Cast


@pytest.fixture
def product(cast):
    """A funded EUR product; bob pledged 300.00 EUR."""
    return make_product(creator=cast.creator, reviewer=cast.reviewer, pledges={cast.bob: 30_000})
