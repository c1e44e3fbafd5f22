import pytest

from funding.services import funding_round_close, pledge_create
from tests.factories import idea_in_funding


@pytest.fixture
def people(make_user):
    """A creator, a reviewer, two finance members and three backers."""

    class People:
        carla = make_user("carla")
        rita = make_user("rita", role="reviewer")
        fiona = make_user("fiona", role="finance")
        felix = make_user("felix", role="finance")
        alice = make_user("alice")
        bob = make_user("bob")
        chen = make_user("chen")

    return People


@pytest.fixture
def funded(people, django_capture_on_commit_callbacks):
    """A round met and closed: alice 60.00, bob 40.00 (EUR) owed."""

    def make(title="Folding kettle", currency="EUR"):
        idea = idea_in_funding(
            people.carla, people.rita, goal=10_000, title=title, currency=currency
        )
        pledge_create(idea=idea, member=people.alice, amount=6_000)
        pledge_create(idea=idea, member=people.bob, amount=4_000)
        with django_capture_on_commit_callbacks(execute=True):
            funding_round_close(idea=idea, actor=people.rita)
        idea.refresh_from_db()
        return idea

    return make


from tests.payments.stripe_fixtures import (  # noqa: E402, F401  (fixtures for the Stripe tests)
    checked_requests,
    pending_payment,
    round_with_cards,
    stripe_fake,
    stripe_settings,
)
