"""Benchmark: a settlement's notifications for N members (default 1,000,000), as the worker
writes them: one chunk task per NOTIFY_CHUNK member ids (``payouts.services.posting``), each one
INSERT … ON CONFLICT DO NOTHING RETURNING id and one e-mail task. A tenth of the members read
Chinese, so each chunk renders the message in two languages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ahhha_bench_notify \\
        .venv/bin/python bench/notify_bulk.py [--members 1000000] [--keep]

The database is dropped and created again (unless --keep). Chunk tasks run in-process (as a
worker would run them); the e-mail tasks they queue are counted, not sent. Prints the figures:
the target is 1,000,000 notified in under 60 s. Asserts nothing.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import bench_database  # noqa: E402
from bench.settlement import copy_members  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ahhha_bench_notify"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    bench_database(DEFAULT_URL, keep=args.keep)
    from django.db import transaction

    from accounts.models import User
    from core.phrases import day, said
    from notifications import services as notifications
    from notifications.models import Notification
    from payouts import phrases
    from payouts.services import posting

    t0 = time.perf_counter()
    ids = sorted(copy_members(args.members))
    User.objects.filter(pk__in=ids[::10]).update(language="zh-hans")
    print(f"{len(ids):,} members loaded in {time.perf_counter() - t0:.1f} s")

    queued = []
    notifications.notification_email_task.delay = lambda ids: queued.append(len(ids))
    message = said(
        phrases.SETTLEMENT_POSTED_NOTICE,
        title="Bench lamp",
        start=day(date(2026, 1, 1)),
        end=day(date(2026, 1, 31)),
    )
    chunk = posting.NOTIFY_CHUNK
    Notification.objects.filter(source="settlement:bench").delete()
    t0 = time.perf_counter()
    told = 0
    for offset in range(0, len(ids), chunk):
        with transaction.atomic():  # as a task: its own transaction; e-mails queued on commit
            told += notifications.notify_chunk(
                member_ids=ids[offset : offset + chunk],
                source="settlement:bench",
                kind="settlement_posted",
                message=message,
                url="/me/earnings/",
            )
    seconds = time.perf_counter() - t0
    print(
        f"{told:,} notified in {seconds:.1f} s ({told / seconds:,.0f}/s) in "
        f"{-(-len(ids) // chunk):,} chunk tasks of {chunk:,}; {len(queued):,} e-mail tasks queued "
        f"for {sum(queued):,} messages   (target: 1,000,000 in < 60 s)"
    )
    t0 = time.perf_counter()
    again = sum(
        notifications.notify_chunk(
            member_ids=ids[offset : offset + chunk], source="settlement:bench",
            kind="settlement_posted", message=message,
        )
        for offset in range(0, len(ids), chunk)
    )  # fmt: skip
    print(f"every chunk run again: {again:,} notified twice, {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
