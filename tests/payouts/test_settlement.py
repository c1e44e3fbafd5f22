"""Periods, the settlement job, four eyes, posting and the ledger it writes."""

from datetime import date

import pytest
from django.db.models import Sum

from contributions.selectors import contribution_weights
from core.errors import Conflict, NotAllowed, ValidationFailed
from notifications.models import Notification
from payouts import selectors, services
from payouts.allocation import split_profit
from payouts.models import LedgerEntry, LedgerTransaction, SettlementStatus
from tests.factories import approve_contribution

pytestmark = pytest.mark.django_db


def _lines(settlement):
    return {(line.role, line.member_id): line.amount for line in settlement.lines.all()}


def test_settlement_previews_every_line_of_the_split(team, record):
    period = record(revenue=1_000_00, costs=200_00)
    settlement = services.period_settle(period=period, actor=team.finance)
    assert settlement.status == SettlementStatus.QUEUED

    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()

    expected = split_profit(800_00, 1500, {team.alice.pk: 3, team.bob.pk: 1})
    assert settlement.status == SettlementStatus.PREVIEW
    assert settlement.progress == 100
    assert _lines(settlement) == {
        ("creator", team.creator.pk): expected.creator,
        ("contributor", team.alice.pk): expected.contributors[team.alice.pk],
        ("contributor", team.bob.pk): expected.contributors[team.bob.pk],
        ("platform", None): expected.platform,
    }
    # The preview stages its ledger transaction; nothing counts until it is posted.
    staged = LedgerTransaction.objects.get(settlement=settlement)
    assert staged.posted_at is None
    assert selectors.member_balances(member_id=team.alice.pk) == {}


def test_the_preview_credits_accounts_opened_at_approval_and_opens_the_missing_ones(team, record):
    from payouts.models import Account
    from payouts.services.ledger import payable_account_open

    payable_account_open(member_id=team.alice.pk, currency="EUR")  # what approving did
    alices = Account.objects.get(kind="member_payable", currency="EUR", member=team.alice)
    settlement = services.period_settle(period=record(revenue=1_000_00), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)

    credited = dict(
        LedgerEntry.objects.filter(transaction__settlement=settlement, credit__gt=0)
        .exclude(account__member=None)
        .values_list("account__member", "account")
    )
    payables = Account.objects.filter(kind="member_payable", currency="EUR")
    assert credited[team.alice.pk] == alices.pk
    assert set(credited) == {team.creator.pk, team.alice.pk, team.bob.pk}
    assert payables.count() == 3  # the creator's and bob's opened by the settlement
    assert set(credited.values()) == set(payables.values_list("pk", flat=True))


def test_weights_count_contributions_approved_on_the_whole_end_day_only(team, record):
    from datetime import UTC, datetime

    late = approve_contribution(team.product, team.outsider, 10, decided=date(2026, 2, 1))
    last_minute = datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)
    approve_contribution(team.product, team.reviewer, 2, decided=last_minute)
    weights = contribution_weights(idea=team.product.idea, as_of=date(2026, 1, 31))
    assert weights == {team.alice.pk: 3, team.bob.pk: 1, team.reviewer.pk: 2}
    assert late.member_id not in weights


def test_a_second_finance_member_approves_and_the_ledger_balances(team, record, settle_and_post):
    settlement = settle_and_post(record(revenue=1_234_56, costs=34_56))

    assert settlement.status == SettlementStatus.POSTED
    tx = LedgerTransaction.objects.get(settlement=settlement)
    sums = tx.entries.aggregate(d=Sum("debit"), c=Sum("credit"))
    assert sums["d"] == sums["c"] == 1_200_00
    alice_line = settlement.lines.get(member=team.alice).amount
    assert selectors.member_balances(member_id=team.alice.pk) == {"EUR": alice_line}


def test_posting_twice_posts_once(team, record, settle_and_post):
    settlement = settle_and_post(record())
    services.settlement_post(settlement_id=settlement.pk)
    services.settlement_run(settlement_id=settlement.pk)
    assert LedgerTransaction.objects.filter(settlement=settlement).count() == 1
    assert LedgerTransaction.objects.get(settlement=settlement).posted_at is not None
    assert LedgerEntry.objects.count() == 5  # pool, creator, alice, bob, platform


def test_the_member_who_closed_the_period_cannot_approve_it(team, record):
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.settlement_approve(settlement=settlement, actor=team.finance)


def test_one_finance_member_may_approve_when_four_eyes_is_off(team, record, settings):
    settings.SETTLEMENT_SECOND_APPROVER = False
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    services.settlement_approve(settlement=settlement, actor=team.finance)
    assert services.settlement_post(settlement_id=settlement.pk).status == "posted"


def test_settling_a_period_twice_is_a_conflict(team, record):
    period = record()
    services.period_settle(period=period, actor=team.finance)
    with pytest.raises(Conflict):
        services.period_settle(period=period, actor=team.finance2)


def test_approving_a_posted_settlement_is_a_conflict(team, record, settle_and_post):
    settlement = settle_and_post(record())
    with pytest.raises(Conflict):
        services.settlement_approve(settlement=settlement, actor=team.finance2)


def test_a_loss_is_carried_forward_to_the_next_period(team, record, settle_and_post):
    loss = settle_and_post(record(revenue=100_00, costs=600_00))
    assert (loss.distributable, loss.carried_loss_out) == (0, 500_00)
    assert not loss.lines.exists() and not LedgerTransaction.objects.exists()

    still = settle_and_post(record(date(2026, 2, 1), date(2026, 2, 28), revenue=300_00))
    assert still.carried_loss_in == 500_00
    assert (still.distributable, still.carried_loss_out) == (0, 200_00)

    profit = settle_and_post(record(date(2026, 3, 1), date(2026, 3, 31), revenue=1_200_00))
    assert (profit.distributable, profit.carried_loss_out) == (1_000_00, 0)
    assert LedgerTransaction.objects.get().entries.aggregate(d=Sum("debit"))["d"] == 1_000_00


def test_a_later_period_waits_for_the_earlier_one_to_be_posted(team, record):
    first = record()
    services.period_settle(period=first, actor=team.finance)
    second = record(date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(Conflict):
        services.period_settle(period=second, actor=team.finance)


def test_nobody_but_the_creator_gets_the_pool_when_nobody_contributed(make_user, team):
    from tests.factories import FUNDED_AT, book_totals, make_product

    product = make_product(team.creator, fee_bp=1000, title="Solo", funded_at=FUNDED_AT)
    book_totals(product, day=date(2026, 1, 1), revenue=100)
    period = services.period_record(
        product=product, start=date(2026, 1, 1), end=date(2026, 1, 31), actor=team.finance
    )
    settlement = services.period_settle(period=period, actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    assert _lines(settlement) == {("creator", team.creator.pk): 90, ("platform", None): 10}


@pytest.mark.parametrize(
    "start, end, field",
    [
        (date(2026, 1, 15), date(2026, 2, 15), "start"),  # overlaps January
        (date(2025, 12, 1), date(2026, 1, 5), "start"),
        (date(2026, 3, 1), date(2026, 2, 1), "end"),
    ],
)
def test_overlapping_or_backwards_periods_are_refused(team, record, start, end, field):
    record()
    with pytest.raises(ValidationFailed) as err:
        record(start, end)
    assert field in err.value.fields


def test_a_period_is_computed_from_its_lines_not_typed(team, record):
    period = record(revenue=1_000_00, costs=300_00)
    assert (period.revenue, period.costs, period.profit) == (1_000_00, 300_00, 700_00)
    with pytest.raises(TypeError):
        services.period_record(
            product=team.product, start=date(2026, 2, 1), end=date(2026, 2, 28),
            revenue=5, costs=0, actor=team.finance,
        )  # fmt: skip


def test_only_finance_records_periods(team, record):
    with pytest.raises(NotAllowed):
        record(actor=team.reviewer)


def test_every_member_with_a_share_is_notified_once_posted(team, record, settle_and_post):
    settlement = settle_and_post(record())
    services.settlement_notify(settlement_id=settlement.pk)
    notified = set(
        Notification.objects.filter(kind="settlement_posted").values_list("recipient", flat=True)
    )
    assert notified == {team.creator.pk, team.alice.pk, team.bob.pk}


def test_a_reversal_swaps_every_entry_and_restores_the_balance(team, record, settle_and_post):
    settlement = settle_and_post(record())
    tx = LedgerTransaction.objects.get(settlement=settlement)
    services.ledger_transaction_reverse(ledger_transaction=tx, actor=team.finance, reason="typo")
    assert selectors.member_balances(member_id=team.alice.pk) == {"EUR": 0}
    with pytest.raises(Conflict):
        services.ledger_transaction_reverse(ledger_transaction=tx, actor=team.finance, reason="x")


def test_a_run_whose_worker_died_is_taken_over_and_a_live_one_is_not(team, record):
    from datetime import timedelta

    from django.utils import timezone

    from payouts.models import Settlement

    settlement = services.period_settle(period=record(), actor=team.finance)
    alive = timezone.now()
    Settlement.objects.filter(pk=settlement.pk).update(
        status="running", run_token="other", heartbeat_at=alive
    )
    assert services.settlement_run(settlement_id=settlement.pk).status == "running"

    Settlement.objects.filter(pk=settlement.pk).update(heartbeat_at=alive - timedelta(minutes=5))
    assert services.settlement_run(settlement_id=settlement.pk).status == "preview"


def test_the_safety_net_requeues_a_settlement_whose_message_was_lost(team, record):
    from datetime import timedelta

    from django.utils import timezone

    from payouts.models import Settlement

    settlement = services.period_settle(period=record(), actor=team.finance)  # never ran
    Settlement.objects.filter(pk=settlement.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert services.settlements_resume() == 1
    settlement.refresh_from_db()
    assert settlement.status == "preview"
