"""Money given back to a backer (a refund, or a chargeback their bank forced): a ledger
transaction out of the product's funds (the money raised, ``product_funds``), never out of its
profit pool, and never an edit of the pledge (issue 27; the refunds of earlier days were moved
from the pool by compensating entries, migration products 0002)."""

from django.utils import timezone

from ..models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind
from . import ledger


def money_returned(*, product, amount: int, kind: str, description: str, actor_id=None):
    """Post ``amount`` (minor units) out of ``product``'s funds to the currency's "returned to
    backers" account. ``kind`` is ``TransactionKind.REFUND`` or ``CHARGEBACK``. Call it inside
    the caller's transaction, once per provider event (the caller keeps that idempotent)."""
    assert kind in (TransactionKind.REFUND, TransactionKind.CHARGEBACK)
    currency = product.currency
    tx = LedgerTransaction.objects.create(
        kind=kind, currency=currency, product=product, description=description[:200]
    )
    funds = ledger.account(kind=AccountKind.PRODUCT_FUNDS, currency=currency, product_id=product.pk)
    returned = ledger.account(kind=AccountKind.RETURNED, currency=currency)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=tx, account=funds, debit=amount),
            LedgerEntry(transaction=tx, account=returned, credit=amount),
        ]
    )
    ledger.post_transaction(tx, now=timezone.now(), actor_id=actor_id)
    tx.refresh_from_db()
    return tx


def money_return_reversed(*, transaction: LedgerTransaction, description: str, actor_id=None):
    """Money given back that came home again (a dispute won, a refund that failed): one
    compensating transaction with the sides of ``transaction`` swapped, never an edit. At most
    once: a second call returns the reversal already posted."""
    assert transaction.kind in (TransactionKind.REFUND, TransactionKind.CHARGEBACK)
    done = LedgerTransaction.objects.filter(reversal_of=transaction).first()
    if done is not None:
        return done
    return ledger.post_reversal(
        transaction, description=description, now=timezone.now(), actor_id=actor_id
    )
