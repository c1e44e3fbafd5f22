"""The raised money as each product's funds, for the days before it was in the ledger.

Until now a collected pledge posted nothing, and refunds and chargebacks of pledges were taken
out of the product's *profit pool*. Nothing posted is edited (the ledger refuses it); instead,
for each product:

* every payment already received posts its collection (``collected`` → ``product_funds``)
  and gets its ``FundsCollection`` row, as a new one does;
* what refunds and chargebacks (net of their reversals) took out of the profit pool is moved
  back by one compensating transaction (``funds_move``: debit ``product_funds``, credit the
  profit pool), so the pool nets to what settlements did and the funds carry the refunds.

Running it again finds the collections made and the pool already corrected: it posts nothing.
"""

from django.db import migrations
from django.db.models import Q, Sum
from django.utils import timezone

GIVEN_BACK = ["refund", "chargeback"]


def _account(Account, **lookup):
    return Account.objects.get_or_create(**lookup)[0]


def _post(apps, *, kind, product, currency, lines, description):
    LedgerTransaction = apps.get_model("payouts", "LedgerTransaction")
    LedgerEntry = apps.get_model("payouts", "LedgerEntry")
    tx = LedgerTransaction.objects.create(
        kind=kind, currency=currency, product_id=product.pk, description=description
    )
    LedgerEntry.objects.bulk_create(
        [LedgerEntry(transaction=tx, account=a, debit=d, credit=c) for a, d, c in lines]
    )
    LedgerTransaction.objects.filter(pk=tx.pk, posted_at__isnull=True).update(
        posted_at=timezone.now()
    )
    return tx


def forward(apps, schema_editor):
    Product = apps.get_model("funding", "Product")
    Payment = apps.get_model("funding", "Payment")
    Account = apps.get_model("payouts", "Account")
    LedgerEntry = apps.get_model("payouts", "LedgerEntry")
    FundsCollection = apps.get_model("products", "FundsCollection")
    for product in Product.objects.select_related("funding_round").order_by("pk"):
        currency = product.funding_round.currency
        funds = _account(Account, kind="product_funds", currency=currency, product_id=product.pk)
        collected = _account(Account, kind="collected", currency=currency, member_id=None)
        received = Payment.objects.filter(
            pledge__idea_id=product.idea_id, status="received"
        ).exclude(pk__in=FundsCollection.objects.values("payment_id"))
        for payment in received.order_by("pk"):
            tx = _post(
                apps,
                kind="collection",
                product=product,
                currency=currency,
                lines=[(collected, payment.amount, 0), (funds, 0, payment.amount)],
                description=f"payment {payment.pk} of pledge {payment.pledge_id} (correction)",
            )
            FundsCollection.objects.create(payment=payment, product=product, transaction=tx)
        pool = Account.objects.filter(kind="profit_pool", product_id=product.pk).first()
        if pool is None:
            continue
        on_pool = LedgerEntry.objects.filter(account=pool, transaction__posted_at__isnull=False)
        taken = on_pool.filter(
            Q(transaction__kind__in=GIVEN_BACK)
            | Q(transaction__kind="reversal", transaction__reversal_of__kind__in=GIVEN_BACK)
            | Q(transaction__kind="funds_move")
        ).aggregate(d=Sum("debit", default=0), c=Sum("credit", default=0))
        net = taken["d"] - taken["c"]  # what the pool still carries for backers
        if net:
            lines = (
                [(funds, net, 0), (pool, 0, net)] if net > 0 else [(pool, -net, 0), (funds, 0, -net)]
            )
            _post(
                apps,
                kind="funds_move",
                product=product,
                currency=currency,
                lines=lines,
                description="refunds and chargebacks moved from the profit pool to the funds",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_money_hmoney"),
        ("payouts", "0014_money_accounts_hmoney"),
        ("payments", "0001_stripe"),
        ("funding", "0005_funding_round"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
