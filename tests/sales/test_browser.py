"""The sales pages in a real browser: finance imports a Shopify export and watches its progress
bar end, a contributor reads the product's profit and loss; axe finds nothing at 1280 and 375 px,
and the pages do not scroll sideways on a phone."""

from datetime import date

import pytest

from payouts import services as payouts_services
from sales import services
from tests.a11y import assert_accessible
from tests.helpers import browser_login
from tests.sales.shopify import order_rows, shopify_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [(1280, 800), (375, 740)]


def test_finance_imports_a_shopify_export_and_sees_it_done(shop, page, tmp_path):
    export = tmp_path / "orders_export.csv"
    export.write_bytes(shopify_file(order_rows("#1", day="2026-01-03", items=[(2, "20.00")])))
    browser_login(page, "fin")
    page.goto(f"/products/{shop.product.pk}/sales/")
    page.select_option("#id_format", "shopify")
    page.set_input_files("#id_file", str(export))
    page.click("#upload-form button[type=submit]")
    page.locator("li.job[data-status=done]").wait_for()
    assert "1 lines added" in page.locator("li.job").first.inner_text()
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, f"sales page at {width} px")


def test_a_contributor_reads_the_profit_and_loss(shop, page, import_file):
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
    browser_login(page, "alice")
    page.goto(f"/products/{shop.product.pk}/profit/")
    assert "999.99" in page.locator("table.pl-table").inner_text()
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, f"profit and loss at {width} px")
