"""Migration products 0002: a refund of the days before the funds existed (taken out of the
profit pool) is moved to the funds by one compensating transaction — nothing posted is edited —
and the payments already received get their collection; run again, it posts nothing."""

import importlib

from django.apps import apps
from django.db.models import Sum
from django.utils import timezone

from payouts.models import AccountKind, LedgerEntry, LedgerTransaction
from payouts.services.ledger import account, post_transaction
from products.models import FundsCollection

migration = importlib.import_module("products.migrations.0002_funds_corrections_hmoney")


def balance(product, kind) -> int:
    sums = LedgerEntry.objects.filter(account__product=product, account__kind=kind).aggregate(
        c=Sum("credit", default=0), d=Sum("debit", default=0)
    )
    return sums["c"] - sums["d"]


def old_style_refund(product, amount: int) -> LedgerTransaction:
    """What payments.money_back posted before issue 27: out of the profit pool."""
    tx = LedgerTransaction.objects.create(kind="refund", currency="EUR", product=product)
    pool = account(kind=AccountKind.PROFIT_POOL, currency="EUR", product_id=product.pk)
    returned = account(kind=AccountKind.RETURNED, currency="EUR")
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=tx, account=pool, debit=amount),
            LedgerEntry(transaction=tx, account=returned, credit=amount),
        ]
    )
    post_transaction(tx, now=timezone.now(), actor_id=None)
    return tx


def test_past_refunds_move_from_the_pool_to_the_funds_once(paid_product):
    product = paid_product()
    old_style_refund(product, 4_500)
    entries_before = set(LedgerEntry.objects.values_list("id", "debit", "credit"))
    assert balance(product, AccountKind.PROFIT_POOL) == -4_500

    migration.forward(apps, None)

    assert entries_before <= set(LedgerEntry.objects.values_list("id", "debit", "credit"))
    moved = LedgerTransaction.objects.get(kind="funds_move")
    assert moved.entries.aggregate(d=Sum("debit"))["d"] == 4_500
    assert balance(product, AccountKind.PROFIT_POOL) == 0
    assert balance(product, AccountKind.PRODUCT_FUNDS) == 100_000 - 4_500
    assert FundsCollection.objects.count() == 3  # the collections were there: none twice

    migration.forward(apps, None)  # run again: nothing more
    assert LedgerTransaction.objects.filter(kind="funds_move").count() == 1
    assert LedgerTransaction.objects.filter(kind="collection").count() == 3
