"""The P&L page, finance's sales page and the period lines cost the same number of queries with
3 periods (and adjustments) as with 30: nothing is read period by period."""

from datetime import date, timedelta

import pytest
from django.test import Client

from payouts.models import Period
from sales import services
from tests.helpers import api_client_as, queries_for

pytestmark = pytest.mark.django_db
FIRST = date(2025, 12, 2)


def _grow(shop, start: int, end: int) -> None:
    """Periods ``start``..``end - 1`` (three days each), each with an approved and a pending
    adjustment and a sales line."""
    for n in range(start, end):
        begin = FIRST + timedelta(days=3 * n)
        services.sales_line_record(
            product=shop.product, actor=shop.finance, channel="web", order_id=f"W-{n}",
            date=begin, quantity=1, gross=2_000, discounts=0, refunds=0, channel_fees=50,
            currency="EUR",
        )  # fmt: skip
        approved = services.adjustment_propose(
            product=shop.product, day=begin, side="costs", amount=100, reason=f"Fees {n}",
            actor=shop.finance,
        )  # fmt: skip
        services.adjustment_approve(adjustment=approved, actor=shop.finance2)
        services.adjustment_propose(
            product=shop.product, day=begin + timedelta(days=1), side="revenue", amount=10,
            reason=f"Pending {n}", actor=shop.finance,
        )  # fmt: skip
        services.period_compute(
            product=shop.product, start=begin, end=begin + timedelta(days=2), notes="",
            actor=shop.finance,
        )  # fmt: skip


def _counts(shop) -> dict[str, int]:
    creator, finance = Client(), Client()
    creator.force_login(shop.creator)
    finance.force_login(shop.finance)
    product = shop.product.pk
    period = Period.objects.filter(product=shop.product).latest("start").pk
    lines = f"/api/v1/periods/{period}/lines/"
    return {
        "profit page": queries_for(creator, f"/products/{product}/profit/"),
        "sales page": queries_for(finance, f"/products/{product}/sales/"),
        "api period lines": queries_for(api_client_as(shop.finance), lines),
    }


def test_the_sales_pages_cost_the_same_with_3_periods_as_with_30(shop):
    _grow(shop, 0, 3)
    few = _counts(shop)
    html = Client()
    html.force_login(shop.creator)
    page = html.get(f"/products/{shop.product.pk}/profit/").content.decode()
    assert "Fees 2" in page and "Sales, web: 1 lines" in page
    _grow(shop, 3, 30)
    many = _counts(shop)
    assert many == few
