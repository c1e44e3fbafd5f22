"""Benchmark: a sales file of N rows (default 100,000) imported by the import job
(``sales.importing.import_run``, what the Celery task runs), with peak memory; then the same
file again (every order known: counted once), and a Shopify orders export of N rows shaped as
Shopify writes it (two line items per order).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ahhha_bench_sales \
        .venv/bin/python bench/sales_import.py [--rows 100000] [--keep]

The database named in DATABASE_URL is dropped and created again (unless --keep) and migrated:
never point it at a database you care about. Prints the figures; asserts nothing.
"""

import argparse
import csv
import io
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ahhha_bench_sales"


def platform_csv(rows: int) -> bytes:
    out = io.StringIO()
    out.write("order_id,date,channel,quantity,gross,discounts,refunds,channel_fees,currency\n")
    first = date(2026, 1, 1)
    for n in range(rows):
        day = first + timedelta(days=n % 300)
        out.write(f"W-{n},{day},web shop,{1 + n % 3},{29 + n % 70}.90,1.00,0,0.87,EUR\n")
    return out.getvalue().encode()


def shopify_csv(rows: int) -> bytes:
    from tests.sales.shopify import HEADER, order_rows

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for n in range(rows // 2):
        day = date(2026, 1, 1) + timedelta(days=n % 300)
        writer.writerows(order_rows(f"#{n}", day=str(day), items=[(1, "16.00"), (2, "9.50")]))
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    from settlement import memory_mb, reset_peak_memory

    from bench.database import bench_database

    bench_database(DEFAULT_URL, keep=args.keep)
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(ROOT / ".bench-media")

    from accounts.models import User
    from funding.models import FundingRound, Product
    from ideas.models import Idea, IdeaTransition
    from sales import importing, tasks
    from sales.models import ImportJob, SalesLine

    tasks.sales_import_task.delay = lambda *a: None  # we run the job ourselves, timed
    finance = User.objects.create_user("bench_fin", "bf@example.org", "x", is_staff=True)
    creator = User.objects.create_user("bench_creator", "bc@example.org", "x")
    idea = Idea.objects.create(creator=creator, title="Bench", summary="s", body="b",
                               status="funded")  # fmt: skip
    terms = FundingRound.objects.create(
        idea=idea, goal=100, currency="EUR", deadline=datetime(2025, 11, 30, tzinfo=UTC),
        platform_fee_bp=1750, points_per_unit=1,
    )  # fmt: skip
    product = Product.objects.create(idea=idea, funding_round=terms, amount_raised=100)
    IdeaTransition.objects.create(idea=idea, from_status="funding", to_status="funded")
    IdeaTransition.objects.filter(idea=idea).update(created_at=datetime(2025, 12, 1, tzinfo=UTC))

    from sales.services import sales_import_start

    for label, fmt, content in (
        ("platform CSV", "platform", platform_csv(args.rows)),
        ("same file again", "platform", None),
        ("Shopify export", "shopify", shopify_csv(args.rows)),
    ):
        content = content if content is not None else platform_csv(args.rows)
        upload = SimpleUploadedFile("sales.csv", content, content_type="text/csv")
        job = sales_import_start(product=product, format=fmt, upload=upload, actor=finance)
        del content, upload
        base = reset_peak_memory()
        t = time.perf_counter()
        job = importing.import_run(job_id=job.pk)
        took = time.perf_counter() - t
        peak = memory_mb("VmHWM")
        print(
            f"{label}: {job.rows:,} lines read, {job.lines_added:,} added, "
            f"{job.lines_known:,} known, status {job.status} {job.error_code} in {took:.2f} s; "
            f"memory {base:.0f} MB before, peak {peak:.0f} MB (+{peak - base:.0f} MB)"
        )
    print(f"sales lines stored: {SalesLine.objects.count():,}; jobs: {ImportJob.objects.count()}")


if __name__ == "__main__":
    main()
