import pytest

from funding.models import Payment, PaymentStatus
from funding.services import funding_round_close, pledge_create
from tests.factories import idea_in_funding

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(people):
    idea = idea_in_funding(people.carla, people.rita, goal=2_000)
    pledge_create(idea=idea, member=people.alice, amount=2_000)
    funding_round_close(idea=idea, actor=people.rita)
    return Payment.objects.get()


def test_finance_confirms_that_the_money_arrived(people, payment, client_for):
    response = client_for(people.fiona).post(
        f"/api/v1/payments/{payment.pk}/confirm/", {"reference": "SEPA 2026-11-23 #4471"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "received"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RECEIVED
    assert payment.confirmed_by == people.fiona
    assert payment.reference == "SEPA 2026-11-23 #4471"


def test_a_payment_is_confirmed_once(people, payment, client_for):
    client = client_for(people.fiona)
    client.post(f"/api/v1/payments/{payment.pk}/confirm/", {"reference": "A"})
    again = client.post(f"/api/v1/payments/{payment.pk}/confirm/", {"reference": "B"})
    assert again.status_code == 409
    payment.refresh_from_db()
    assert payment.reference == "A"


def test_a_confirmation_needs_a_reference(people, payment, client_for):
    response = client_for(people.fiona).post(f"/api/v1/payments/{payment.pk}/confirm/", {})
    assert response.status_code == 400
    assert "reference" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["anonymous", "backer", "creator", "reviewer"])
def test_only_finance_sees_and_confirms_payments(who, people, payment, client_for):
    user = {"anonymous": None, "backer": people.alice, "creator": people.carla,
            "reviewer": people.rita}[who]  # fmt: skip
    client = client_for(user)
    expected = 401 if user is None else 403
    assert client.get("/api/v1/payments/").status_code == expected
    confirm = client.post(f"/api/v1/payments/{payment.pk}/confirm/", {"reference": "X"})
    assert confirm.status_code == expected
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_finance_lists_the_payments_awaiting_receipt(people, payment, client_for):
    client = client_for(people.fiona)
    listed = client.get("/api/v1/payments/?status=pending").json()
    assert [p["id"] for p in listed["results"]] == [payment.pk]
    assert listed["results"][0]["member_name"] == people.alice.public_name
    assert client.get("/api/v1/payments/?status=lost").status_code == 400
