"""Issue 25, finding 4, and issue 26's low items: refunds in today's event shapes (Refund
objects; ``charge.refunded`` without a ``refunds`` list), each posted once and checked against
its payment; a won dispute reverses its chargeback once; a validly signed malformed event is a
400 with nothing stored; the Stripe return routes answer 404 with the manual adapter and 503
when Stripe cannot be reached."""

import pytest
import stripe

from funding.payments import Outcome
from funding.services import payment_apply
from payments.models import MoneyBack, WebhookEvent
from payouts.models import AccountKind, LedgerEntry, LedgerTransaction, TransactionKind
from tests.payments.stripe_fixtures import event, signed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("stripe_settings", "checked_requests"),
]


@pytest.fixture
def paid(pending_payment):
    payment_apply(payment=pending_payment, outcome=Outcome.received(pending_payment.provider_ref))
    pending_payment.refresh_from_db()
    return pending_payment


def refund(payment, refund_id="re_1", amount=1_500, status="succeeded", **extra) -> dict:
    """A Refund as Stripe sends it now (docs.stripe.com/api/refunds/object)."""
    return {"id": refund_id, "object": "refund", "amount": amount, "currency": "eur",
            "charge": "ch_1", "payment_intent": payment.provider_ref, "metadata": {},
            "reason": "requested_by_customer", "status": status, **extra}  # fmt: skip


def dispute(payment, status="needs_response", amount=2_000) -> dict:
    return {"id": "du_1", "object": "dispute", "amount": amount, "currency": "eur",
            "charge": "ch_1", "payment_intent": payment.provider_ref, "metadata": {},
            "reason": "fraudulent", "status": status}  # fmt: skip


def pool_debits(payment) -> int:
    """What was given back out of the product's funds (issue 27: never out of its profit pool,
    which stays untouched)."""
    product = payment.pledge.idea.product
    assert not LedgerEntry.objects.filter(
        account__kind=AccountKind.PROFIT_POOL, account__product=product
    ).exists()
    entries = LedgerEntry.objects.filter(
        account__kind=AccountKind.PRODUCT_FUNDS, account__product=product
    ).exclude(transaction__kind="collection")
    return sum(e.debit - e.credit for e in entries)


def test_a_refund_in_todays_shape_is_posted_once_when_it_succeeds(client, paid):
    assert (
        signed(client, event("refund.created", refund(paid, status="pending"))).status_code == 200
    )
    assert not MoneyBack.objects.exists()
    for kind in ("refund.updated", "charge.refund.updated", "refund.updated"):
        assert signed(client, event(kind, refund(paid))).status_code == 200
    back = MoneyBack.objects.get()
    assert (back.kind, back.amount, back.provider_ref) == ("refund", 1_500, "re_1")
    assert back.transaction.kind == TransactionKind.REFUND
    assert pool_debits(paid) == 1_500


def test_charge_refunded_without_a_refunds_list_asks_stripe_for_them(client, paid, stripe_fake):
    intent = stripe_fake.call("GET", f"/v1/payment_intents/{paid.provider_ref}")
    made = stripe_fake.call(
        "POST", "/v1/refunds", {"payment_intent": paid.provider_ref, "amount": 700}
    )
    charge = {"id": intent["latest_charge"], "object": "charge", "amount": 5_000,
              "amount_refunded": 700, "currency": "eur", "refunded": False,
              "payment_intent": paid.provider_ref, "metadata": {}}  # fmt: skip
    assert signed(client, event("charge.refunded", charge)).status_code == 200
    assert signed(client, event("refund.created", refund(paid, made["id"], 700))).status_code == 200
    back = MoneyBack.objects.get()
    assert (back.provider_ref, back.amount) == (made["id"], 700)
    assert pool_debits(paid) == 700


@pytest.mark.parametrize(
    "amount, code",
    [(-1_500, "bad_amount"), (0, "bad_amount"), ("15", "bad_amount"), (10**12, "exceeds_payment")],
)
def test_a_refund_that_its_payment_cannot_carry_is_a_400_and_records_nothing(
    client, paid, amount, code
):
    response = signed(client, event("refund.created", refund(paid, amount=amount)))
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert not MoneyBack.objects.exists() and not WebhookEvent.objects.exists()
    assert pool_debits(paid) == 0


def test_refunds_together_never_exceed_the_payment(client, paid):
    assert signed(client, event("refund.created", refund(paid, "re_1", 4_000))).status_code == 200
    second = signed(client, event("refund.created", refund(paid, "re_2", 1_001)))
    assert second.status_code == 400 and second.json()["error"]["code"] == "exceeds_payment"
    third = signed(client, event("refund.created", refund(paid, "re_3", 1_000, currency="usd")))
    assert third.json()["error"]["code"] == "wrong_currency"
    assert signed(client, event("refund.created", refund(paid, "re_3", 1_000))).status_code == 200
    assert pool_debits(paid) == 5_000


def test_a_won_dispute_reverses_its_chargeback_exactly_once(client, paid):
    assert signed(client, event("charge.dispute.created", dispute(paid))).status_code == 200
    assert pool_debits(paid) == 2_000
    won = dispute(paid, status="won")
    for kind in (
        "charge.dispute.closed",
        "charge.dispute.funds_reinstated",
        "charge.dispute.closed",
    ):
        assert signed(client, event(kind, won)).status_code == 200
    chargeback = MoneyBack.objects.get().transaction
    reversal = LedgerTransaction.objects.get(kind=TransactionKind.REVERSAL)
    assert reversal.reversal_of == chargeback and reversal.is_posted
    assert pool_debits(paid) == 0
    assert LedgerEntry.objects.filter(transaction=chargeback).count() == 2  # never edited
    # What was won back may be refunded again in full.
    assert signed(client, event("refund.created", refund(paid, amount=5_000))).status_code == 200


def test_an_inquiry_posts_nothing_and_a_lost_dispute_posts_its_chargeback_once(client, paid):
    inquiry = dispute(paid, status="warning_needs_response")
    assert signed(client, event("charge.dispute.created", inquiry)).status_code == 200
    assert not MoneyBack.objects.exists()
    for _ in range(2):
        lost = event("charge.dispute.closed", dispute(paid, status="lost"))
        assert signed(client, lost).status_code == 200
    assert MoneyBack.objects.get().kind == "chargeback" and pool_debits(paid) == 2_000


def test_a_refund_that_fails_after_succeeding_is_reversed(client, paid):
    signed(client, event("refund.created", refund(paid)))
    assert signed(client, event("refund.updated", refund(paid, status="failed"))).status_code == 200
    assert pool_debits(paid) == 0


@pytest.mark.parametrize(
    "body",
    [[], "text", {"id": "evt_1"}, {"id": "evt_2", "type": "refund.created", "data": []},
     {"id": 3, "type": "x", "data": {"object": {}}}],
)  # fmt: skip
def test_a_validly_signed_malformed_event_is_a_400_and_nothing_is_stored(client, body):
    response = signed(client, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_event"
    assert not WebhookEvent.objects.exists()


def test_a_refund_event_without_its_fields_is_a_400(client, paid):
    broken = {"object": "refund", "payment_intent": paid.provider_ref, "status": "succeeded"}
    response = signed(client, event("refund.created", broken))
    assert response.status_code == 400 and not WebhookEvent.objects.exists()


def test_return_routes_answer_404_with_the_manual_adapter(client, people, settings, paid):
    settings.PAYMENT_ADAPTER = "manual"
    client.force_login(people.alice)
    for path in (f"/payments/{paid.pk}/pay/", f"/payments/{paid.pk}/paid/?session_id=cs_1",
                 f"/payments/pledges/{paid.pledge_id}/card/"):  # fmt: skip
        assert client.get(path).status_code == 404, path


def test_return_routes_answer_503_when_stripe_cannot_be_reached(client, people, paid, monkeypatch):
    def unreachable(*args, **kwargs):
        raise stripe.APIConnectionError("Could not connect to Stripe.")

    monkeypatch.setattr(stripe.checkout.Session, "retrieve", unreachable)
    client.force_login(people.alice)
    response = client.get(f"/payments/{paid.pk}/paid/?session_id=cs_test_1")
    assert response.status_code == 503 and response["Retry-After"]
    bogus = client.get(f"/payments/{paid.pk}/paid/?session_id=")
    assert bogus.status_code == 302  # no session: back to the idea, nothing asked of Stripe
