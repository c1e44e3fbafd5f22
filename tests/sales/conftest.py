from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sales import services
from tests.factories import FUNDED_AT, approve_contribution, give_destination, make_product


@pytest.fixture
def shop(make_user):
    """finance and finance2, a creator, a product in EUR with two contributors."""

    class Shop:
        finance = make_user("fin", role="finance")
        finance2 = make_user("fin2", role="finance")
        creator = make_user("carla")
        alice = make_user("alice")
        bob = make_user("bob")
        outsider = make_user("olga")

    s = Shop()
    s.product = make_product(s.creator, title="Lamp", fee_bp=1500, funded_at=FUNDED_AT)
    approve_contribution(s.product, s.alice, 3)
    approve_contribution(s.product, s.bob, 1)
    for member in (s.creator, s.alice, s.bob):
        give_destination(member)
    s.today = datetime.now(UTC).date()
    s.start = date(2026, 1, 1)
    return s


@pytest.fixture
def import_file(shop, django_capture_on_commit_callbacks):
    """Upload a file and run its import job (in-process, after the commit as a worker would)."""

    def run(content: bytes, fmt: str = "shopify", name: str = "orders_export.csv"):
        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            job = services.sales_import_start(
                product=shop.product, format=fmt, upload=upload, actor=shop.finance
            )
        job.refresh_from_db()
        return job

    return run
