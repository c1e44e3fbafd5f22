"""Taobao/Tmall's order report (订单报表) imported as Taobao writes it: GBK, one row per order,
``="…"`` order numbers. The same report twice counts once; a later report where an order was
closed after payment adds only its refund; a bad row is refused with its row number; a product
not sold in CNY refuses the report whole; the period computed from the lines is their sum."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F, Sum
from django.test import Client
from django.utils import translation

from payouts.models import Period
from sales.messages import import_error_text
from sales.models import ImportJob, SalesLine
from sales.parsing_taobao import order_number, taobao_encoding
from tests.factories import FUNDED_AT, make_product
from tests.sales.taobao import CLOSED, PAID, SHIPPED, SUCCESS, UNPAID, order_row, taobao_file

pytestmark = pytest.mark.django_db

MARCH = [
    # A 20.00 shop coupon: the buyer paid 189.00 of 199.00 goods + 10.00 postage; fee 9.95.
    order_row("3021456789012345", goods="199.00", postage="10.00", paid="189.00", fee="9.95",
              quantity=2, paid_at="2026-01-05 10:15:00"),
    order_row("3021456789012346", status=SHIPPED, goods="59.90", paid_at="2026-01-08 23:59:59"),
    order_row("3021456789012347", status=UNPAID, goods="45.00", paid="0.00", paid_at=""),
    order_row("3021456789012348", status=CLOSED, goods="88.00", postage="6.00",
              paid_at="2026-01-10 09:00:00", closed_because="买家不想买了"),
    order_row("3021456789012349", status=PAID, goods="30.00", quantity=3,
              paid_at="2026-01-12 20:30:00"),
]  # fmt: skip


@pytest.fixture
def cny(shop):
    """The shop's product sells in CNY (the EUR one stays as ``shop.eur``)."""
    shop.eur = shop.product
    shop.product = make_product(shop.creator, title="台灯", currency="CNY", funded_at=FUNDED_AT)
    return shop


def _net() -> int:
    return SalesLine.objects.aggregate(
        net=Sum(F("gross") - F("discounts") - F("refunds") - F("channel_fees"))
    )["net"]


def test_the_report_imported_twice_counts_once_and_a_later_refund_adds_only_it(
    cny, import_file, client_for
):
    first = import_file(taobao_file(*MARCH), fmt="taobao", name="ExportOrderList202601.csv")
    assert (first.status, first.error_code, first.rows, first.lines_added) == ("done", "", 5, 5)
    sale = SalesLine.objects.get(order_id="3021456789012345")
    assert (sale.date.isoformat(), sale.channel, sale.source, sale.currency) == (
        "2026-01-05", "taobao", "taobao", "CNY",
    )  # fmt: skip
    assert (sale.quantity, sale.gross, sale.discounts, sale.channel_fees) == (
        2, 199_00, 20_00, 9_95,
    )  # fmt: skip
    assert not SalesLine.objects.filter(order_id="3021456789012347").exists()  # never paid
    closed = SalesLine.objects.filter(order_id="3021456789012348").order_by("kind")
    assert [(line.kind, line.gross, line.refunds) for line in closed] == [
        ("refund", 0, 88_00), ("sale", 88_00, 0),
    ]  # fmt: skip

    again = import_file(taobao_file(*MARCH), fmt="taobao")
    assert (again.status, again.lines_added, again.lines_known) == ("done", 0, 5)
    # The same report saved as UTF-8 (with a byte-order mark) is the same orders.
    as_utf8 = import_file(taobao_file(*MARCH, encoding="utf-8-sig"), fmt="taobao")
    assert (as_utf8.status, as_utf8.lines_added) == ("done", 0)
    assert _net() == 169_05 + 59_90 + 0 + 30_00

    # A later report: the shipped order was closed after payment (refunded in full).
    later = [*MARCH]
    later[1] = order_row("3021456789012346", status=CLOSED, goods="59.90",
                         paid_at="2026-01-08 23:59:59", closed_because="退款")  # fmt: skip
    assert import_file(taobao_file(*later), fmt="taobao").lines_added == 1
    assert import_file(taobao_file(*later), fmt="taobao").lines_added == 0
    refund = SalesLine.objects.get(order_id="3021456789012346", kind="refund")
    assert (refund.refunds, refund.date) == (59_90, cny.today)

    response = client_for(cny.finance).post(
        f"/api/v1/products/{cny.product.pk}/periods/",
        {"start": "2026-01-01", "end": cny.today.isoformat(), "notes": "淘宝"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    # 199.00 − 20.00 − 9.95 + (59.90 − 59.90) + (88.00 − 88.00) + 30.00 = 199.05
    assert _net() == 199_05
    assert (response.json()["revenue"], response.json()["costs"]) == (199_05, 0)
    assert Period.objects.get().profit == 199_05


def test_a_bad_row_refuses_the_report_with_its_row_number_and_sentence(cny, import_file):
    bad = order_row("3021456789019999", status=SUCCESS, paid_at="2026-02-30 10:00:00")
    job = import_file(taobao_file(MARCH[0], MARCH[1], bad), fmt="taobao")
    assert (job.status, job.error_row, job.error_code) == ("failed", 4, "bad_time")
    assert not SalesLine.objects.exists()  # whole or not at all
    english = import_error_text(code=job.error_code, row=job.error_row, params=job.error_params)
    assert english == (
        "Row 4: 订单付款时间 “2026-02-30 10:00:00” is not a time: it should read like "
        "2026-03-01 12:34:56."
    )
    with translation.override("zh-hans"):
        chinese = import_error_text(code="bad_time", row=4, params=job.error_params)
    assert chinese == (
        "第 4 行：订单付款时间“2026-02-30 10:00:00”不是时间：应形如 2026-03-01 12:34:56。"
    )


def test_a_bad_amount_names_its_column_and_row(cny, import_file):
    bad = order_row("3021456789019998", goods="12.345")
    job = import_file(taobao_file(MARCH[0], bad), fmt="taobao")
    assert (job.status, job.error_row, job.error_code) == ("failed", 3, "bad_amount")
    assert job.error_params["column"] == "买家应付货款"


def test_a_report_without_a_column_it_needs_is_refused(cny, import_file):
    content = taobao_file(*MARCH).decode("gbk").replace("宝贝总数量", "数量", 1).encode("gbk")
    job = import_file(content, fmt="taobao")
    assert (job.status, job.error_row, job.error_code) == ("failed", None, "missing_column")
    assert job.error_params == {"column": "宝贝总数量"}


def test_a_product_not_sold_in_cny_refuses_the_report_whole(shop, import_file):
    job = import_file(taobao_file(*MARCH), fmt="taobao")
    assert (job.status, job.error_row, job.error_code) == ("failed", None, "wrong_currency")
    assert not SalesLine.objects.exists()
    with translation.override("zh-hans"):
        text = import_error_text(code=job.error_code, row=job.error_row, params=job.error_params)
    assert text == "币种是“CNY”，但产品以 EUR 销售：只能导入 EUR 的销售记录。"


def test_the_documented_sample_imports(cny, import_file, settings):
    sample = Path(settings.BASE_DIR) / "docs" / "samples" / "taobao-orders.csv"
    content = sample.read_bytes()
    assert taobao_encoding(content[:4096]) == "gb18030"  # the sample is GBK, as Taobao writes
    job = import_file(content, fmt="taobao", name="ExportOrderList.csv")
    assert (job.status, job.error_code) == ("done", "")
    assert job.lines_added == SalesLine.objects.count() == job.rows


@pytest.mark.parametrize(
    "cell", ['="3021456789012345"', "\t3021456789012345", "'3021456789012345", "3021456789012345"]
)
def test_order_numbers_lose_what_kept_spreadsheets_from_rounding_them(cell):
    assert order_number(cell) == "3021456789012345"


def test_the_api_and_the_sales_page_take_the_report(
    cny, client_for, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    upload = SimpleUploadedFile("ExportOrderList.csv", taobao_file(*MARCH), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cny.finance).post(
            f"/api/v1/products/{cny.product.pk}/sales/imports/",
            {"format": "taobao", "file": upload},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert (job.format, job.status, job.lines_added) == ("taobao", "done", 5)

    page = Client()
    page.force_login(cny.finance)
    html = page.get(f"/products/{cny.product.pk}/sales/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = html.content.decode()
    assert '<option value="taobao">淘宝/天猫订单报表</option>' in text
    assert "淘宝订单报表可为 GBK" in text  # the file field's label
