"""The product's profit and loss page (its people only) and finance's sales page."""

from datetime import date

import pytest
from django.test import Client

from payouts import services as payouts_services
from sales import services
from tests.factories import make_user
from tests.sales.shopify import order_rows, shopify_file

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def posted(shop, import_file):
    import_file(shopify_file(order_rows("#1", day="2026-01-03", items=[(3, "333.33")])))
    period = services.period_compute(
        product=shop.product, start=date(2026, 1, 1), end=date(2026, 1, 31), notes="",
        actor=shop.finance,
    )  # fmt: skip
    settlement = payouts_services.period_settle(period=period, actor=shop.finance)
    payouts_services.settlement_run(settlement_id=settlement.pk)
    settlement.refresh_from_db()
    payouts_services.settlement_approve(settlement=settlement, actor=shop.finance2)
    payouts_services.settlement_post(settlement_id=settlement.pk)
    return settlement


@pytest.mark.parametrize(
    "who, code",
    [("anonymous", 302), ("outsider", 403), ("alice", 200), ("creator", 200), ("finance", 200)],
)
def test_who_may_see_the_profit_and_loss(shop, posted, who, code):
    user = None if who == "anonymous" else getattr(shop, who)
    response = _client(user).get(f"/products/{shop.product.pk}/profit/")
    assert response.status_code == code
    if code == 200:
        html = response.content.decode()
        assert "999.99" in html and f"/api/v1/settlements/{posted.pk}/report.json" in html


def test_a_contributor_sees_their_share_of_each_period(shop, posted):
    html = _client(shop.alice).get(f"/products/{shop.product.pk}/profit/").content.decode()
    share = posted.lines.get(member=shop.alice).amount
    assert f"{share // 100:,}.{share % 100:02d}" in html


def test_a_backer_sees_the_profit_and_loss(shop, posted):
    from funding.models import Pledge, PledgeStatus

    backer = make_user("benny")
    Pledge.objects.create(idea=shop.product.idea, member=backer, amount=10_00, currency="EUR",
                          status=PledgeStatus.COLLECTED)  # fmt: skip
    assert _client(backer).get(f"/products/{shop.product.pk}/profit/").status_code == 200


@pytest.mark.parametrize(
    "who, code", [("anonymous", 302), ("alice", 403), ("creator", 403), ("finance", 200)]
)
def test_who_may_use_the_sales_page(shop, who, code):
    user = None if who == "anonymous" else getattr(shop, who)
    assert _client(user).get(f"/products/{shop.product.pk}/sales/").status_code == code
