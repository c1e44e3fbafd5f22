"""The ledger's accounts are guarded like its entries (issue 26): with write access to the
database, a TRUNCATE, a DELETE or an UPDATE moving an account to another member is refused."""

import pytest
from django.db import IntegrityError, connection, transaction

from payouts.models import Account, LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _refused(sql: str, *params) -> str:
    """Run ``sql`` in its own transaction with the TRUNCATE guard on (as outside the test
    database); return the database's refusal."""
    with pytest.raises(IntegrityError) as refusal:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL payouts.guard_truncate = 'on'")
            cursor.execute(sql, params or None)
    return str(refusal.value)


@pytest.fixture
def accounts(make_user):
    alice, mallory = make_user("alice"), make_user("mallory")
    mine = Account.objects.create(kind="member_payable", currency="EUR", member=alice)
    theirs = Account.objects.create(kind="member_payable", currency="EUR", member=mallory)
    return mine, theirs, mallory


def test_the_accounts_table_refuses_truncate(accounts):
    assert "cannot be truncated" in _refused("TRUNCATE payouts_account CASCADE")
    assert Account.objects.count() == 2


def test_an_account_cannot_be_moved_to_another_member(accounts):
    mine, _, mallory = accounts
    sql = "UPDATE payouts_account SET member_id = %s WHERE id = %s"
    assert "cannot be changed" in _refused(sql, mallory.pk, mine.pk)
    for column, value in [("currency", "USD"), ("kind", "paid_out")]:
        sql = f"UPDATE payouts_account SET {column} = %s WHERE id = %s"  # noqa: S608
        assert "cannot be changed" in _refused(sql, value, mine.pk)
    mine.refresh_from_db()
    assert (mine.member_id, mine.currency, mine.kind) != (mallory.pk, "USD", "paid_out")
    assert mine.member.username == "alice" and mine.currency == "EUR"


def test_an_account_cannot_be_deleted(accounts):
    mine, _, _ = accounts
    assert "cannot be deleted" in _refused("DELETE FROM payouts_account WHERE id = %s", mine.pk)
    assert Account.objects.filter(pk=mine.pk).exists()
    assert not LedgerEntry.objects.exists()


def test_a_balance_cannot_be_moved_to_a_member_who_has_no_account(accounts, make_user):
    """The red team's UPDATE: an account (and so its entries' balance) handed to a member who
    holds no account in its currency, where no unique constraint is in the way."""
    mine, _, _ = accounts
    eve = make_user("eve")
    sql = "UPDATE payouts_account SET member_id = %s WHERE id = %s"
    assert "cannot be changed" in _refused(sql, eve.pk, mine.pk)
    mine.refresh_from_db()
    assert mine.member.username == "alice"
