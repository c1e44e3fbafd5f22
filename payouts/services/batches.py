"""Payout batches: every member whose balance reached the minimum, paid once, or cancelled."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import User
from core.errors import Conflict, ValidationFailed
from core.phrases import said
from core.rules import check
from notifications.services import notify

from .. import (
    phrases,
    rules,
    selectors,
)
from ..exports.target2 import execution_date_check
from ..models import (
    AccountKind,
    LedgerEntry,
    LedgerTransaction,
    PayoutBatch,
    PayoutBatchStatus,
    PayoutDestination,
    PayoutItem,
    TransactionKind,
)
from . import ledger
from .common import require_finance

REFERENCE_MAX = 120


@transaction.atomic
def payout_batch_create(*, currency: str, actor, execution_date: date | None = None) -> PayoutBatch:
    """Every member whose ``currency`` balance is at least MINIMUM_PAYOUT (smaller ones carry
    over; one open batch per currency, so none is promised twice), each line with a snapshot of
    their destination; paid on ``execution_date`` (default: the next TARGET2 business day)."""
    require_finance(actor)
    currency = _clean_currency(currency)
    if selectors.open_batches().filter(currency=currency).exists():
        raise Conflict(
            gettext("A %(currency)s batch is open: mark it paid first.") % {"currency": currency},
            code="batch_open",
        )
    owed = selectors.payable_balances(currency=currency, minimum=settings.MINIMUM_PAYOUT)
    payable = set(
        PayoutDestination.objects.filter(member_id__in=[m for m, _ in owed]).values_list(
            "member_id", flat=True
        )
    )
    balances = [(m, b) for m, b in owed if m in payable]
    held_back = [m for m, _ in owed if m not in payable]
    if not balances:
        raise _nothing_to_pay(currency, held_back)
    try:
        with transaction.atomic():
            batch = PayoutBatch.objects.create(
                currency=currency,
                created_by=actor,
                total=sum(b for _, b in balances),
                item_count=len(balances),
                held_back=len(held_back),
                execution_date=execution_date_check(execution_date),
            )
    except IntegrityError:  # a concurrent create won the one-open-batch constraint
        raise Conflict(
            gettext("A %(currency)s batch is open: mark it paid first.") % {"currency": currency}
        ) from None
    _lines_create(batch, balances)
    if held_back:
        _tell_held_back(held_back, currency)
    return batch


def _clean_currency(currency: str) -> str:
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
        raise ValidationFailed.for_field("currency", gettext("Enter a three-letter currency code."))
    return currency


def _nothing_to_pay(currency: str, held_back: list[int]) -> ValidationFailed:
    """Why no batch: every member owed one lacks a destination, or nobody reached the minimum."""
    if held_back:
        return ValidationFailed.for_field(
            "currency",
            ngettext(
                "No %(currency)s payout can go out: the %(count)s member owed one has not "
                "added a payout destination yet.",
                "No %(currency)s payout can go out: the %(count)s members owed one have not "
                "added a payout destination yet.",
                len(held_back),
            )
            % {"currency": currency, "count": len(held_back)},
            code="no_destinations",
        )
    return ValidationFailed.for_field(
        "currency",
        gettext(
            "Choose another currency: no member's %(currency)s balance has reached "
            "the minimum payout."
        )
        % {"currency": currency},
    )


def _lines_create(batch: PayoutBatch, balances: list[tuple[int, int]]) -> None:
    """One line per member, each with a snapshot of the member's destination (its encrypted
    token, copied as is): the bank file and the payees export read it, so a destination changed
    later moves none of this batch's money."""
    PayoutItem.objects.bulk_create(
        [PayoutItem(batch=batch, member_id=m, amount=b) for m, b in balances], batch_size=5000
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE payouts_payoutitem i SET destination = d.secret
            FROM payouts_payoutdestination d
            WHERE i.batch_id = %s AND d.member_id = i.member_id
            """,
            [batch.pk],
        )


def _clean_reference(reference: str) -> str:
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed.for_field(
            "reference", gettext("Enter the bank's payment reference.")
        )
    if len(reference) > REFERENCE_MAX:
        raise ValidationFailed.for_field(
            "reference",
            gettext("Enter a payment reference of at most %(REFERENCE_MAX)s characters.")
            % {"REFERENCE_MAX": REFERENCE_MAX},
        )
    return reference


def payout_batch_mark_paid(*, batch: PayoutBatch, reference: str, actor) -> PayoutBatch:
    """Record that the batch was paid (with the bank's reference) and post the payouts: each
    member's payable debited, the currency's paid-out account credited. Exactly once. Four eyes:
    ``rules.may_mark_batch_paid`` (not by the member who created the batch)."""
    require_finance(actor)
    check(rules.may_mark_batch_paid(actor_id=actor.pk, created_by_id=batch.created_by_id))
    reference = _clean_reference(reference)
    with transaction.atomic():
        now = timezone.now()
        # The conditional UPDATE decides between two finance members marking it at once.
        won = PayoutBatch.objects.filter(pk=batch.pk, status=PayoutBatchStatus.OPEN).update(
            status=PayoutBatchStatus.PAID, reference=reference, paid_by=actor, paid_at=now
        )
        if not won:
            raise Conflict(gettext("This batch is already marked paid."), code="already_paid")
        tx = LedgerTransaction.objects.create(
            kind=TransactionKind.PAYOUT,
            currency=batch.currency,
            payout_batch=batch,
            description=f"Payout batch {batch.pk}, reference {reference}"[:200],
        )
        if _debit_payables(batch, tx) != batch.item_count:
            raise Conflict(gettext("A member's payable account is missing; nothing was paid."))
        if _batch_overdraws(batch):
            raise Conflict(
                gettext(
                    "A member's balance is now below their payout (a reversal was posted "
                    "since the batch was made): cancel this batch and create a new one."
                ),
                code="balance_changed",
            )
        paid_out = ledger.account(kind=AccountKind.PAID_OUT, currency=batch.currency)
        LedgerEntry.objects.create(transaction=tx, account=paid_out, credit=batch.total)
        ledger.post_transaction(tx, now=now, actor_id=actor.pk)
        batch.refresh_from_db()  # the conditional UPDATE above wrote status and reference
        _notify_paid(batch)
    batch.refresh_from_db()
    return batch


def _debit_payables(batch: PayoutBatch, tx: LedgerTransaction) -> int:
    """One debit entry per item on the member's payable account; returns how many."""
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
        return cursor.rowcount


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
    require_finance(actor)
    cancelled = PayoutBatch.objects.filter(pk=batch.pk, status=PayoutBatchStatus.OPEN).update(
        status=PayoutBatchStatus.CANCELLED
    )
    if not cancelled:
        raise Conflict(gettext("Only an open batch can be cancelled."), code="not_open")
    batch.refresh_from_db()
    return batch


def _tell_held_back(member_ids: list[int], currency: str) -> None:
    """Members owed a payout who never said where to be paid: what to do to get it."""
    notify(
        recipients=User.objects.filter(pk__in=member_ids).only("id", "email", "language"),
        kind="payout_held_back",
        message=said(
            phrases.PAYOUT_HELD_BACK_NOTICE,
            currency=currency,
        ),
        url="/me/earnings/#destination",
    )


def _notify_paid(batch: PayoutBatch) -> None:
    members: Iterable = User.objects.filter(payout_items__batch=batch).only("id", "email")
    notify(
        recipients=members,
        kind="payout_paid",
        message=said(
            phrases.PAYOUT_PAID_NOTICE,
            currency=batch.currency,
            reference=batch.reference,
        ),
        url="/me/earnings/",
    )
