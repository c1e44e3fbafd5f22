"""What PostgreSQL refuses around settlements: TRUNCATE of the ledger and settlement tables, and
any change to a posted settlement's figures or lines; while its status still moves posted →
reversed, and a discarded preview's staged ledger rows may go."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from payouts import services
from payouts.models import LedgerEntry, LedgerTransaction, Settlement, SettlementLine

pytestmark = pytest.mark.django_db(transaction=True)

GUARDED = [
    "payouts_ledgerentry",
    "payouts_ledgertransaction",
    "payouts_settlement",
    "payouts_settlementline",
]


def _refused(sql: str, *params) -> str:
    """Run ``sql`` in its own transaction with the TRUNCATE guard on (as outside the test
    database); return the database's refusal."""
    with pytest.raises(IntegrityError) as refusal:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL payouts.guard_truncate = 'on'")
            cursor.execute(sql, params or None)
    return str(refusal.value)


def _fingerprint():
    entries = list(LedgerEntry.objects.order_by("id").values_list("id", "debit", "credit"))
    lines = list(SettlementLine.objects.order_by("id").values_list("id", "amount"))
    return len(entries), hash(tuple(entries)), len(lines), hash(tuple(lines))


@pytest.mark.parametrize("table", GUARDED)
def test_the_ledger_and_settlement_tables_refuse_truncate(posted_settlement, table):
    before = _fingerprint()
    assert "cannot be truncated" in _refused(f"TRUNCATE {table} CASCADE")
    assert _fingerprint() == before


def test_a_posted_settlements_figures_cannot_be_updated(posted_settlement):
    sql = "UPDATE payouts_settlement SET distributable = distributable + 1 WHERE id = %s"
    assert "posted settlement cannot be changed" in _refused(sql, posted_settlement.pk)
    sql = "UPDATE payouts_settlement SET status = 'preview' WHERE id = %s"
    assert "posted settlement cannot be changed" in _refused(sql, posted_settlement.pk)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Settlement.objects.filter(pk=posted_settlement.pk).delete()
    posted_settlement.refresh_from_db()
    assert posted_settlement.status == "posted" and posted_settlement.distributable == 1_000_00


def test_a_posted_settlements_lines_cannot_be_updated_or_deleted(posted_settlement):
    before = _fingerprint()
    sql = "UPDATE payouts_settlementline SET amount = amount + 1 WHERE settlement_id = %s"
    assert "lines of a posted settlement" in _refused(sql, posted_settlement.pk)
    sql = "DELETE FROM payouts_settlementline WHERE settlement_id = %s"
    assert "lines of a posted settlement" in _refused(sql, posted_settlement.pk)
    assert _fingerprint() == before


def test_a_reversal_moves_the_status_and_changes_nothing_posted(team, posted_settlement):
    before = _fingerprint()
    services.settlement_reversal_request(
        settlement=posted_settlement, actor=team.finance, reason="Revenue was doubled."
    )
    services.settlement_reversal_approve(settlement=posted_settlement, actor=team.finance2)
    posted_settlement.refresh_from_db()
    assert posted_settlement.status == "reversed"
    entries = LedgerEntry.objects.exclude(transaction__kind="reversal")
    kept = list(entries.order_by("id").values_list("id", "debit", "credit"))
    assert (len(kept), hash(tuple(kept))) == before[:2]
    assert _fingerprint()[2:] == before[2:]  # the lines are untouched
    reversal = LedgerTransaction.objects.get(kind="reversal")
    assert reversal.entry_count == before[0]  # the deferred balance check passed at commit
    sql = "UPDATE payouts_settlement SET status = 'posted' WHERE id = %s"
    assert "posted settlement cannot be changed" in _refused(sql, posted_settlement.pk)


def test_a_discarded_previews_staged_rows_go_and_posted_ones_stay(team, record, settle_and_post):
    posted = settle_and_post(record())
    posted_rows = LedgerEntry.objects.filter(transaction__settlement=posted).count()
    preview = services.period_settle(
        period=record(start=date(2026, 2, 1), end=date(2026, 2, 28)), actor=team.finance
    )
    preview = services.settlement_run(settlement_id=preview.pk)
    assert LedgerEntry.objects.filter(transaction__settlement=preview).exists()
    services.settlement_discard(settlement=preview, actor=team.finance, reason="Wrong month.")
    assert not LedgerEntry.objects.filter(transaction__settlement=preview).exists()
    assert LedgerEntry.objects.filter(transaction__settlement=posted).count() == posted_rows
    sql = (
        "DELETE FROM payouts_ledgerentry WHERE transaction_id IN "
        "(SELECT id FROM payouts_ledgertransaction WHERE settlement_id = %s)"
    )
    assert "cannot be changed or deleted" in _refused(sql, posted.pk)
