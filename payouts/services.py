"""Everything that changes periods, settlements, the ledger and payout batches.

The settlement's life: ``period_record`` → ``period_settle`` (queues the job) →
``settlement_run`` (the job: weights, carry-forward, the split, a preview of every line) →
``settlement_approve`` (a second finance member; queues posting) → ``settlement_post`` (one
balanced ledger transaction, exactly once) → members are notified.
"""

import logging
import os
import time
import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.roles import is_finance
from core.errors import Conflict, NotAllowed, ValidationFailed
from funding.models import Product

from . import selectors
from .allocation import carry_forward, split_profit
from .models import (
    Account,
    AccountKind,
    LedgerEntry,
    LedgerTransaction,
    LineRole,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutItem,
    Period,
    Settlement,
    SettlementLine,
    SettlementStatus,
    TransactionKind,
)

log = logging.getLogger(__name__)

# A running job that has not reported for this long is presumed dead and may be taken over.
STALE_AFTER = timedelta(seconds=120)
LINE_CHUNK = 10_000
# Test-only: when set, posting touches this file and sleeps before committing, so a test can
# kill the worker in the middle of posting. Never set in production.
POST_PAUSE_ENV = "AHHHA_TEST_POSTING_PAUSE_FILE"


def _require_finance(actor) -> None:
    if not is_finance(actor):
        raise NotAllowed("Only finance staff may do this.")


def _on_commit_delay(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


# --- Periods --------------------------------------------------------------------------------


@transaction.atomic
def period_record(
    *,
    product: Product,
    start: date,
    end: date,
    revenue: int,
    costs: int,
    actor,
    notes: str = "",
) -> Period:
    """Record a product's period. Periods of a product never overlap, and are recorded in
    order (a new one starts after the last one ends), so loss carry-forward reads one chain."""
    _require_finance(actor)
    fields: dict[str, list[str]] = {}
    for name, value in (("revenue", revenue), ("costs", costs)):
        if not isinstance(value, int) or isinstance(value, bool):
            fields[name] = ["An integer amount in minor units."]
        elif value < 0:
            fields[name] = ["Must not be negative."]
    if end < start:
        fields["end"] = ["The end date must not be before the start date."]
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], fields=fields)
    # Lock the product row: two finance members recording at once are serialised here.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    last = Period.objects.filter(product=product).order_by("-end").first()
    if last is not None and start <= last.end:
        overlaps = Period.objects.filter(product=product, start__lte=end, end__gte=start).exists()
        message = (
            f"Periods of a product never overlap: this one overlaps {last.start} – {last.end}."
            if overlaps
            else f"Periods are recorded in order: start after {last.end}."
        )
        raise ValidationFailed(message, fields={"start": [message]})
    try:
        with transaction.atomic():
            return Period.objects.create(
                product=product,
                start=start,
                end=end,
                revenue=revenue,
                costs=costs,
                notes=notes,
                recorded_by=actor,
            )
    except IntegrityError:  # the exclusion constraint (PostgreSQL) as the last word
        message = "Periods of a product never overlap."
        raise ValidationFailed(message, fields={"start": [message]}) from None


@transaction.atomic
def period_settle(*, period: Period, actor) -> Settlement:
    """Close ``period`` and queue its settlement. A period is settled once (409 the second
    time; a failed settlement is queued again). Earlier periods must be posted first, since
    their carried loss feeds this one."""
    from .tasks import settlement_run_task

    _require_finance(actor)
    Product.objects.select_for_update().filter(pk=period.product_id).first()
    existing = Settlement.objects.filter(period=period).first()
    if existing is not None:
        # Retrying a failed job is not settling twice.
        retried = Settlement.objects.filter(pk=existing.pk, status=SettlementStatus.FAILED).update(
            status=SettlementStatus.QUEUED, progress=0, error="", run_token=""
        )
        if not retried:
            raise Conflict(
                f"This period is already settled (settlement {existing.pk}, {existing.status}).",
                code="already_settled",
            )
        _on_commit_delay(settlement_run_task, existing.pk)
        existing.refresh_from_db()
        return existing
    if selectors.earlier_periods_not_posted(period=period).exists():
        raise Conflict(
            "Settle and post the product's earlier periods first: their loss carries forward.",
            code="earlier_period_open",
        )
    product = period.product
    try:
        with transaction.atomic():
            settlement = Settlement.objects.create(
                period=period,
                product=product,
                currency=product.currency,
                platform_fee_bp=product.platform_fee_bp,
                closed_by=actor,
            )
    except IntegrityError:  # unique per period: a concurrent close won
        raise Conflict("This period is already settled.", code="already_settled") from None
    _on_commit_delay(settlement_run_task, settlement.pk)
    return settlement


# --- The settlement job ---------------------------------------------------------------------


class _LostClaim(Exception):
    """Another run took the settlement over (ours was presumed dead)."""


def _report(settlement_id: int, token: str, progress: int, **fields) -> None:
    """Store progress (committed at once, so the page sees it) while we still hold the job."""
    updated = Settlement.objects.filter(
        pk=settlement_id, run_token=token, status=SettlementStatus.RUNNING
    ).update(progress=progress, heartbeat_at=timezone.now(), **fields)
    if not updated:
        raise _LostClaim


def settlement_run(*, settlement_id: int) -> Settlement:
    """The settlement job: weights as of the period's end, loss carry-forward, the split, and a
    preview of every line. Safe to run twice: a conditional UPDATE claims the job (two workers
    → one wins); a run whose worker died is taken over once its heartbeat is stale."""
    token = uuid.uuid4().hex
    now = timezone.now()
    # Claim: the row count says whether we won the race against another worker.
    claimed = (
        Settlement.objects.filter(pk=settlement_id)
        .filter(
            Q(status=SettlementStatus.QUEUED)
            | Q(status=SettlementStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
        )
        .update(status=SettlementStatus.RUNNING, run_token=token, heartbeat_at=now, progress=5)
    )
    if not claimed:
        return Settlement.objects.get(pk=settlement_id)
    try:
        _build_preview(settlement_id, token)
    except _LostClaim:
        log.warning("settlement %s: another run took over", settlement_id)
    except Exception as exc:
        log.exception("settlement %s failed", settlement_id)
        Settlement.objects.filter(pk=settlement_id, run_token=token).update(
            status=SettlementStatus.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
    return Settlement.objects.get(pk=settlement_id)


def _build_preview(settlement_id: int, token: str) -> None:
    settlement = Settlement.objects.select_related("period", "product__idea").get(pk=settlement_id)
    period, product = settlement.period, settlement.product
    if selectors.earlier_periods_not_posted(period=period).exists():
        raise Conflict("An earlier period of the product is not posted yet.")

    weights = selectors.weights_as_of(idea_id=product.idea_id, end=period.end)
    _report(settlement_id, token, 15)

    profit = period.revenue - period.costs
    carried_in = selectors.carried_loss_before(period=period)
    outcome = carry_forward(profit, carried_in)
    creator_id = product.idea.creator_id
    rows: list[tuple[int | None, str, int, int]] = []  # member, role, weight, amount
    creator_amount = platform_amount = contributors_amount = contributor_count = 0
    if outcome.distributable > 0:
        split = split_profit(outcome.distributable, settlement.platform_fee_bp, weights)
        rows.append((creator_id, LineRole.CREATOR.value, 0, split.creator))
        for member_id, amount in split.contributors.items():
            rows.append((member_id, LineRole.CONTRIBUTOR.value, weights[member_id], amount))
        rows.append((None, LineRole.PLATFORM.value, 0, split.platform))
        creator_amount, platform_amount = split.creator, split.platform
        contributors_amount = sum(split.contributors.values())
        contributor_count = len(split.contributors)
        assert creator_amount + platform_amount + contributors_amount == outcome.distributable
    _report(
        settlement_id,
        token,
        25,
        profit=profit,
        carried_loss_in=carried_in,
        distributable=outcome.distributable,
        carried_loss_out=outcome.carried_loss,
    )

    # Lines and staged entries of a run that died are a stale preview, never money: start again.
    SettlementLine.objects.filter(settlement_id=settlement_id).delete()
    _discard_staged(settlement_id)
    if rows:
        currency = settlement.currency
        payable = _payable_accounts(currency=currency, member_ids=[m for m, *_ in rows if m])
        pool = _account(kind=AccountKind.PROFIT_POOL, currency=currency, product_id=product.pk)
        platform = _account(kind=AccountKind.PLATFORM_REVENUE, currency=currency)
        _report(settlement_id, token, 30)
        # Phase one of posting: a pending ledger transaction with every entry of the preview
        # (the pool debited; the creator's, each contributor's and the platform's accounts
        # credited). Staged entries count for nothing until the approval posts them.
        tx = LedgerTransaction.objects.create(
            kind=TransactionKind.SETTLEMENT,
            currency=currency,
            product_id=product.pk,
            settlement_id=settlement_id,
            description=f"Settlement of {period.start} – {period.end}",
        )
        _write_entries([(tx.pk, pool.pk, outcome.distributable, 0)])
        for offset in range(0, len(rows), LINE_CHUNK):
            chunk = rows[offset : offset + LINE_CHUNK]
            _write_lines(settlement_id, chunk)
            _write_entries(
                [
                    (tx.pk, payable[m] if m else platform.pk, 0, amount)
                    for m, _role, _w, amount in chunk
                    if amount > 0
                ]
            )
            done = min(offset + LINE_CHUNK, len(rows))
            _report(settlement_id, token, 30 + 65 * done // len(rows))
    with transaction.atomic():
        updated = Settlement.objects.filter(
            pk=settlement_id, run_token=token, status=SettlementStatus.RUNNING
        ).update(
            status=SettlementStatus.PREVIEW,
            progress=100,
            previewed_at=timezone.now(),
            heartbeat_at=timezone.now(),
            creator_amount=creator_amount,
            platform_amount=platform_amount,
            contributors_amount=contributors_amount,
            contributor_count=contributor_count,
            line_count=len(rows),
        )
        if not updated:
            raise _LostClaim


def _write_lines(settlement_id: int, rows: list[tuple[int | None, str, int, int]]) -> None:
    if connection.vendor == "postgresql":
        # COPY: a 100,000-line preview in a fraction of a second.
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY payouts_settlementline (settlement_id, member_id, role, weight, amount) "
                "FROM STDIN"
            ) as copy:
                for member_id, role, weight, amount in rows:
                    copy.write_row((settlement_id, member_id, role, weight, amount))
        return
    SettlementLine.objects.bulk_create(
        [
            SettlementLine(
                settlement_id=settlement_id, member_id=m, role=role, weight=w, amount=amount
            )
            for m, role, w, amount in rows
        ],
        batch_size=2000,
    )


def _account(*, kind: str, currency: str, member_id=None, product_id=None) -> Account:
    lookup = {"kind": kind, "currency": currency, "member_id": member_id, "product_id": product_id}
    found = Account.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup)
    except IntegrityError:  # created concurrently: the unique constraint decided
        return Account.objects.get(**lookup)


def _payable_accounts(*, currency: str, member_ids: list[int]) -> dict[int, int]:
    """member id → id of their payable account in ``currency``, creating the missing ones.
    Accounts hold no money by themselves; creating them ahead keeps posting small."""
    ids = sorted(set(member_ids))
    found: dict[int, int] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO payouts_account (kind, currency, member_id) "
                "SELECT 'member_payable', %s, m FROM unnest(%s::bigint[]) AS m "
                "ON CONFLICT DO NOTHING",
                [currency, ids],
            )
            cursor.execute(
                "SELECT member_id, id FROM payouts_account WHERE kind = 'member_payable' "
                "AND currency = %s AND member_id = ANY(%s::bigint[])",
                [currency, ids],
            )
            found.update(cursor.fetchall())
        return found
    for offset in range(0, len(ids), 500):
        chunk = ids[offset : offset + 500]
        Account.objects.bulk_create(
            [
                Account(kind=AccountKind.MEMBER_PAYABLE, currency=currency, member_id=m)
                for m in chunk
            ],
            ignore_conflicts=True,
        )
        found.update(
            Account.objects.filter(
                kind=AccountKind.MEMBER_PAYABLE, currency=currency, member_id__in=chunk
            ).values_list("member_id", "id")
        )
    return found


def _write_entries(rows: list[tuple[int, int, int, int]]) -> None:
    """(transaction, account, debit, credit) rows into the ledger: COPY on PostgreSQL."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                "COPY payouts_ledgerentry (transaction_id, account_id, debit, credit) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(transaction_id=t, account_id=a, debit=d, credit=c) for t, a, d, c in rows],
        batch_size=2000,
    )


def _discard_staged(settlement_id: int) -> None:
    """Drop the pending ledger transaction of a preview run that died (a posted one is frozen
    by the database and never matches here)."""
    with transaction.atomic():
        for old in LedgerTransaction.objects.filter(
            settlement_id=settlement_id, posted_at__isnull=True
        ):
            LedgerEntry.objects.filter(transaction=old).delete()
            old.delete()


# --- Approval and posting -------------------------------------------------------------------


def settlement_approve(*, settlement: Settlement, actor) -> Settlement:
    """A second finance member approves the preview, which queues its posting. Four eyes: not
    the member who recorded or closed the period (unless SETTLEMENT_SECOND_APPROVER is off)."""
    from .tasks import settlement_post_task

    _require_finance(actor)
    if settings.SETTLEMENT_SECOND_APPROVER and actor.pk in {
        settlement.closed_by_id,
        settlement.period.recorded_by_id,
    }:
        raise NotAllowed(
            "A second finance member must approve: you recorded or closed this period.",
            code="four_eyes",
        )
    with transaction.atomic():
        # Only a preview nobody approved yet: two approvers racing → one wins.
        won = Settlement.objects.filter(
            pk=settlement.pk, status=SettlementStatus.PREVIEW, approved_by__isnull=True
        ).update(approved_by=actor, approved_at=timezone.now())
        if not won:
            current = Settlement.objects.get(pk=settlement.pk)
            if current.status == SettlementStatus.POSTED:
                raise Conflict("This settlement is already posted.", code="already_posted")
            if current.status == SettlementStatus.PREVIEW:
                raise Conflict("This settlement is already approved.", code="already_approved")
            raise Conflict(
                f"Only a preview can be approved; this settlement is {current.status}.",
                code="not_preview",
            )
        _on_commit_delay(settlement_post_task, settlement.pk)
    settlement.refresh_from_db()
    return settlement


def settlement_post(*, settlement_id: int) -> Settlement:
    """Post an approved preview: its staged ledger transaction becomes posted — one balanced
    transaction, in one database transaction, exactly once. Call any number of times,
    concurrently or after a crash: the row lock makes the second caller wait and then find it
    posted; the conditional UPDATE on the ledger transaction posts it at most once."""
    from .tasks import settlement_notify_task

    with transaction.atomic():
        # Lock the settlement row: two workers posting the same settlement run one at a time.
        settlement = Settlement.objects.select_for_update().get(pk=settlement_id)
        if settlement.status == SettlementStatus.POSTED:
            return settlement
        if settlement.status != SettlementStatus.PREVIEW or settlement.approved_by_id is None:
            raise Conflict("Only an approved preview can be posted.", code="not_approved")
        now = timezone.now()
        if settlement.distributable:
            staged = LedgerTransaction.objects.filter(settlement=settlement).first()
            if staged is None:
                raise Conflict("The preview has no staged ledger transaction.")
            _check_staged(staged, expected_total=settlement.distributable)
            _post_transaction(staged, now=now, actor_id=settlement.approved_by_id)
        _pause_for_tests()
        settlement.status = SettlementStatus.POSTED
        settlement.posted_at = now
        settlement.progress = 100
        settlement.save(update_fields=["status", "posted_at", "progress"])
        if settlement.distributable:
            _on_commit_delay(settlement_notify_task, settlement.pk)
    return settlement


def _check_staged(staged: LedgerTransaction, *, expected_total: int) -> None:
    """The staged entries balance and move exactly the expected amount (PostgreSQL checks the
    balance again when the transaction is posted)."""
    sums = staged.entries.aggregate(d=Sum("debit"), c=Sum("credit"))
    if (sums["d"] or 0) != (sums["c"] or 0) or (sums["d"] or 0) != expected_total:
        raise Conflict("The staged ledger transaction does not balance; nothing was posted.")


def _post_transaction(tx: LedgerTransaction, *, now, actor_id) -> None:
    """Phase two: one conditional UPDATE posts a staged transaction (at most once)."""
    posted = LedgerTransaction.objects.filter(pk=tx.pk, posted_at__isnull=True).update(
        posted_at=now, posted_by_id=actor_id
    )
    if not posted:
        raise Conflict("This ledger transaction is already posted.")
    tx.posted_at, tx.posted_by_id = now, actor_id


def _pause_for_tests() -> None:
    path = os.environ.get(POST_PAUSE_ENV)
    if path:
        with open(path, "w") as marker:
            marker.write(str(os.getpid()))
        time.sleep(float(os.environ.get("AHHHA_TEST_POSTING_PAUSE_SECONDS", "60")))


def settlement_notify(*, settlement_id: int) -> int:
    """Tell every member who received a share that it is posted (after commit)."""
    from accounts.models import User
    from notifications.services import notify

    settlement = Settlement.objects.select_related("product__idea", "period").get(pk=settlement_id)
    if settlement.status != SettlementStatus.POSTED:
        return 0
    member_ids = (
        SettlementLine.objects.filter(settlement=settlement, member__isnull=False, amount__gt=0)
        .values_list("member_id", flat=True)
        .distinct()
    )
    title = settlement.product.idea.title
    period = settlement.period
    sent = 0
    ids = list(member_ids)
    for offset in range(0, len(ids), 5000):
        users = User.objects.filter(pk__in=ids[offset : offset + 5000]).only("id", "email")
        sent += len(
            notify(
                recipients=users,
                kind="settlement_posted",
                message=f"Your share of “{title}” for {period.start} – {period.end} is posted.",
                url="/me/earnings/",
            )
        )
    return sent


def settlements_resume() -> int:
    """The beat safety net: queue again what a lost message or a dead worker left behind."""
    from .tasks import settlement_post_task, settlement_run_task

    count = 0
    for settlement in selectors.stale_settlements(older_than=timezone.now() - STALE_AFTER):
        if settlement.status == SettlementStatus.PREVIEW:
            settlement_post_task.delay(settlement.pk)
        else:
            settlement_run_task.delay(settlement.pk)
        count += 1
    return count


# --- Corrections ----------------------------------------------------------------------------


@transaction.atomic
def ledger_transaction_reverse(
    *, ledger_transaction: LedgerTransaction, actor, reason: str
) -> LedgerTransaction:
    """A correction: a new transaction with every entry's sides swapped. Once per transaction."""
    _require_finance(actor)
    if not reason.strip():
        raise ValidationFailed("Say why.", fields={"reason": ["Say why."]})
    if ledger_transaction.kind == TransactionKind.REVERSAL:
        raise Conflict("A reversal is not reversed; post a new transaction.")
    if not ledger_transaction.is_posted:
        raise Conflict("Only a posted transaction can be reversed.")
    try:
        with transaction.atomic():
            reversal = LedgerTransaction.objects.create(
                kind=TransactionKind.REVERSAL,
                currency=ledger_transaction.currency,
                product_id=ledger_transaction.product_id,
                reversal_of=ledger_transaction,
                description=f"Reversal of #{ledger_transaction.pk}: {reason}"[:200],
            )
    except IntegrityError:
        raise Conflict("This transaction is already reversed.") from None
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payouts_ledgerentry (transaction_id, account_id, debit, credit) "
            "SELECT %s, account_id, credit, debit FROM payouts_ledgerentry "
            "WHERE transaction_id = %s ORDER BY id",
            [reversal.pk, ledger_transaction.pk],
        )
    _post_transaction(reversal, now=timezone.now(), actor_id=actor.pk)
    return reversal


# --- Payout batches -------------------------------------------------------------------------


@transaction.atomic
def payout_batch_create(*, currency: str, actor) -> PayoutBatch:
    """A batch of every member whose balance in ``currency`` is at least MINIMUM_PAYOUT; smaller
    balances carry over. One open batch per currency, so no balance is promised twice."""
    _require_finance(actor)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationFailed(
            "A three-letter currency code.", fields={"currency": ["A three-letter code."]}
        )
    if PayoutBatch.objects.filter(currency=currency, status=PayoutBatchStatus.OPEN).exists():
        raise Conflict(f"A {currency} batch is open: mark it paid first.", code="batch_open")
    balances = selectors.payable_balances(currency=currency, minimum=settings.MINIMUM_PAYOUT)
    if not balances:
        message = f"No member's {currency} balance has reached the minimum payout."
        raise ValidationFailed(message, fields={"currency": [message]})
    try:
        with transaction.atomic():
            batch = PayoutBatch.objects.create(
                currency=currency,
                created_by=actor,
                total=sum(b for _, b in balances),
                item_count=len(balances),
            )
    except IntegrityError:  # a concurrent create won the one-open-batch constraint
        raise Conflict(f"A {currency} batch is open: mark it paid first.") from None
    PayoutItem.objects.bulk_create(
        [PayoutItem(batch=batch, member_id=m, amount=b) for m, b in balances], batch_size=5000
    )
    return batch


def payout_batch_mark_paid(*, batch: PayoutBatch, reference: str, actor) -> PayoutBatch:
    """Record that the batch was paid (with the bank's reference) and post the payouts: each
    member's payable debited, the currency's paid-out account credited. Exactly once."""
    _require_finance(actor)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed(
            "The payment reference is required.", fields={"reference": ["Required."]}
        )
    if len(reference) > 120:
        raise ValidationFailed("At most 120 characters.", fields={"reference": ["Too long."]})
    with transaction.atomic():
        now = timezone.now()
        # The conditional UPDATE decides between two finance members marking it at once.
        won = PayoutBatch.objects.filter(pk=batch.pk, status=PayoutBatchStatus.OPEN).update(
            status=PayoutBatchStatus.PAID, reference=reference, paid_by=actor, paid_at=now
        )
        if not won:
            raise Conflict("This batch is already marked paid.", code="already_paid")
        paid_out = _account(kind=AccountKind.PAID_OUT, currency=batch.currency)
        tx = LedgerTransaction.objects.create(
            kind=TransactionKind.PAYOUT,
            currency=batch.currency,
            payout_batch=batch,
            description=f"Payout batch {batch.pk}, reference {reference}"[:200],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO payouts_ledgerentry (transaction_id, account_id, debit, credit)
                SELECT %s, a.id, i.amount, 0
                FROM payouts_payoutitem i
                JOIN payouts_account a
                  ON a.kind = 'member_payable' AND a.currency = %s AND a.member_id = i.member_id
                WHERE i.batch_id = %s
                ORDER BY i.member_id
                """,
                [tx.pk, batch.currency, batch.pk],
            )
            debited = cursor.rowcount
        if debited != batch.item_count:
            raise Conflict("A member's payable account is missing; nothing was paid.")
        if _batch_overdraws(batch):
            raise Conflict(
                "A member's balance is now below their payout (a reversal was posted since the "
                "batch was made): cancel this batch and create a new one.",
                code="balance_changed",
            )
        LedgerEntry.objects.create(transaction=tx, account=paid_out, credit=batch.total)
        _post_transaction(tx, now=now, actor_id=actor.pk)
        batch.refresh_from_db()  # the conditional UPDATE above wrote status and reference
        _notify_paid(batch)
    batch.refresh_from_db()
    return batch


def _batch_overdraws(batch: PayoutBatch) -> bool:
    """Whether any item exceeds its member's posted balance (nothing promised twice, nothing
    paid that is not owed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 1 FROM payouts_payoutitem i
            JOIN payouts_account a
              ON a.kind = 'member_payable' AND a.currency = %s AND a.member_id = i.member_id
            WHERE i.batch_id = %s AND i.amount > (
                SELECT coalesce(sum(e.credit - e.debit), 0)
                FROM payouts_ledgerentry e
                JOIN payouts_ledgertransaction t ON t.id = e.transaction_id
                WHERE e.account_id = a.id AND t.posted_at IS NOT NULL
            )
            LIMIT 1
            """,
            [batch.currency, batch.pk],
        )
        return cursor.fetchone() is not None


def payout_batch_cancel(*, batch: PayoutBatch, actor) -> PayoutBatch:
    """Withdraw an open batch (nothing was paid); its members' balances are free again."""
    _require_finance(actor)
    cancelled = PayoutBatch.objects.filter(pk=batch.pk, status=PayoutBatchStatus.OPEN).update(
        status=PayoutBatchStatus.CANCELLED
    )
    if not cancelled:
        raise Conflict("Only an open batch can be cancelled.", code="not_open")
    batch.refresh_from_db()
    return batch


def _notify_paid(batch: PayoutBatch) -> None:
    from accounts.models import User
    from notifications.services import notify

    members: Iterable = User.objects.filter(payout_items__batch=batch).only("id", "email")
    notify(
        recipients=members,
        kind="payout_paid",
        message=f"Your {batch.currency} payout is on its way (reference {batch.reference}).",
        url="/me/earnings/",
    )
