"""Who may use each sales endpoint (the report and verify.py: anyone)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sales import services
from sales.models import CostAdjustment

pytestmark = pytest.mark.django_db
WHO = [("anonymous", 401), ("alice", 403), ("creator", 403), ("finance", None)]
ORDER = {"order_id": "X-1", "date": "2026-01-05", "quantity": 1, "gross": 10_00,
         "currency": "EUR"}  # fmt: skip


def _as(shop, client_for, who):
    return client_for(None if who == "anonymous" else getattr(shop, who))


@pytest.mark.parametrize("who, code", WHO)
def test_who_may_post_an_order(shop, client_for, who, code):
    response = _as(shop, client_for, who).post(
        f"/api/v1/products/{shop.product.pk}/sales/", ORDER, format="json"
    )
    assert response.status_code == (code or 201)


def test_an_order_in_another_currency_is_a_400_naming_the_field(shop, client_for):
    response = client_for(shop.finance).post(
        f"/api/v1/products/{shop.product.pk}/sales/", {**ORDER, "currency": "USD"}, format="json"
    )
    assert response.status_code == 400 and "currency" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who, code", WHO)
def test_who_may_upload_a_sales_file(shop, client_for, who, code, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    upload = SimpleUploadedFile("s.csv", b"order_id\n", content_type="text/csv")
    response = _as(shop, client_for, who).post(
        f"/api/v1/products/{shop.product.pk}/sales/imports/",
        {"format": "platform", "file": upload},
        format="multipart",
    )
    assert response.status_code == (code or 202)


@pytest.mark.parametrize("who, code", WHO)
def test_who_may_propose_an_adjustment(shop, client_for, who, code):
    response = _as(shop, client_for, who).post(
        f"/api/v1/products/{shop.product.pk}/adjustments/",
        {"date": "2026-01-05", "side": "costs", "amount": 5_00, "reason": "Pallets"},
        format="json",
    )
    assert response.status_code == (code or 201)


@pytest.mark.parametrize(
    "who, code", [("anonymous", 401), ("alice", 403), ("finance", 403), ("finance2", 200)]
)
def test_a_second_finance_member_approves_an_adjustment(shop, client_for, who, code):
    adjustment = services.adjustment_propose(
        product=shop.product, day=date(2026, 1, 5), side="costs", amount=5_00,
        reason="Pallets", actor=shop.finance,
    )  # fmt: skip
    response = _as(shop, client_for, who).post(f"/api/v1/adjustments/{adjustment.pk}/approve/")
    assert response.status_code == code
    adjustment.refresh_from_db()
    assert (adjustment.approved_by_id is not None) == (code == 200)


def test_an_unapproved_adjustment_does_not_count(shop):
    services.adjustment_propose(
        product=shop.product, day=date(2026, 1, 5), side="costs", amount=5_00,
        reason="Pallets", actor=shop.finance,
    )  # fmt: skip
    period = services.period_compute(
        product=shop.product, start=date(2026, 1, 1), end=date(2026, 1, 31), notes="",
        actor=shop.finance,
    )  # fmt: skip
    assert (period.costs, CostAdjustment.objects.count()) == (0, 1)


@pytest.mark.parametrize("who, code", WHO)
def test_who_may_see_the_lines_behind_a_period(shop, client_for, who, code):
    period = services.period_compute(
        product=shop.product, start=date(2026, 1, 1), end=date(2026, 1, 31), notes="",
        actor=shop.finance,
    )  # fmt: skip
    response = _as(shop, client_for, who).get(f"/api/v1/periods/{period.pk}/lines/")
    assert response.status_code == (code or 200)


@pytest.mark.parametrize("who", ["anonymous", "alice", "finance"])
def test_anyone_downloads_verify_py(shop, client, who):
    if who != "anonymous":
        client.force_login(getattr(shop, who))
    assert client.get("/verify.py").status_code == 200


@pytest.mark.parametrize(
    "who, profit, sales",
    [("anonymous", False, False), ("outsider", False, False), ("alice", True, False),
     ("creator", True, False), ("finance", True, True)],
)  # fmt: skip
def test_the_product_page_links_the_money_pages_its_reader_may_open(
    shop, client, who, profit, sales
):
    if who != "anonymous":
        client.force_login(getattr(shop, who))
    page = client.get(f"/products/{shop.product.pk}/").content.decode()
    profit_url, sales_url = (f"/products/{shop.product.pk}/{p}/" for p in ("profit", "sales"))
    assert (f'href="{profit_url}"' in page) is profit
    assert (f'href="{sales_url}"' in page) is sales
    if profit:  # and the link opens
        assert client.get(profit_url).status_code == 200
