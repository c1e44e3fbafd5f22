"""What PostgreSQL itself guarantees: balanced, append-only ledger transactions; exactly-once
posting under real concurrency; the COPY export equals the portable one."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from payouts import exports, services
from payouts.models import (
    Account,
    LedgerEntry,
    LedgerTransaction,
    Period,
    Settlement,
    SettlementLine,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _staged():
    return LedgerTransaction.objects.create(kind="settlement", currency="EUR")


def _post(tx):
    LedgerTransaction.objects.filter(pk=tx.pk).update(posted_at=timezone.now())


@pytest.fixture
def accounts(team):
    pool = Account.objects.create(kind="profit_pool", currency="EUR", product=team.product)
    payable = Account.objects.create(kind="member_payable", currency="EUR", member=team.alice)
    return pool, payable


def test_posting_an_unbalanced_transaction_is_refused_at_commit(accounts):
    pool, payable = accounts
    with pytest.raises(IntegrityError, match="unbalanced"):
        with transaction.atomic():
            tx = _staged()
            LedgerEntry.objects.create(transaction=tx, account=pool, debit=100)
            LedgerEntry.objects.create(transaction=tx, account=payable, credit=99)
            _post(tx)
    assert not LedgerTransaction.objects.exists() and not LedgerEntry.objects.exists()


def test_a_staged_transaction_may_be_unbalanced_until_it_is_posted(accounts):
    pool, payable = accounts
    tx = _staged()
    LedgerEntry.objects.create(transaction=tx, account=pool, debit=100)  # commits on its own
    LedgerEntry.objects.create(transaction=tx, account=payable, credit=100)
    _post(tx)
    tx.refresh_from_db()
    assert tx.posted_at is not None and tx.entry_count == 2


def test_posting_a_transaction_without_entries_is_refused(team):
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            _post(_staged())


def test_no_entry_can_be_added_to_a_posted_transaction(accounts):
    pool, payable = accounts
    with transaction.atomic():
        tx = _staged()
        LedgerEntry.objects.create(transaction=tx, account=pool, debit=100)
        LedgerEntry.objects.create(transaction=tx, account=payable, credit=100)
        _post(tx)
    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            LedgerEntry.objects.create(transaction=tx, account=payable, credit=5)
    assert LedgerEntry.objects.count() == 2


def test_posted_entries_cannot_be_updated_or_deleted(team, record, settle_and_post):
    settlement = settle_and_post(record())
    entry = LedgerEntry.objects.filter(transaction__settlement=settlement, credit__gt=0).first()
    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).update(credit=entry.credit + 1)
    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            LedgerTransaction.objects.filter(settlement=settlement).update(description="edited")
    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            LedgerTransaction.objects.filter(settlement=settlement).update(posted_at=None)


def test_overlapping_periods_are_refused_by_the_database_too(team, record):
    record()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Period.objects.create(
                product=team.product, start=date(2026, 1, 31), end=date(2026, 2, 5),
                revenue=0, costs=0, recorded_by=team.finance,
            )  # fmt: skip


def _in_threads(target, count: int) -> list:
    results, barrier = [], threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # collected: the test asserts on what each thread saw
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_workers_posting_at_once_post_exactly_once(team, record):
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    # Approved without queueing the post task, so the threads below are the only posters.
    Settlement.objects.filter(pk=settlement.pk).update(approved_by=team.finance2)

    results = _in_threads(lambda: services.settlement_post(settlement_id=settlement.pk).status, 4)

    assert results == ["posted"] * 4
    assert LedgerTransaction.objects.filter(settlement=settlement).count() == 1
    assert LedgerTransaction.objects.get(settlement=settlement).posted_at is not None
    assert LedgerEntry.objects.count() == 5


def test_two_workers_running_one_settlement_build_one_preview(team, record):
    settlement = services.period_settle(period=record(), actor=team.finance)
    _in_threads(lambda: services.settlement_run(settlement_id=settlement.pk).status, 4)
    settlement.refresh_from_db()
    assert settlement.status == "preview"
    assert SettlementLine.objects.filter(settlement=settlement).count() == 4


def test_two_finance_members_settling_at_once_queue_one_settlement(team, record):
    period = record()
    results = _in_threads(lambda: services.period_settle(period=period, actor=team.finance).pk, 3)
    assert Settlement.objects.filter(period=period).count() == 1
    assert sum(isinstance(r, int) for r in results) == 1


def test_the_batch_copy_export_equals_the_portable_export(team, record, settle_and_post):
    settle_and_post(record())
    batch = services.payout_batch_create(currency="EUR", actor=team.finance)
    for paid in (False, True):
        if paid:
            batch = services.payout_batch_mark_paid(
                batch=batch, reference="R-1", actor=team.finance2
            )
        via_copy = exports.as_text(exports.batch_csv(batch))
        portable = exports.as_text(
            exports.csv_stream(exports.BATCH_COLUMNS, exports.batch_rows(batch))
        )
        assert via_copy == portable and via_copy.count("\n") == 4
        assert ("R-1" in via_copy) == paid


def test_the_copy_export_equals_the_portable_export(team, record, settle_and_post):
    settle_and_post(record())
    filters = exports.LedgerFilters()
    via_copy = exports.as_text(exports.ledger_csv(filters))
    portable = exports.as_text(exports.csv_stream(exports.COLUMNS, exports.ledger_rows(filters)))
    assert via_copy == portable
    assert via_copy.count("\n") == 6


# Referential integrity, checked once per statement by the ledger's triggers (migration 0010).


def test_an_entry_naming_no_account_or_no_transaction_is_refused(accounts):
    pool, _ = accounts
    tx = _staged()
    with pytest.raises(IntegrityError, match="existing account"):
        with transaction.atomic():
            LedgerEntry.objects.create(transaction=tx, account_id=pool.pk + 10_000, debit=5)
    with pytest.raises(IntegrityError, match="existing transaction"):
        with transaction.atomic():
            LedgerEntry.objects.create(transaction_id=tx.pk + 10_000, account=pool, debit=5)
    with pytest.raises(IntegrityError, match="existing account"):
        with transaction.atomic():
            entry = LedgerEntry.objects.create(transaction=tx, account=pool, debit=5)
            LedgerEntry.objects.filter(pk=entry.pk).update(account_id=pool.pk + 10_000)
    assert not LedgerEntry.objects.exists()


def test_an_account_naming_no_member_is_refused_and_members_with_accounts_stay(team):
    with pytest.raises(IntegrityError, match="existing member"):
        with transaction.atomic():
            Account.objects.create(kind="member_payable", currency="EUR", member_id=10**9)
    account = Account.objects.create(kind="member_payable", currency="EUR", member=team.alice)
    # Refused by the accounts' guard (0012) before the set check (0011) sees it.
    with pytest.raises(IntegrityError, match="cannot be changed"):
        with transaction.atomic():
            Account.objects.filter(pk=account.pk).update(member_id=10**9)
    with pytest.raises(IntegrityError, match="members with ledger accounts"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_user WHERE id = %s", [team.alice.pk])
    assert Account.objects.get(pk=account.pk).member == team.alice


def test_what_entries_or_lines_name_cannot_be_deleted_under_them(team, record):
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)  # a preview: lines and staged entries
    entry = LedgerEntry.objects.filter(account__kind="member_payable").first()
    line = SettlementLine.objects.exclude(member=None).first()
    statements = [
        ("DELETE FROM payouts_account WHERE id = %s", entry.account_id, "cannot be deleted"),
        ("DELETE FROM payouts_settlement WHERE id = %s", settlement.pk, "settlements with lines"),
        # Refused by the accounts' guard or the lines' (a paid member has both).
        ("DELETE FROM accounts_user WHERE id = %s", line.member_id, "members (named|with)"),
    ]
    for sql, pk, message in statements:
        with pytest.raises(IntegrityError, match=message):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_a_line_naming_no_member_or_no_settlement_is_refused(team, record, settle_and_post):
    settle_and_post(record())
    settlement = Settlement.objects.get()
    with pytest.raises(IntegrityError, match="existing member"):
        with transaction.atomic():
            SettlementLine.objects.create(
                settlement=settlement, member_id=10**9, role="contributor", amount=1
            )
    with pytest.raises(IntegrityError, match="existing settlement"):
        with transaction.atomic():
            SettlementLine.objects.create(
                settlement_id=10**9, member=team.alice, role="contributor", amount=1
            )


def test_a_staged_transaction_and_its_entries_can_still_be_discarded(accounts):
    pool, payable = accounts
    tx = _staged()
    LedgerEntry.objects.create(transaction=tx, account=pool, debit=100)
    with pytest.raises(IntegrityError, match="transactions with entries"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM payouts_ledgertransaction WHERE id = %s", [tx.pk])
    LedgerEntry.objects.filter(transaction=tx).delete()
    tx.delete()
    assert not LedgerTransaction.objects.exists()


def test_payable_accounts_another_settlement_created_meanwhile_are_reused(team):
    """Two settlements in one currency may create the same members' accounts at once: ours
    waits on the racer's uncommitted account, fails whole when it commits, and the
    ON CONFLICT fallback keeps the racer's account and creates only the rest."""
    from django.db import connections

    from payouts.services import ledger

    racer_inserted, racer_may_commit = threading.Event(), threading.Event()
    found: dict[int, int] = {}

    def racer():
        try:
            with transaction.atomic():
                Account.objects.create(kind="member_payable", currency="EUR", member=team.alice)
                racer_inserted.set()
                assert racer_may_commit.wait(10)
        finally:
            connections.close_all()

    def ours():
        try:
            members = [team.alice.pk, team.bob.pk]
            found.update(ledger.payable_accounts(currency="EUR", member_ids=members))
        finally:
            connections.close_all()

    first = threading.Thread(target=racer)
    first.start()
    assert racer_inserted.wait(10)
    second = threading.Thread(target=ours)
    second.start()
    _wait_until_a_backend_waits_for_a_lock()
    racer_may_commit.set()
    first.join(10)
    second.join(10)
    payables = dict(
        Account.objects.filter(kind="member_payable", currency="EUR").values_list("member", "id")
    )
    assert set(payables) == {team.alice.pk, team.bob.pk}  # alice's is the racer's, bob's ours
    assert found == payables


def _wait_until_a_backend_waits_for_a_lock(timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("nobody waited for the racer's account")


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_workers_job_writes_half_on_a_second_connection(team, record, monkeypatch):
    """Outside a transaction (a worker's job) the second half of the lines and of the entries
    goes in on a connection of its own at the same time; the preview is the same."""
    from payouts.services import ledger, settlement_job

    monkeypatch.setattr(settlement_job, "LINE_CHUNK", 2)  # 4 lines: two halves of one chunk
    lines_by, entries_by = [], []
    write_lines, write_entries = settlement_job._write_lines, ledger.write_entries

    def lines_noted(settlement_id, rows):
        lines_by.append(_backend_pid())
        write_lines(settlement_id, rows)

    def entries_noted(rows):
        entries_by.append(_backend_pid())
        write_entries(rows)

    monkeypatch.setattr(settlement_job, "_write_lines", lines_noted)
    monkeypatch.setattr(ledger, "write_entries", entries_noted)
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    job = _backend_pid()
    assert settlement.status == "preview"
    assert len(lines_by) == 2 and job in lines_by and len(set(lines_by)) == 2
    assert job in entries_by and len(set(entries_by)) == 2
    assert SettlementLine.objects.filter(settlement=settlement).count() == 4
    assert LedgerEntry.objects.filter(transaction__settlement=settlement).count() == 5
    staged = LedgerTransaction.objects.get(settlement=settlement)
    assert staged.entry_count == 5


def test_a_half_that_fails_on_its_connection_fails_the_job(team, record, monkeypatch):
    from payouts.services import settlement_job

    monkeypatch.setattr(settlement_job, "LINE_CHUNK", 2)
    job, write_lines = _backend_pid(), settlement_job._write_lines

    def disk_full_on_the_second(settlement_id, rows):
        if _backend_pid() != job:
            raise OSError("could not extend file")
        write_lines(settlement_id, rows)

    monkeypatch.setattr(settlement_job, "_write_lines", disk_full_on_the_second)
    settlement = services.period_settle(period=record(), actor=team.finance)
    services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    assert settlement.status == "failed"
    assert settlement.error == "OSError: could not extend file"
