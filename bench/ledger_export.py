"""Benchmark: the ledger exports of N rows (default 1,000,000) from a real server process.

CSV: streamed, against ``psql -c "COPY (…same query…) TO STDOUT"`` in the same run. XLSX:
written row by row as the rows are read (xlsxwriter's constant-memory mode, to a temporary file
the response then streams; a new sheet past a sheet's 1,048,576 rows), against a plain script
writing the same rows with the same library from a server-side cursor, in the same run. For
both, the server worker's memory is watched while it answers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ahhha_bench_ledger \
        .venv/bin/python bench/ledger_export.py [--rows 1000000] [--keep] [--port 8103] \
        [--formats csv,xlsx]

The database named in DATABASE_URL is dropped and created again (unless --keep) and filled:
never point it at a database you care about. Prints the figures; asserts nothing.
"""

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import bench_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ahhha_bench_ledger"


def fill_product():
    """A finance member and a funded product. Returns (finance, product)."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import role_grant
    from funding.models import FundingRound, Product
    from ideas.models import Idea

    finance = User.objects.create_user("bench_fin", "bf@example.org", "x")
    role_grant(user=finance, role="finance")
    creator = User.objects.create_user("bench_creator", "bc@example.org", "x")
    idea = Idea.objects.create(
        creator=creator, title="Bench lamp, \"quoted\"", summary="s", body="b",
        status="funded",
    )  # fmt: skip
    terms = FundingRound.objects.create(
        idea=idea, goal=100, currency="EUR", deadline=timezone.now(), platform_fee_bp=1500,
        points_per_unit=1,
    )  # fmt: skip
    product = Product.objects.create(idea=idea, funding_round=terms, amount_raised=100)
    return finance, product


def fill_members(count: int) -> None:
    """``count`` members, each with a payable account."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (username, email, password, is_superuser, is_staff, "
            "is_active, date_joined, first_name, last_name, email_verified, display_name, "
            "username_skeleton) "
            "SELECT 'm' || i, 'm' || i || '@example.org', '!', false, false, true, now(), "
            "'', '', true, 'Member ' || i, 'm' || i FROM generate_series(1, %s) AS i",
            [count],
        )
        cursor.execute(
            "INSERT INTO payouts_account (kind, currency, member_id) "
            "SELECT 'member_payable', 'EUR', id FROM accounts_user WHERE username LIKE 'm%%'"
        )


def fill(rows: int) -> str:
    """A product, members with payable accounts, and settlement transactions of 10,000 entries
    each (staged, then posted) until the ledger holds ``rows`` entries. Returns a token."""
    from django.db import connection
    from django.utils import timezone

    from accounts.services import token_issue
    from payouts.models import Account, LedgerTransaction

    finance, product = fill_product()
    per_tx = 10_000
    fill_members(per_tx - 1)
    pool = Account.objects.create(kind="profit_pool", currency="EUR", product=product)
    made = 0
    while made < rows:
        tx = LedgerTransaction.objects.create(
            kind="settlement", currency="EUR", product=product, description="bench"
        )
        with connection.cursor() as cursor:
            # Credits of 1.00–10.00 to every member, and the pool's debit for their sum.
            cursor.execute(
                "INSERT INTO payouts_ledgerentry (transaction_id, account_id, debit, credit) "
                "SELECT %s, id, 0, 100 + (id %% 900) FROM payouts_account "
                "WHERE kind = 'member_payable' ORDER BY id",
                [tx.pk],
            )
            cursor.execute(
                "INSERT INTO payouts_ledgerentry (transaction_id, account_id, debit, credit) "
                "SELECT %s, %s, sum(credit), 0 FROM payouts_ledgerentry WHERE transaction_id = %s",
                [tx.pk, pool.pk, tx.pk],
            )
        LedgerTransaction.objects.filter(pk=tx.pk).update(posted_at=timezone.now())
        made += per_tx
    connection.cursor().execute("VACUUM ANALYZE")
    return token_issue(member=finance, name="bench")[1]


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--formats", default="csv,xlsx")
    return parser.parse_args()


def prepare(args: argparse.Namespace) -> tuple[str, str, int]:
    """Environment, database (dropped and created again unless --keep), Django, migrations and
    the ledger filled. Returns (database URL, finance token, posted ledger entries)."""
    url = bench_database(DEFAULT_URL, keep=args.keep)
    from accounts.models import User
    from accounts.services import token_issue
    from payouts.models import LedgerEntry

    if not args.keep or not LedgerEntry.objects.exists():
        t = time.perf_counter()
        token = fill(args.rows)
        print(f"setup (not timed): {time.perf_counter() - t:.1f} s")
    else:
        token = token_issue(member=User.objects.get(username="bench_fin"), name="bench")[1]
    total = LedgerEntry.objects.filter(transaction__posted_at__isnull=False).count()
    print(f"ledger entries: {total:,}")
    return url, token, total


def time_psql_copy(url: str) -> float:
    """psql COPY of the same query the export runs, to /dev/null: seconds."""
    from django.db import connection
    from psycopg import ClientCursor

    from payouts import exports

    sql, params = exports.ledger_copy_sql(exports.LedgerFilters())
    with connection.cursor() as cursor:
        statement = ClientCursor(cursor.cursor.connection).mogrify(sql, params) if params else sql
    statement = " ".join(statement.split())
    psql = shutil.which("psql") or "psql"
    copy_cmd = [psql, url, "-c", f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER true)"]
    t = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(copy_cmd, stdout=sink, check=True)
    psql_s = time.perf_counter() - t
    connection.close()
    return psql_s


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "1", "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", "1", "-b",
         f"127.0.0.1:{port}", "--timeout", "1800", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip


def wait_for_worker(server: subprocess.Popen, port: int) -> int:
    """Wait until the server answers; returns its worker's pid."""
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return int(children[0])


def warm(conn: http.client.HTTPConnection, token: str) -> None:
    """Warm the worker (imports, connection) with a tiny export first."""
    conn.request(
        "GET", "/api/v1/ledger/export.csv?account=paid_out",
        headers={"Authorization": f"Token {token}"},
    )  # fmt: skip
    conn.getresponse().read()
    conn.request(
        "GET", "/api/v1/ledger/export.csv?member=1", headers={"Authorization": f"Token {token}"}
    )
    conn.getresponse().read()


def time_plain_xlsx() -> tuple[int, float]:
    """A plain script: the same rows from a server-side cursor, written as they come with
    xlsxwriter's constant-memory mode (``write_row``) to a temporary file. (rows, seconds)."""
    import tempfile

    import xlsxwriter
    from django.db import connection, transaction

    from payouts import exports

    sql, params = exports.ledger_copy_sql(exports.LedgerFilters())
    t = time.perf_counter()
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    book = xlsxwriter.Workbook(handle, {"constant_memory": True})
    sheet = book.add_worksheet("Ledger")
    sheet.write_row(0, 0, exports.COLUMNS)
    rows = 0
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="plain_xlsx") as cursor:
        cursor.itersize = 5000
        cursor.execute(sql, params)
        for row in cursor:
            rows += 1
            sheet.write_row(rows, 0, row)
    book.close()
    handle.close()
    seconds = time.perf_counter() - t
    connection.close()
    return rows, seconds


def stream_export(
    conn: http.client.HTTPConnection, worker: int, token: str, fmt: str = "csv"
) -> dict:
    """The whole export, read to the end while the worker's RSS is watched."""
    before = rss_kb(worker)
    peak = [before]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(worker))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    t = time.perf_counter()
    conn.request("GET", f"/api/v1/ledger/export.{fmt}", headers={"Authorization": f"Token {token}"})
    response = conn.getresponse()
    assert response.status == 200, response.status
    lines = size = 0
    while chunk := response.read(256 * 1024):
        lines += chunk.count(b"\n")
        size += len(chunk)
    http_s = time.perf_counter() - t
    done.set()
    watcher.join()
    peak[0] = max(peak[0], rss_kb(worker))
    return {"lines": lines, "size": size, "http_s": http_s, "before": before, "peak": peak[0]}


def report(total: int, psql_s: float, streamed: dict) -> None:
    rows, size, http_s = streamed["lines"] - 1, streamed["size"], streamed["http_s"]
    before, peak = streamed["before"], streamed["peak"]
    print(f"psql COPY … TO STDOUT: {total:,} rows in {psql_s:.2f} s = {total / psql_s:,.0f} rows/s")
    print(
        f"GET /api/v1/ledger/export.csv: {rows:,} rows, {size / 1e6:.0f} MB in {http_s:.2f} s "
        f"= {rows / http_s:,.0f} rows/s"
    )
    print(f"export / psql = {psql_s / http_s:.2f}   (target ≥ 0.5)")
    print(
        f"server worker RSS: {before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB while "
        f"streaming: +{(peak - before) / 1024:.1f} MB   (target < 100 MB)"
    )


def report_xlsx(total: int, plain: tuple[int, float], served: dict) -> None:
    rows, plain_s = plain
    http_s, before, peak = served["http_s"], served["before"], served["peak"]
    print(
        f"plain xlsxwriter script: {rows:,} rows in {plain_s:.2f} s = {rows / plain_s:,.0f} rows/s"
    )
    print(
        f"GET /api/v1/ledger/export.xlsx: {total:,} rows, {served['size'] / 1e6:.0f} MB in "
        f"{http_s:.2f} s = {total / http_s:,.0f} rows/s"
    )
    print(f"export / plain script = {plain_s / http_s:.2f}   (target ≥ 0.8)")
    print(
        f"server worker RSS: {before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB while "
        f"writing and sending: +{(peak - before) / 1024:.1f} MB   (target < 100 MB)"
    )


def main() -> None:
    args = parse_args()
    formats = args.formats.split(",")
    url, token, total = prepare(args)
    psql_s = time_psql_copy(url) if "csv" in formats else 0.0
    plain = time_plain_xlsx() if "xlsx" in formats else (0, 0.0)
    server = start_server(args.port)
    results = {}
    try:
        worker = wait_for_worker(server, args.port)
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1800)
        warm(conn, token)
        for fmt in formats:
            results[fmt] = stream_export(conn, worker, token, fmt)
    finally:
        server.terminate()
        server.wait(10)
    if "csv" in results:
        report(total, psql_s, results["csv"])
    if "xlsx" in results:
        report_xlsx(total, plain, results["xlsx"])


if __name__ == "__main__":
    main()
