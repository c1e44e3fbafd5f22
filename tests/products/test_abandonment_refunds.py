"""Issue 27's done-when: an abandoned product's available funds go back to its backers pro
rata to what each paid, to the cent, and the funds end at zero; every transaction balances."""

from django.db.models import Sum

from funding.models import Payment
from payouts.models import AccountKind, LedgerEntry, LedgerTransaction
from products.models import BackerRefund
from products.money.selectors import budget
from products.money.services.refunds import pro_rata, refund_confirm, refunds_start


def funds_balance(product) -> int:
    sums = LedgerEntry.objects.filter(
        account__kind=AccountKind.PRODUCT_FUNDS, account__product=product
    ).aggregate(c=Sum("credit"), d=Sum("debit"))
    return sums["c"] - sums["d"]


def assert_every_transaction_balances():
    for tx in LedgerTransaction.objects.all():
        sums = tx.entries.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert tx.posted_at is not None and sums["d"] == sums["c"] > 0, tx


def test_pro_rata_is_exact_to_the_unit():
    assert pro_rata(63_000, [50_000, 30_000, 20_000]) == [31_500, 18_900, 12_600]
    assert pro_rata(100, [1, 1, 1]) == [34, 33, 33]  # the leftover unit to the earliest
    assert sum(pro_rata(99_999, [7, 13, 29, 31])) == 99_999
    assert pro_rata(0, [5, 5]) == [0, 0]


def test_an_abandoned_products_funds_go_back_pro_rata_and_end_at_zero(
    people, paid_product, spend, django_capture_on_commit_callbacks, mailoutbox
):
    product = paid_product()
    assert funds_balance(product) == 100_000
    spend(product, 20_000)
    spend(product, 17_000, description="Tooling")

    with django_capture_on_commit_callbacks(execute=True):
        refunds = refunds_start(product=product, abandonment_id=1)

    by_member = {r.member.username: r.amount for r in refunds}
    assert by_member == {"alice": 31_500, "bob": 18_900, "chen": 12_600}
    assert all(r.status == "sent" and r.provider == "manual" for r in BackerRefund.objects.all())
    assert funds_balance(product) == 63_000  # nothing posted before finance pays them back

    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go after commit
        for refund in BackerRefund.objects.all():
            refund_confirm(refund=refund, actor=people.felix, reference=f"back-{refund.pk}")

    assert funds_balance(product) == 0
    assert budget(product=product).as_dict() | {"product_id": 0} == {
        "product_id": 0,
        "currency": "EUR",
        "raised": 100_000,
        "collected": 100_000,
        "spent": 37_000,
        "committed": 0,
        "refunded": 63_000,
        "available": 0,
    }
    assert_every_transaction_balances()
    told = {m.to[0] for m in mailoutbox if "refunded to you" in m.body}
    assert told == {"alice@example.org", "bob@example.org", "chen@example.org"}
    # Starting again refunds nothing twice.
    assert refunds_start(product=product, abandonment_id=1) == list(BackerRefund.objects.all())
    assert BackerRefund.objects.count() == 3
    assert Payment.objects.filter(status="received").count() == 3
