"""The manual adapter: backers are told what to pay, to whom and by when; finance confirms or
refuses receipts on /finance/payments/; unpaid pledges lapse after the grace period."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Contribution
from funding.models import Payment, PaymentStatus
from funding.services import payments_lapse_overdue

pytestmark = pytest.mark.django_db


def test_a_funded_round_owes_one_payment_per_backer_due_after_the_grace_period(
    people, funded, settings
):
    before = timezone.now()
    idea = funded()
    payments = Payment.objects.filter(pledge__idea=idea).order_by("amount")
    assert [(p.amount, p.status, p.provider) for p in payments] == [
        (4_000, "pending", "manual"),
        (6_000, "pending", "manual"),
    ]
    grace = timedelta(days=settings.PAYMENT_GRACE_DAYS)
    assert all(before + grace <= p.due_at <= timezone.now() + grace for p in payments)


def test_backers_are_told_what_to_pay_to_whom_and_by_when(people, funded, settings):
    idea = funded()
    pledge = idea.pledges.get(member=people.alice)
    note = people.alice.notifications.get(kind="payment_due")
    assert "60.00" in note.text and f"AHHHA-P{pledge.pk}" in note.text
    [account] = settings.PAYMENT_PAYEE_ACCOUNTS["EUR"]  # the debug example for EUR
    assert account["holder"] in note.text and account["account"] in note.text


def test_the_idea_page_shows_the_backer_their_transfer_and_nobody_else(people, funded, client):
    idea = funded()
    pledge = idea.pledges.get(member=people.alice)
    client.force_login(people.alice)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="payment-due"' in page and f"AHHHA-P{pledge.pk}" in page
    assert "Collected so far: 0.00 EUR of 100.00 EUR pledged." in page
    client.force_login(people.chen)
    assert 'id="payment-box"' not in client.get(idea.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who, code", [("alice", 403), ("rita", 403), ("fiona", 200)])
def test_who_may_see_the_payments_to_collect(people, funded, client, who, code):
    funded()
    client.force_login(getattr(people, who))
    assert client.get("/finance/payments/").status_code == code
    assert client.get("/finance/payments/outstanding.csv").status_code == code


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/finance/payments/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_finance_confirms_a_receipt_with_the_banks_reference(people, funded, client):
    idea = funded()
    payment = Payment.objects.get(pledge__member=people.alice)
    client.force_login(people.fiona)
    response = client.post(
        f"/finance/payments/{payment.pk}/confirm/",
        {"reference": "SEPA-2026-0042", "next": "/finance/payments/?status=open"},
    )
    assert response.status_code == 302 and response["Location"] == "/finance/payments/?status=open"
    payment.refresh_from_db()
    assert (payment.status, payment.reference, payment.confirmed_by) == (
        "received",
        "SEPA-2026-0042",
        people.fiona,
    )
    client.force_login(people.alice)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="payment-received"' in page
    assert "Collected so far: 60.00 EUR of 100.00 EUR pledged." in page


def test_a_receipt_is_confirmed_once_and_needs_a_reference(people, funded, client):
    funded()
    payment = Payment.objects.get(pledge__member=people.alice)
    client.force_login(people.fiona)
    page = client.post(
        f"/finance/payments/{payment.pk}/confirm/", {"reference": "  "}, follow=True
    ).content.decode()
    assert "Enter the payment&#x27;s reference" in page
    client.post(f"/finance/payments/{payment.pk}/confirm/", {"reference": "A"})
    page = client.post(
        f"/finance/payments/{payment.pk}/confirm/", {"reference": "B"}, follow=True
    ).content.decode()
    assert "already confirmed" in page
    payment.refresh_from_db()
    assert payment.reference == "A"


def test_finance_refuses_a_payment_and_the_backer_is_told(people, funded, client):
    funded()
    payment = Payment.objects.get(pledge__member=people.bob)
    client.force_login(people.fiona)
    client.post(f"/finance/payments/{payment.pk}/refuse/", {"reason": "Transfer bounced"})
    payment.refresh_from_db()
    assert payment.status == "refused"
    assert "Transfer bounced" in people.bob.notifications.get(kind="payment_refused").text


def test_the_list_filters_and_pages(people, funded, client):
    first = funded(title="Kettle")
    funded(title="Lamp", currency="USD")
    client.force_login(people.fiona)

    def rows(query):
        page = client.get(f"/finance/payments/{query}").content.decode()
        return page.count('<tr id="payment-')

    assert rows("") == 4
    assert rows(f"?idea={first.pk}") == 2
    assert rows("?currency=USD") == 2
    Payment.objects.filter(pledge__idea=first).update(
        status=PaymentStatus.RECEIVED, confirmed_at=timezone.now()
    )
    assert rows("") == 2  # received ones are no longer to collect
    assert rows("?status=received") == 2
    assert rows("?status=nonsense") == 2  # an unknown filter falls back to "to collect"


def test_long_lists_are_paginated(people, funded, client):
    idea = funded()
    template = Payment.objects.filter(pledge__idea=idea).first()
    for _ in range(60):
        pledge = template.pledge
        pledge.pk = None
        pledge.save()
        Payment.objects.create(
            pledge=pledge, amount=100, currency="EUR", due_at=template.due_at, provider="manual"
        )
    client.force_login(people.fiona)
    first = client.get("/finance/payments/").content.decode()
    assert first.count('<tr id="payment-') == 50 and "Page 1 of 2" in first
    assert client.get("/finance/payments/?page=2").content.decode().count('<tr id="payment-') == 12


def test_the_outstanding_csv_lists_what_is_still_owed(people, funded, client):
    funded()
    received = Payment.objects.get(pledge__member=people.alice)
    Payment.objects.filter(pk=received.pk).update(status="received", confirmed_at=timezone.now())
    client.force_login(people.fiona)
    response = client.get("/finance/payments/outstanding.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["backer"], r["amount"], r["status"]) for r in rows] == [("bob", "40.00", "pending")]
    assert rows[0]["reference_code"].startswith("AHHHA-P")


def test_unpaid_pledges_lapse_after_their_due_date_and_the_backer_is_told(people, funded):
    funded()
    Payment.objects.update(due_at=timezone.now() - timedelta(minutes=1))
    Payment.objects.filter(pledge__member=people.alice).update(
        status="received", confirmed_at=timezone.now()
    )
    assert payments_lapse_overdue() == 1
    assert payments_lapse_overdue() == 0  # safe to run again
    assert Payment.objects.get(pledge__member=people.bob).status == "lapsed"
    assert Payment.objects.get(pledge__member=people.alice).status == "received"
    assert people.bob.notifications.filter(kind="payment_lapsed").exists()
    # No points for money that never came; the paid pledge keeps its funding contribution.
    funding = Contribution.objects.filter(kind="funding")
    assert funding.get(member=people.bob).status == "rejected"
    assert funding.get(member=people.alice).status == "approved"
