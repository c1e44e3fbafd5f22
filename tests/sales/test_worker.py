"""A sales file imported by a real Celery worker (Redis, PostgreSQL), as on the site: the job
is queued after the commit, the worker imports it whole and the job says so."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sales import services
from sales.models import ImportJob, SalesLine
from tests.payouts.test_worker import _wait_for, broker, start_worker  # noqa: F401 - fixtures
from tests.sales.shopify import order_rows, shopify_file

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_imports_a_shopify_export(shop, start_worker, settings, monkeypatch):  # noqa: F811
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker reads the upload
    start_worker()
    content = shopify_file(
        order_rows("#1", day="2026-01-03", items=[(2, "20.00"), (1, "5.00")]),
        order_rows("#2", day="2026-01-04", items=[(1, "9.99")]),
    )
    job = services.sales_import_start(
        product=shop.product, format="shopify", actor=shop.finance,
        upload=SimpleUploadedFile("orders_export.csv", content, content_type="text/csv"),
    )  # fmt: skip
    _wait_for(
        lambda: ImportJob.objects.get(pk=job.pk).status in ("done", "failed"),
        what="the import job",
    )
    job.refresh_from_db()
    assert (job.status, job.progress, job.lines_added) == ("done", 100, 2)
    assert sorted(SalesLine.objects.values_list("order_id", "gross")) == [
        ("#1", 45_00), ("#2", 9_99),
    ]  # fmt: skip
