"""The Stripe adapter against localstripe on loopback (tests/payments/stripe_fake.py): a card
saved at pledge time and nothing charged; a funded round charged exactly once per pledge, even
when the job dies between charging and recording; declines and 3-D Secure handed back to the
backer; a failed round charges nothing; webhooks verified, stored once, idempotent; refunds and
chargebacks posted to the ledger out of the product's funds, never its profit pool."""

import json
import urllib.parse

import pytest
from django.utils import timezone

from funding.models import FundingRound, Payment, PledgeStatus
from funding.payments import Outcome
from funding.services import funding_round_close, payment_apply
from payments import stripe_adapter
from payments.models import MoneyBack, SavedMethod, WebhookEvent
from payouts.models import AccountKind, LedgerEntry, TransactionKind
from tests.factories import idea_in_funding
from tests.payments.stripe_fixtures import (
    DECLINED,
    GOOD,
    NEEDS_3DS,
    close,
    event,
    pledge_with_card,
    signed,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("stripe_settings", "checked_requests"),
]


def test_pledging_saves_a_card_and_charges_nothing(people, client, stripe_fake):
    idea = idea_in_funding(people.carla, people.rita, goal=5_000)
    pledge = pledge_with_card(client, stripe_fake, idea, people.alice, 3_000)
    saved = SavedMethod.objects.get(pledge=pledge)
    assert saved.payment_method_id.startswith("pm_") and saved.saved_at is not None
    assert not Payment.objects.exists()
    assert "Your card is saved. Nothing is charged unless the goal is met." in client.last_page


def test_a_funded_round_charges_every_pledge_once(
    people, round_with_cards, stripe_fake, django_capture_on_commit_callbacks
):
    idea = round_with_cards({"alice": (3_000, GOOD), "bob": (2_500, GOOD)})
    close(idea, people, django_capture_on_commit_callbacks)
    payments = list(Payment.objects.filter(pledge__idea=idea))
    assert {(p.status, p.provider) for p in payments} == {("received", "stripe")}
    for payment in payments:
        intents = stripe_fake.intents_for(payment)
        assert [(i["amount"], i["status"]) for i in intents] == [(payment.amount, "succeeded")]
        assert stripe_adapter.charge(payment.pk) == "received"  # a re-run changes nothing
        assert len(stripe_fake.intents_for(payment)) == 1


def test_a_job_killed_between_charge_and_record_charges_once_when_run_again(
    people, round_with_cards, stripe_fake, monkeypatch, django_capture_on_commit_callbacks
):
    idea = round_with_cards({"alice": (6_000, GOOD)})
    real_record = stripe_adapter.record

    def crash(payment, intent):
        raise SystemExit("worker killed after the charge, before recording it")

    monkeypatch.setattr(stripe_adapter, "record", crash)
    with pytest.raises(SystemExit):
        close(idea, people, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(pledge__idea=idea)
    assert payment.status == "pending" and payment.provider_ref.startswith("pi_")
    assert [i["status"] for i in stripe_fake.intents_for(payment)] == ["succeeded"]

    monkeypatch.setattr(stripe_adapter, "record", real_record)
    assert stripe_adapter.charge(payment.pk) == "received"  # the retried job
    assert [i["status"] for i in stripe_fake.intents_for(payment)] == ["succeeded"]


def test_a_declined_card_is_handed_back_to_the_backer_who_pays_again(
    people, client, round_with_cards, stripe_fake, django_capture_on_commit_callbacks
):
    idea = round_with_cards({"alice": (3_000, GOOD), "bob": (2_500, DECLINED)})
    close(idea, people, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(pledge__member=people.bob)
    assert payment.status == "failed" and payment.due_at > timezone.now()
    assert payment.failure == "declined"  # a code (+ Stripe's decline code), not its sentence
    assert payment.failure_message.startswith("The card was declined.")
    note = people.bob.notifications.get(kind="payment_failed")
    assert "did not go through" in note.text and note.url == f"/payments/{payment.pk}/pay/"

    client.force_login(people.bob)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="payment-failed"' in page
    to_checkout = client.get(note.url)
    back = urllib.parse.urlsplit(stripe_fake.pay(to_checkout["Location"].rsplit("/", 1)[1], GOOD))
    client.get(f"{back.path}?{back.query}")
    payment.refresh_from_db()
    assert payment.status == "received"


def test_a_card_that_needs_3d_secure_is_handed_back_too(
    people, round_with_cards, django_capture_on_commit_callbacks
):
    idea = round_with_cards({"alice": (5_000, NEEDS_3DS)})
    close(idea, people, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(pledge__idea=idea)
    assert (payment.status, payment.failure) == ("failed", "needs_action")
    assert "confirm the payment" in payment.failure_message


def test_a_failed_round_charges_nothing_and_releases_the_cards(
    people, round_with_cards, stripe_fake, django_capture_on_commit_callbacks, settings
):
    idea = round_with_cards({"alice": (1_000, GOOD)})
    FundingRound.objects.filter(idea=idea).update(
        deadline=timezone.now() - timezone.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        funding_round_close(idea=idea, actor=None)
    assert not Payment.objects.exists()
    assert idea.pledges.get().status == PledgeStatus.RELEASED
    saved = SavedMethod.objects.get()
    assert saved.released_at is not None
    method = stripe_fake.call("GET", f"/v1/payment_methods/{saved.payment_method_id}")
    assert method["customer"] is None


def test_a_bad_signature_is_refused_and_nothing_is_stored(client, pending_payment):
    body = event("payment_intent.succeeded", {"id": pending_payment.provider_ref})
    response = signed(client, body, secret="whsec_wrong")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_signature"
    unsigned = client.post(
        "/payments/stripe/webhook/", json.dumps(body), content_type="application/json"
    )
    assert unsigned.status_code == 400
    assert not WebhookEvent.objects.exists()
    pending_payment.refresh_from_db()
    assert pending_payment.status == "pending"


def test_a_succeeded_webhook_records_the_payment_and_a_replay_changes_nothing(
    client, pending_payment
):
    body = event(
        "payment_intent.succeeded",
        {"id": pending_payment.provider_ref, "object": "payment_intent", "metadata": {}},
        event_id="evt_once",
    )
    assert signed(client, body).json() == {"received": True}
    pending_payment.refresh_from_db()
    assert pending_payment.status == "received"
    assert signed(client, body).json() == {"received": True, "duplicate": True}
    assert WebhookEvent.objects.filter(event_id="evt_once").count() == 1


def test_refunds_and_chargebacks_come_out_of_the_products_funds_once(client, pending_payment):
    payment_apply(payment=pending_payment, outcome=Outcome.received(pending_payment.provider_ref))
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": pending_payment.provider_ref,
        "metadata": {},
        "currency": "eur",  # the shape before API version 2022-11-15: the refunds listed
        "refunds": {"data": [{"id": "re_1", "object": "refund", "amount": 1_500}]},
    }
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 2_000,
        "currency": "eur",
        "status": "needs_response",
        "charge": "ch_1",
        "payment_intent": pending_payment.provider_ref,
        "metadata": {},
    }
    for body in (event("charge.refunded", charge), event("charge.dispute.created", dispute)):
        assert signed(client, body).status_code == 200
        assert signed(client, {**body, "id": body["id"] + "_again"}).status_code == 200
    backs = {(m.kind, m.amount) for m in MoneyBack.objects.all()}
    assert backs == {("refund", 1_500), ("chargeback", 2_000)}
    product = pending_payment.pledge.idea.product
    funds = LedgerEntry.objects.filter(
        account__kind=AccountKind.PRODUCT_FUNDS, account__product=product
    )
    # 5,000 collected into the funds, 3,500 given back out of them; the profit pool untouched.
    assert sum(e.credit for e in funds) == 5_000 and sum(e.debit for e in funds) == 3_500
    assert not LedgerEntry.objects.filter(account__kind=AccountKind.PROFIT_POOL).exists()
    returned = LedgerEntry.objects.filter(account__kind=AccountKind.RETURNED)
    assert sum(e.credit for e in returned) == 3_500
    kinds = {m.transaction.kind for m in MoneyBack.objects.select_related("transaction")}
    assert kinds == {TransactionKind.REFUND, TransactionKind.CHARGEBACK}
    pending_payment.pledge.refresh_from_db()
    assert pending_payment.pledge.amount == 5_000  # the pledge itself is never edited


def test_the_webhook_is_open_to_stripe_only_by_signature(client):
    assert client.get("/payments/stripe/webhook/").status_code == 405
