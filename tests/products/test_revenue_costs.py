"""products.selectors.expenses_charged_to_revenue: the product's costs of sales for a period."""

import hashlib
from datetime import date

from django.core.files.base import ContentFile

from products.models import Expense
from products.selectors import expenses_charged_to_revenue
from tests.factories import make_product

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _expense(product, creator, *, on, amount, charged_to="revenue", status="approved", **kw):
    expense = Expense(
        product=product,
        submitted_by=creator,
        spent_on=on,
        description=f"Parts bought {on}",
        amount=amount,
        currency=product.currency,
        charged_to=charged_to,
        payee_kind="supplier",
        supplier_name="Acme GmbH",
        receipt_mime="application/pdf",
        receipt_size=len(PDF),
        receipt_sha256=hashlib.sha256(PDF).hexdigest(),
        status=status,
        **kw,
    )
    expense.receipt.save("receipt.pdf", ContentFile(PDF), save=False)
    expense.save()
    return expense


def test_only_approved_or_paid_revenue_expenses_in_the_period_are_costs(make_user):
    carla = make_user("carla")
    product = make_product(carla)
    inside = _expense(product, carla, on=date(2026, 3, 1), amount=12_345)
    last_day = _expense(product, carla, on=date(2026, 3, 31), amount=5, status="paid")
    _expense(product, carla, on=date(2026, 4, 1), amount=7)  # after the period
    _expense(product, carla, on=date(2026, 3, 2), amount=9, charged_to="funds")
    _expense(product, carla, on=date(2026, 3, 3), amount=11, status="submitted")
    _expense(product, carla, on=date(2026, 3, 4), amount=13, status="rejected")

    costs = expenses_charged_to_revenue(
        product_id=product.pk, start=date(2026, 3, 1), end=date(2026, 3, 31)
    )

    assert [c["id"] for c in costs] == [inside.pk, last_day.pk]
    assert costs[0] == {
        "id": inside.pk,
        "date": date(2026, 3, 1),
        "description": "Parts bought 2026-03-01",
        "amount": 12_345,
        "currency": "EUR",
        "receipt_sha256": hashlib.sha256(PDF).hexdigest(),
    }
    assert sum(c["amount"] for c in costs) == 12_350
