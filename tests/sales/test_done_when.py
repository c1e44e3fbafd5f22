"""Issue 28's first done-when: a Shopify-shaped file imported twice counts once, a later refund
file adds its refund line, an API order sent twice with one key counts once, and the period
computed from them equals the sum of the lines to the cent."""

import pytest
from django.db.models import F, Sum

from payouts.models import Period
from sales.models import SalesLine
from tests.sales.shopify import order_rows, shopify_file

pytestmark = pytest.mark.django_db

JANUARY = [
    order_rows("#1001", day="2026-01-03", items=[(2, "16.00"), (1, "20.00")], discount="5.00"),
    order_rows("#1002", day="2026-01-10", items=[(1, "25.00")]),
    order_rows("#1003", day="2026-01-12", items=[(1, "30.00")], status="pending"),  # no money
]


def _order(key: str) -> dict:
    return {
        "order_id": "A-7",
        "date": "2026-01-20",
        "channel": "pop-up",
        "quantity": 3,
        "gross": 90_00,
        "discounts": 10_00,
        "channel_fees": 2_50,
        "currency": "EUR",
    }


def test_imports_and_api_orders_count_once_and_the_period_is_their_sum(
    shop, import_file, client_for
):
    first = import_file(shopify_file(*JANUARY))
    assert (first.status, first.lines_added, first.error_code) == ("done", 2, "")
    again = import_file(shopify_file(*JANUARY))  # the same export, uploaded twice
    assert (again.status, again.lines_added, again.lines_known) == ("done", 0, 2)
    sale = SalesLine.objects.get(order_id="#1001")
    assert (sale.quantity, sale.gross, sale.discounts, sale.refunds) == (3, 52_00, 5_00, 0)

    # A later export: #1002 was refunded in part; imported twice, it is one refund line.
    later = [JANUARY[0], order_rows("#1002", day="2026-01-10", items=[(1, "25.00")],
                                    refunded="10.00", status="partially_refunded")]  # fmt: skip
    assert import_file(shopify_file(*later)).lines_added == 1
    assert import_file(shopify_file(*later)).lines_added == 0
    refund = SalesLine.objects.get(order_id="#1002", kind="refund")
    assert (refund.refunds, refund.date) == (10_00, shop.today)

    api = client_for(shop.finance)
    url = f"/api/v1/products/{shop.product.pk}/sales/"
    one = api.post(url, _order("k"), format="json", HTTP_IDEMPOTENCY_KEY="order-A-7")
    two = api.post(url, _order("k"), format="json", HTTP_IDEMPOTENCY_KEY="order-A-7")
    assert (one.status_code, two.status_code) == (201, 201)
    assert two.headers.get("Idempotent-Replayed") == "true"
    # The same order under another key is still one line.
    assert api.post(url, _order("k"), format="json", HTTP_IDEMPOTENCY_KEY="x").status_code == 200
    assert SalesLine.objects.filter(order_id="A-7").count() == 1

    response = api.post(
        f"/api/v1/products/{shop.product.pk}/periods/",
        {"start": shop.start.isoformat(), "end": shop.today.isoformat(), "notes": "Year to date"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    sums = SalesLine.objects.aggregate(
        net=Sum(F("gross") - F("discounts") - F("refunds") - F("channel_fees"))
    )
    # 52.00 − 5.00 + 25.00 − 10.00 + 90.00 − 10.00 − 2.50 = 139.50
    assert sums["net"] == 139_50
    assert (response.json()["revenue"], response.json()["costs"]) == (139_50, 0)
    assert Period.objects.get().profit == 139_50

    lines = api.get(f"/api/v1/periods/{response.json()['id']}/lines/").json()
    assert {c["channel"]: c["net"] for c in lines["sales"]} == {"pop-up": 77_50, "shopify": 62_00}


def test_a_bad_row_refuses_the_whole_file_with_its_row_number(shop, import_file):
    bad = order_rows("#2002", day="2026-01-10", items=[(1, "25.00")], currency="USD")
    job = import_file(shopify_file(JANUARY[0], JANUARY[1], bad))
    assert (job.status, job.error_row, job.error_code) == ("failed", 5, "wrong_currency")
    assert not SalesLine.objects.exists()  # whole or not at all
    from sales.messages import import_error_text

    text = import_error_text(code=job.error_code, row=job.error_row, params=job.error_params)
    assert text.startswith("Row 5: ") and "EUR" in text


def test_the_platform_csv_imports_its_documented_sample(shop, import_file, settings):
    from pathlib import Path

    sample = Path(settings.BASE_DIR) / "docs" / "samples" / "sales-import.csv"
    job = import_file(sample.read_bytes(), fmt="platform", name="sales.csv")
    assert (job.status, job.error_code) == ("done", "")
    assert job.lines_added == SalesLine.objects.count() == job.rows


def test_a_bad_amount_in_the_platform_csv_names_its_row(shop, import_file):
    content = (
        b"order_id,date,channel,quantity,gross,discounts,refunds,channel_fees,currency\n"
        b"W-1,2026-01-02,web,1,10.00,0,0,0.30,EUR\n"
        b"W-2,2026-01-02,web,1,10.005,0,0,0.30,EUR\n"
    )
    job = import_file(content, fmt="platform", name="sales.csv")
    assert (job.status, job.error_row, job.error_code) == ("failed", 3, "bad_amount")
    assert not SalesLine.objects.exists()
