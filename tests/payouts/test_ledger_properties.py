"""Property tests for the ledger: whatever the periods and weights, every posted transaction
balances, the ledger moves exactly what carry-forward says is distributable, and each member's
balance is the sum of their shares."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from payouts import selectors, services
from payouts.allocation import carry_forward
from payouts.models import LedgerEntry, LedgerTransaction, SettlementLine
from tests.factories import FUNDED_AT, approve_contribution, book_totals, make_product

pytestmark = pytest.mark.django_db


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    profits=st.lists(st.integers(min_value=-(10**6), max_value=10**7), min_size=1, max_size=4),
    points=st.lists(st.integers(min_value=0, max_value=50), max_size=6),
    fee=st.integers(min_value=1000, max_value=2500),
)
def test_the_ledger_balances_and_moves_exactly_the_distributable_amount(team, profits, points, fee):
    with transaction.atomic():  # each example starts from the same state
        product = make_product(team.creator, fee_bp=fee, title="Prop", funded_at=FUNDED_AT)
        members = [
            User.objects.create(username=f"p{i}", email=f"p{i}@example.org") for i in range(6)
        ]
        for member, weight in zip(members, points, strict=False):
            if weight:
                approve_contribution(product, member, weight)
        expected, carried = 0, 0
        for month, profit in enumerate(profits, start=1):
            book_totals(
                product, day=date(2026, month, 1), revenue=max(profit, 0), costs=max(-profit, 0)
            )
            period = services.period_record(
                product=product, start=date(2026, month, 1), end=date(2026, month, 28),
                actor=team.finance,
            )  # fmt: skip
            settlement = services.period_settle(period=period, actor=team.finance)
            services.settlement_run(settlement_id=settlement.pk)
            settlement.refresh_from_db()
            services.settlement_approve(settlement=settlement, actor=team.finance2)
            services.settlement_post(settlement_id=settlement.pk)
            outcome = carry_forward(profit, carried)
            carried = outcome.carried_loss
            expected += outcome.distributable

        posted = LedgerTransaction.objects.filter(product=product, posted_at__isnull=False)
        for tx in posted:
            sums = tx.entries.aggregate(d=Sum("debit"), c=Sum("credit"))
            assert sums["d"] == sums["c"]
        moved = LedgerEntry.objects.filter(transaction__in=posted).aggregate(d=Sum("debit"))
        assert (moved["d"] or 0) == expected
        for member in [team.creator, *members]:
            shares = (
                SettlementLine.objects.filter(settlement__product=product, member=member).aggregate(
                    total=Sum("amount")
                )["total"]
                or 0
            )
            assert selectors.member_balances(member_id=member.pk).get("EUR", 0) == shares
        transaction.set_rollback(True)
