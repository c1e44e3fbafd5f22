from datetime import date

import pytest
from django.test import Client

from payouts import services
from tests.factories import (
    FUNDED_AT,
    approve_contribution,
    book_totals,
    give_destination,
    make_product,
)


@pytest.fixture
def team(make_user):
    """finance (records and closes), finance2 (approves), a creator, a product, two members."""

    class Team:
        finance = make_user("fin", role="finance")
        finance2 = make_user("fin2", role="finance")
        reviewer = make_user("rev", role="reviewer")
        creator = make_user("carla")
        alice = make_user("alice")
        bob = make_user("bob")
        outsider = make_user("olga")

    t = Team()
    t.product = make_product(t.creator, title="Lamp", fee_bp=1500, funded_at=FUNDED_AT)
    approve_contribution(t.product, t.alice, 3)
    approve_contribution(t.product, t.bob, 1)
    for member in (t.creator, t.alice, t.bob):
        give_destination(member)
    return t


@pytest.fixture
def record(team):
    def make(start=date(2026, 1, 1), end=date(2026, 1, 31), revenue=1_000_00, costs=0, **kw):
        """A period whose computed totals are ``revenue`` and ``costs`` (one line behind them)."""
        product = kw.pop("product", team.product)
        book_totals(product, day=start, revenue=revenue, costs=costs, by=team.finance)
        return services.period_record(
            product=product, start=start, end=end, actor=kw.pop("actor", team.finance)
        )

    return make


@pytest.fixture
def settle_and_post(team):
    """Close, preview, approve and post a period through the services (eager Celery)."""

    def run(period):
        settlement = services.period_settle(period=period, actor=team.finance)
        services.settlement_run(settlement_id=settlement.pk)
        settlement.refresh_from_db()
        services.settlement_approve(settlement=settlement, actor=team.finance2)
        services.settlement_post(settlement_id=settlement.pk)
        settlement.refresh_from_db()
        return settlement

    return run


@pytest.fixture
def posted_settlement(record, settle_and_post):
    return settle_and_post(record())


@pytest.fixture
def browser_for(team):
    """A test client signed in as one of the team ("alice", "finance", …) or "anonymous"."""

    def make(who):
        client = Client()
        if who != "anonymous":
            client.force_login(getattr(team, who))
        return client

    return make
