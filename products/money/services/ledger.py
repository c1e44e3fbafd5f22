"""The ledger postings of a product's money, each one balanced transaction (``payouts``' ledger:
append-only, PostgreSQL refuses an unbalanced one).

=================  =====================================  ======================================
moment             debit                                  credit
=================  =====================================  ======================================
pledge collected   ``collected`` (platform, currency)     ``product_funds``
expense approved   ``product_funds``                      ``product_committed``
expense paid       ``product_committed``                  ``product_spent`` (a supplier) or the
                                                          member's ``member_payable`` (paid with
                                                          the next payout batch)
revenue expense    ``profit_pool`` (a cost of sales)      ``product_spent`` or ``member_payable``
refund/chargeback  ``product_funds``                      ``returned`` (``payouts.money_returned``)
=================  =====================================  ======================================

So ``product_funds``' balance (credits less debits) is what is available, ``product_committed``'s
what is approved and not paid, ``product_spent``'s what suppliers were paid.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from funding.selectors import product_of
from payouts.models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind
from payouts.services import money_returned
from payouts.services.ledger import account, post_transaction

from ...money_models import ChargedTo, Expense, FundsCollection, PayeeKind


def _post(*, kind: str, product, lines: list[tuple], description: str, actor_id=None):
    """One posted transaction of ``product`` with ``lines`` of (account, debit, credit)."""
    tx = LedgerTransaction.objects.create(
        kind=kind, currency=product.currency, product=product, description=description[:200]
    )
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(transaction=tx, account=a, debit=d, credit=c) for a, d, c in lines]
    )
    post_transaction(tx, now=timezone.now(), actor_id=actor_id)
    return tx


def product_account(product, kind: str):
    return account(kind=kind, currency=product.currency, product_id=product.pk)


def funds_collect(*, payment) -> FundsCollection:
    """``funding.hooks.payment_received``: the payment's money into its product's funds, once
    per payment (called inside the transaction that marks it received)."""
    done = FundsCollection.objects.filter(payment_id=payment.pk).first()
    if done is not None:
        return done
    product = product_of(idea_id=payment.pledge.idea_id)
    collected = account(kind=AccountKind.COLLECTED, currency=product.currency)
    funds = product_account(product, AccountKind.PRODUCT_FUNDS)
    try:
        with transaction.atomic():
            tx = _post(
                kind=TransactionKind.COLLECTION,
                product=product,
                lines=[(collected, payment.amount, 0), (funds, 0, payment.amount)],
                description=f"payment {payment.pk} of pledge {payment.pledge_id}",
                actor_id=payment.confirmed_by_id,
            )
            return FundsCollection.objects.create(payment=payment, product=product, transaction=tx)
    except IntegrityError:  # posted concurrently: the one-to-one on the payment decided
        return FundsCollection.objects.get(payment_id=payment.pk)


def expense_commit_post(*, expense: Expense, actor_id: int):
    """An approved expense charged to the funds: its amount leaves the available funds."""
    product = expense.product
    return _post(
        kind=TransactionKind.COMMITMENT,
        product=product,
        lines=[
            (product_account(product, AccountKind.PRODUCT_FUNDS), expense.amount, 0),
            (product_account(product, AccountKind.PRODUCT_COMMITTED), 0, expense.amount),
        ],
        description=f"expense {expense.pk} approved",
        actor_id=actor_id,
    )


def expense_paid_post(*, expense: Expense, actor_id: int):
    """A paid expense: out of what was committed (funds) or of the profit pool (revenue), to
    the supplier (``product_spent``) or to the member payee's payable (next payout batch)."""
    product = expense.product
    source = (
        AccountKind.PRODUCT_COMMITTED
        if expense.charged_to == ChargedTo.FUNDS
        else AccountKind.PROFIT_POOL
    )
    if expense.payee_kind == PayeeKind.MEMBER:
        to = account(
            kind=AccountKind.MEMBER_PAYABLE,
            currency=product.currency,
            member_id=expense.payee_member_id,
        )
    else:
        to = product_account(product, AccountKind.PRODUCT_SPENT)
    return _post(
        kind=TransactionKind.EXPENSE,
        product=product,
        lines=[(product_account(product, source), expense.amount, 0), (to, 0, expense.amount)],
        description=f"expense {expense.pk} paid",
        actor_id=actor_id,
    )


def refund_post(*, product, amount: int, description: str, actor_id=None):
    """A refund to a backer out of the product's funds (``payouts.money_returned``)."""
    return money_returned(
        product=product,
        amount=amount,
        kind=TransactionKind.REFUND,
        description=description,
        actor_id=actor_id,
    )
