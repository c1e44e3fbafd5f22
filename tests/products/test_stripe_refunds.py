"""An abandoned product's Stripe backers are refunded through the adapter (localstripe on
loopback, every request checked against the SDK's typed parameters), exactly once: a job killed
after Stripe made the refund finds it when run again, and the refund's webhook posts nothing
twice."""

import pytest
from django.db.models import Sum

from funding.models import Payment
from payments.models import MoneyBack
from payouts.models import AccountKind, LedgerEntry, TransactionKind
from products.models import BackerRefund
from products.money.services import refunds as refund_services
from products.money.services.refunds import refund_key, refund_send, refunds_start
from tests.payments.stripe_fixtures import GOOD, close, event, signed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("stripe_settings", "checked_requests"),
]


def refunds_at_stripe(stripe_fake, payment) -> list[dict]:
    listed = stripe_fake.call("GET", f"/v1/refunds?payment_intent={payment.provider_ref}")
    return listed["data"]


def test_a_killed_refund_job_refunds_through_stripe_exactly_once(
    people, round_with_cards, spend, stripe_fake, client, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    idea = round_with_cards(
        {"alice": (50_000, GOOD), "bob": (30_000, GOOD), "chen": (20_000, GOOD)}
    )
    close(idea, people, django_capture_on_commit_callbacks)
    product = idea.product
    assert set(Payment.objects.values_list("status", flat=True)) == {"received"}
    spend(product, 37_000)

    real_settle = refund_services.refund_settle

    def killed(**kwargs):
        raise SystemExit("worker killed after Stripe refunded, before posting it")

    monkeypatch.setattr(refund_services, "refund_settle", killed)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        refunds_start(product=product, abandonment_id=7)
    monkeypatch.setattr(refund_services, "refund_settle", real_settle)

    alice = BackerRefund.objects.get(member=people.alice)
    assert alice.status == "sent" and alice.transaction_id is None
    assert [r["amount"] for r in refunds_at_stripe(stripe_fake, alice.payment)] == [31_500]

    for refund in BackerRefund.objects.order_by("pk"):  # the job run again, twice
        assert refund_send(refund_id=refund.pk) == "refunded"
        assert refund_send(refund_id=refund.pk) == "refunded"

    amounts = {r.member.username: r.amount for r in BackerRefund.objects.all()}
    assert amounts == {"alice": 31_500, "bob": 18_900, "chen": 12_600}
    for refund in BackerRefund.objects.all():
        at_stripe = refunds_at_stripe(stripe_fake, refund.payment)
        assert [(r["amount"], r["metadata"]["backer_refund"]) for r in at_stripe] == [
            (refund.amount, refund_key(refund.pk))
        ]
        assert refund.provider_ref == at_stripe[0]["id"]

    # Stripe's webhook for the same refund: reconciled, posted nothing twice.
    made = refunds_at_stripe(stripe_fake, alice.payment)[0]
    assert signed(client, event("refund.updated", made)).status_code == 200
    assert (
        MoneyBack.objects.get().transaction_id
        == BackerRefund.objects.get(pk=alice.pk).transaction_id
    )

    funds = LedgerEntry.objects.filter(
        account__kind=AccountKind.PRODUCT_FUNDS, account__product=product
    ).aggregate(c=Sum("credit"), d=Sum("debit"))
    assert funds["c"] - funds["d"] == 0
    refunded = LedgerEntry.objects.filter(
        transaction__kind=TransactionKind.REFUND, account__kind=AccountKind.RETURNED
    )
    assert refunded.count() == 3 and sum(e.credit for e in refunded) == 63_000
