"""Benchmark: a settlement of N contributors (default 100,000) from closed period through preview
to posted, and its posting step against a plain COPY of the same lines. The job reads the
weights with ``contributions.selectors.contribution_weights`` (the one weights function), writes
the lines, then stages the entries (``payouts.services.settlement_job._stage_credits``, timed on
its own below), each in two halves on two connections. The members' payable accounts are
opened in the setup, as approving each contribution opens them; ``--accounts-at-settlement``
leaves them to the first settlement instead.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ahhha_bench_settlement \
        .venv/bin/python bench/settlement.py [--members 100000] [--keep] \
        [--accounts-at-settlement] [--no-notify]

The database named in DATABASE_URL is dropped and created again (unless --keep) and migrated:
never point it at a database you care about. Prints the figures; asserts nothing.
"""

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import bench_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ahhha_bench_settlement"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    parser.add_argument(
        "--accounts-at-settlement", action="store_true",
        help="leave the members' payable accounts to the first settlement to open (as for "
        "contributions approved before approval opened them); by default the setup opens them "
        "as approving each contribution does",
    )  # fmt: skip
    parser.add_argument(
        "--no-notify", action="store_true",
        help="skip the in-process notifications (bench/notify_bulk.py times them with a worker)",
    )  # fmt: skip
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> None:
    """Environment, database (dropped and created again unless --keep), Django, migrations."""
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    bench_database(DEFAULT_URL, keep=args.keep)


def copy_members(n: int) -> list[int]:
    """``n`` members loaded with COPY; returns their ids."""
    from django.db import connection

    from accounts.models import User

    tag = int(time.time())
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY accounts_user (username, email, password, is_superuser, is_staff, is_active, "
            "date_joined, first_name, last_name, email_verified, display_name, username_skeleton) "
            "FROM STDIN"
        ) as copy:
            for i in range(n):
                copy.write_row(
                    (f"b{tag}_{i}", f"b{tag}_{i}@example.org", "!", False, False, True,
                     "2026-01-01T00:00:00Z", "", "", True, "", f"b{tag}_{i}")
                )  # fmt: skip
    return list(User.objects.filter(username__startswith=f"b{tag}_").values_list("id", flat=True))


def approve_contributions(idea, member_ids: list[int]) -> None:
    """One approved contribution per member, then ANALYZE."""
    from django.db import connection

    # bulk_create (not COPY): the contributions schema belongs to another app and may grow.
    from contributions.models import Contribution

    decided = datetime(2026, 1, 15, 12, tzinfo=UTC)
    for start in range(0, len(member_ids), 5000):  # in slices: setup's memory stays small
        Contribution.objects.bulk_create(
            Contribution(
                idea=idea,
                member_id=member_id,
                kind="design",
                description="bench",
                proposed_points=1 + (i * 7919) % 500,
                points=1 + (i * 7919) % 500,
                status="approved",
                decided_at=decided,
            )  # fmt: skip
            for i, member_id in enumerate(member_ids[start : start + 5000], start)
        )
    try:  # other columns of contributions may be NOT NULL with defaults; ANALYZE either way
        connection.cursor().execute("ANALYZE")
    except Exception:  # noqa: S110 - statistics are a nicety here
        pass


def open_accounts(member_ids: list[int]) -> None:
    """Each member's payable account, as approving their contribution opened it
    (``contributions.hooks.points_approved``); here in one go, not timed."""
    from payouts.services import ledger

    t = time.perf_counter()
    ledger.payable_accounts(currency="EUR", member_ids=member_ids)
    print(f"payable accounts opened as at approval (not timed): {time.perf_counter() - t:.1f} s")


def setup(n: int, *, accounts: bool = True):
    """Two finance users, a product and ``n`` members with approved contributions and, unless
    ``accounts`` is false, their payable accounts (not timed). Returns (finance, finance2,
    product)."""
    from accounts.models import User
    from funding.models import FundingRound, Product
    from ideas.models import Idea, IdeaTransition

    t = time.perf_counter()
    finance = User.objects.create_user("bench_fin", "bf@example.org", "x", is_staff=True)
    finance2 = User.objects.create_user("bench_fin2", "bf2@example.org", "x", is_staff=True)
    creator = User.objects.create_user("bench_creator", "bc@example.org", "x")
    member_ids = copy_members(n)
    idea = Idea.objects.create(
        creator=creator, title="Bench product", summary="s", body="b", status="funded",
    )  # fmt: skip
    terms = FundingRound.objects.create(
        idea=idea, goal=100, currency="EUR", deadline=datetime(2025, 11, 30, tzinfo=UTC),
        platform_fee_bp=1750, points_per_unit=1,
    )  # fmt: skip
    product = Product.objects.create(idea=idea, funding_round=terms, amount_raised=100)
    # Funded before the benchmark's period (a period may not start before the funding day).
    funded_at = datetime(2025, 12, 1, tzinfo=UTC)
    IdeaTransition.objects.create(idea=idea, from_status="funding", to_status="funded")
    IdeaTransition.objects.filter(idea=idea).update(created_at=funded_at)
    Product.objects.filter(pk=product.pk).update(created_at=funded_at)
    approve_contributions(idea, member_ids)
    print(f"setup (not timed): {time.perf_counter() - t:.1f} s")
    if accounts:
        open_accounts(member_ids)
    return finance, finance2, product


def instrument(finance, finance2) -> list[float]:
    """Finance roles, the on-commit tasks held back, and the staging step timed on its own.
    Returns the list the staging times are appended to."""
    from django.contrib.auth.models import Group

    from payouts import tasks
    from payouts.services import settlement_job

    # Posting and notifying are queued on commit; here we call them ourselves to time them.
    queued: list = []
    tasks.settlement_post_task.delay = lambda *a: queued.append(("post", a))
    tasks.settlement_notify_task.delay = lambda *a: queued.append(("notify", a))

    group, _ = Group.objects.get_or_create(name="Finance")
    finance.groups.add(group)
    finance2.groups.add(group)

    # Time phase one's entries (staged inside the preview job, both halves) on their own too.
    staging: list[float] = []
    stage_credits = settlement_job._stage_credits

    def timed_stage_credits(*args):
        t = time.perf_counter()
        try:
            return stage_credits(*args)
        finally:
            staging.append(time.perf_counter() - t)

    settlement_job._stage_credits = timed_stage_credits
    return staging


def memory_mb(field: str) -> float:
    """This process's resident memory (VmRSS) or its peak since the last reset (VmHWM), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_memory() -> float:
    """Forget setup's peak (Linux: clear_refs 5 resets VmHWM); returns the memory now, MB."""
    import gc

    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    return memory_mb("VmRSS")


def period_record(product, finance, month: int):
    """The product's period of ``month`` (1st to 28th), its profit from one approved line of
    revenue and costs dated in it (an adjustment, as a period typed before sales records)."""
    from payouts import services
    from sales.models import CostAdjustment

    CostAdjustment.objects.create(
        product=product, date=date(2026, month, 1), revenue=987_654_321_00, costs=12_345_678_00,
        currency=product.currency, reason="bench", origin="migrated", proposed_by=finance,
        approved_at=datetime.now(UTC),
    )  # fmt: skip
    return services.period_record(
        product=product, start=date(2026, month, 1), end=date(2026, month, 28), actor=finance
    )


def settle(product, finance, finance2, month: int = 1) -> dict:
    """Closed period → preview → posted, timed. Returns the settlement and the timestamps."""
    from payouts import services
    from payouts.models import LedgerEntry, Settlement

    base_mb = reset_peak_memory()
    t0 = time.perf_counter()
    period = period_record(product, finance, month)
    settlement = services.period_settle(period=period, actor=finance)  # runs the job on commit
    t_preview = time.perf_counter()
    settlement.refresh_from_db()
    assert settlement.status == "preview", (settlement.status, settlement.error)
    services.settlement_approve(settlement=settlement, actor=finance2)
    t_approved = time.perf_counter()
    services.settlement_post(settlement_id=settlement.pk)
    t_posted = time.perf_counter()
    settlement = Settlement.objects.get(pk=settlement.pk)
    assert settlement.status == "posted"
    entries = LedgerEntry.objects.filter(transaction__settlement=settlement).count()
    return {
        "settlement": settlement,
        "entries": entries,
        "t0": t0,
        "t_preview": t_preview,
        "t_approved": t_approved,
        "t_posted": t_posted,
        "base_mb": base_mb,
        "peak_mb": memory_mb("VmHWM"),
    }


def copy_baseline(settlement) -> tuple[int, float]:
    """The same lines COPYed into a plain table with no constraints: (line count, seconds)."""
    from django.db import connection

    from payouts.models import LedgerEntry

    rows = list(
        LedgerEntry.objects.filter(transaction__settlement=settlement).values_list(
            "transaction_id", "account_id", "debit", "credit"
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copy_baseline (transaction_id bigint, account_id bigint, "
            "debit bigint, credit bigint)"
        )
        c0 = time.perf_counter()
        with cursor.cursor.copy("COPY copy_baseline FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        c1 = time.perf_counter()
    return len(rows), c1 - c0


def notify(settlement) -> tuple[int, float]:
    """The notifications after posting, every chunk task run here in-process with its e-mails
    (Celery eager): (chunk tasks, seconds). With a real worker: bench/notify_bulk.py."""
    from payouts import services

    t_notify0 = time.perf_counter()
    notified = services.settlement_notify(settlement_id=settlement.pk)
    t_notify1 = time.perf_counter()
    return notified, t_notify1 - t_notify0


def report(run: dict, staging: list[float], copied: int, copy_s: float, notified, notify_s):
    settlement, t0 = run["settlement"], run["t0"]
    t_preview, t_approved, t_posted = run["t_preview"], run["t_approved"], run["t_posted"]
    post_s = t_posted - t_approved
    total = t_posted - t0
    print(
        f"lines in the preview: {settlement.line_count:,}; ledger entries posted: "
        f"{run['entries']:,}"
    )
    print(f"record + close + preview (job): {t_preview - t0:6.2f} s")
    print(f"  of which staging the entries:  {sum(staging):6.2f} s (phase one, in the job)")
    print(f"approve:                        {t_approved - t_preview:6.2f} s")
    print(f"posting step (phase two):       {post_s:6.2f} s")
    print(f"closed period → posted, total:  {total:6.2f} s   (target < 30 s at 1,000,000)")
    print(f"COPY of the same {copied:,} lines into a plain table: {copy_s:.2f} s")
    print(f"staging / COPY = {sum(staging) / copy_s:.2f}×   (target ≤ 8×)")
    print(f"posting / COPY = {post_s / copy_s:.2f}×   (target ≤ 3×)")
    print(f"staging + posting / COPY = {(post_s + sum(staging)) / copy_s:.2f}×   (for reference)")
    print(f"peak memory of the process while it ran the job: {run['peak_mb']:,.0f} MB "
          f"(after setup: {run['base_mb']:,.0f} MB)   (target < 1 GB)")  # fmt: skip
    if notified:
        print(f"notifications after posting: {notified:,} chunk tasks of 5,000 members, each "
              f"written and its e-mails sent in-process: {notify_s:.2f} s "
              "(with a real worker: bench/notify_bulk.py)")  # fmt: skip


def main() -> None:
    args = parse_args()
    prepare(args)
    from django.db import connection

    n = args.members
    print(f"PostgreSQL {connection.cursor().connection.info.server_version}, {n:,} contributors")
    finance, finance2, product = setup(n, accounts=not args.accounts_at_settlement)
    staging = instrument(finance, finance2)
    run = settle(product, finance, finance2)
    if args.accounts_at_settlement:
        print("(this first settlement opened every contributor's payable account itself)")
    copied, copy_s = copy_baseline(run["settlement"])
    notified, notify_s = (0, 0.0) if args.no_notify else notify(run["settlement"])
    report(run, staging, copied, copy_s, notified, notify_s)
    # The product's next period: every contributor already has a payable account.
    staging.clear()
    again = settle(product, finance, finance2, month=2)
    total = again["t_posted"] - again["t0"]
    print(
        f"the next period (accounts exist): closed → posted {total:.2f} s, "
        f"staging {sum(staging):.2f} s = {sum(staging) / copy_s:.2f}× the COPY, "
        f"peak memory {again['peak_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    main()
