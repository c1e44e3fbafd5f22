"""The money API, who may: the budget is public; expenses are submitted by the team only,
decided by finance (never the submitter), paid by a second finance member; receipts for backers,
contributors, the team, reviewers and finance, never the public; refunds by who asks."""

import pytest

from products.models import Expense
from tests.products.conftest import JPEG, PDF, PNG, receipt

pytestmark = pytest.mark.django_db

SUPPLIER = {
    "payee_kind": "supplier",
    "supplier_name": "Acme GmbH",
    "supplier_account_kind": "iban",
    "supplier_account": "DE89 3704 0044 0532 0130 00",
}


def submit(client, product, amount=20_000, content=PDF, **extra):
    data = {
        "description": "Moulds for the prototype",
        "amount": amount,
        "spent_on": "2026-11-30",
        "charged_to": "funds",
        **SUPPLIER,
        "receipt": receipt(content),
        **extra,
    }
    return client.post(f"/api/v1/products/{product.pk}/expenses/", data, format="multipart")


def test_the_budget_is_public_and_read_from_the_ledger(people, paid_product, spend, client_for):
    product = paid_product()
    spend(product, 12_345)
    answer = client_for(None).get(f"/api/v1/products/{product.pk}/budget/")
    assert answer.status_code == 200
    assert answer.json() == {
        "product_id": product.pk,
        "currency": "EUR",
        "raised": 100_000,
        "collected": 100_000,
        "spent": 12_345,
        "committed": 0,
        "refunded": 0,
        "available": 87_655,
    }


def test_only_the_team_submits_and_receipts_are_checked_by_content(
    people, paid_product, client_for
):
    product = paid_product()
    for who in (None, people.alice, people.fiona, people.rita):
        assert submit(client_for(who), product).status_code in (401, 403)
    creator = client_for(people.carla)
    for content in (PDF, PNG, JPEG):
        assert submit(creator, product, amount=100, content=content).status_code == 201
    fake = submit(creator, product, content=b"MZ\x90\x00 not a pdf at all" * 10)
    assert fake.status_code == 400 and "receipt" in fake.json()["error"]["fields"]
    bad_iban = submit(creator, product, supplier_account="DE00 0000 0000 0000 0000 00")
    assert bad_iban.status_code == 400
    assert Expense.objects.count() == 3


def test_an_overdraw_is_refused_with_how_much_is_left(people, paid_product, client_for):
    product = paid_product()
    answer = submit(client_for(people.carla), product, amount=100_001)
    assert answer.status_code == 409
    assert answer.json()["error"]["message"] == (
        "This expense would overdraw the product's funds: only 1,000.00 EUR is left to spend."
    )


def test_four_eyes_submitter_never_decides_and_a_second_finance_member_pays(
    people, paid_product, client_for
):
    product = paid_product()
    from accounts.services import role_grant

    role_grant(user=people.carla, role="finance")  # a creator who is also finance staff
    expense = submit(client_for(people.carla), product).json()
    url = f"/api/v1/expenses/{expense['id']}/"
    assert client_for(people.carla).post(url + "approve/").status_code == 403
    assert client_for(people.alice).post(url + "approve/").status_code == 403
    assert client_for(None).post(url + "approve/").status_code in (401, 403)
    assert client_for(people.fiona).post(url + "mark-paid/", {"reference": "x"}).status_code == 409
    assert client_for(people.fiona).post(url + "approve/").json()["status"] == "approved"
    assert client_for(people.felix).post(url + "reject/", {"reason": "no"}).status_code == 409
    assert client_for(people.fiona).post(url + "mark-paid/", {"reference": "x"}).status_code == 403
    assert client_for(people.carla).post(url + "mark-paid/", {"reference": "x"}).status_code == 403
    assert client_for(people.felix).post(url + "mark-paid/", {}).status_code == 400
    paid = client_for(people.felix).post(url + "mark-paid/", {"reference": "SEPA-7"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    budget = client_for(None).get(f"/api/v1/products/{product.pk}/budget/").json()
    assert (budget["spent"], budget["committed"], budget["available"]) == (20_000, 0, 80_000)


def test_a_rejection_needs_a_reason_and_tells_the_submitter(people, paid_product, client_for):
    product = paid_product()
    expense = submit(client_for(people.carla), product).json()
    url = f"/api/v1/expenses/{expense['id']}/reject/"
    assert client_for(people.fiona).post(url, {"reason": " "}).status_code == 400
    answer = client_for(people.fiona).post(url, {"reason": "The receipt is unreadable."})
    assert answer.json()["status"] == "rejected"
    assert answer.json()["reject_reason"] == "The receipt is unreadable."


def test_receipts_for_backers_contributors_reviewers_finance_never_the_public(
    people, paid_product, client_for
):
    product = paid_product()
    expense = submit(client_for(people.carla), product).json()
    url = f"/api/v1/expenses/{expense['id']}/receipt/"
    for who in (people.alice, people.carla, people.rita, people.fiona):
        answer = client_for(who).get(url)
        assert answer.status_code == 200, who
        assert b"".join(answer.streaming_content) == PDF
        assert answer["Content-Type"] == "application/pdf"
    assert client_for(people.dora).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 404
    listed = client_for(None).get(f"/api/v1/products/{product.pk}/expenses/").json()
    assert listed["results"][0]["receipt_url"] is None
    assert listed["results"][0]["payee"] == "Acme GmbH"  # amounts and payees are public
    seen = client_for(people.alice).get(f"/api/v1/products/{product.pk}/expenses/").json()
    assert seen["results"][0]["receipt_url"] == url
    # The file is never served as plain media.
    assert client_for(None).get("/media/receipts/").status_code == 404


def test_refunds_finance_and_reviewers_see_all_a_backer_their_own(
    people, paid_product, spend, client_for, django_capture_on_commit_callbacks
):
    from products.money.services.refunds import refunds_start

    product = paid_product()
    with django_capture_on_commit_callbacks(execute=True):
        refunds_start(product=product, abandonment_id=1)
    url = f"/api/v1/products/{product.pk}/refunds/"
    assert len(client_for(people.fiona).get(url).json()) == 3
    assert len(client_for(people.rita).get(url).json()) == 3
    mine = client_for(people.bob).get(url).json()
    assert [(r["member"], r["amount"]) for r in mine] == [("bob", 30_000)]
    assert client_for(people.dora).get(url).json() == []
    assert client_for(None).get(url).status_code in (401, 403)
    refund_id = mine[0]["id"]
    confirm = f"/api/v1/refunds/{refund_id}/confirm/"
    assert client_for(people.bob).post(confirm, {"reference": "x"}).status_code == 403
    done = client_for(people.felix).post(confirm, {"reference": "back-1"})
    assert done.status_code == 200 and done.json()["status"] == "refunded"
    assert client_for(people.felix).post(confirm, {"reference": "back-1"}).status_code == 409
