"""The money pages, who may: the expense form for the team only, finance's queue for finance
only; a revenue-charged expense (a cost of sales) is not held to the funds and is paid out of
the profit pool."""

from datetime import date

import pytest

from payouts.models import AccountKind, LedgerEntry
from products.money.services.expenses import expense_approve, expense_mark_paid, expense_submit
from products.selectors import expenses_charged_to_revenue
from tests.products.conftest import receipt

pytestmark = pytest.mark.django_db


def test_the_expense_form_is_the_teams_and_the_queue_is_finances(people, paid_product, client):
    product = paid_product()
    form, queue = f"/products/{product.pk}/expenses/new/", "/finance/expenses/"
    assert client.get(form).status_code == 302 and client.get(queue).status_code == 302
    client.force_login(people.alice)
    assert client.get(form).status_code == 403 and client.get(queue).status_code == 403
    assert client.post("/finance/expenses/1/approve/").status_code == 403
    client.force_login(people.carla)
    assert client.get(form).status_code == 200 and client.get(queue).status_code == 403
    client.force_login(people.fiona)
    assert client.get(form).status_code == 403
    page = client.get(queue + "?status=submitted&charged_to=funds&product=1")
    assert page.status_code == 200 and "No expenses match." in page.content.decode()
    # The product page shows the budget to anyone.
    client.logout()
    shown = client.get(f"/products/{product.pk}/").content.decode()
    assert 'id="budget-chart"' in shown and "1,000.00" in shown


def test_a_cost_of_sales_is_paid_out_of_the_profit_pool_not_the_funds(people, paid_product):
    product = paid_product()
    expense = expense_submit(
        product=product,
        member=people.carla,
        description="Shipping boxes",
        amount=150_000,
        spent_on=date.today(),
        charged_to="revenue",
        payee_kind="supplier",
        supplier={"name": "Box Co", "kind": "alipay", "account": "13812345678"},
        receipt=receipt(),
    )  # fmt: skip  (more than the funds hold: a cost of sales is not held to them)
    expense_approve(expense=expense, actor=people.fiona)
    expense_mark_paid(expense=expense, actor=people.felix, reference="ALI-9")
    entries = LedgerEntry.objects.filter(transaction__kind="expense")
    assert {(e.account.kind, e.debit, e.credit) for e in entries} == {
        (AccountKind.PROFIT_POOL, 150_000, 0),
        (AccountKind.PRODUCT_SPENT, 0, 150_000),
    }
    assert expense.supplier_account_masked == "138••••5678"
    costs = expenses_charged_to_revenue(product_id=product.pk, start=date.today(), end=date.today())
    assert [c["amount"] for c in costs] == [150_000]
