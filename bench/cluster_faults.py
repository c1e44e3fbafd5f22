"""Faults under load, on the local cluster (bench/cluster.py faults): Locust's mix through
HAProxy while one app node, one Celery worker (the one running a settlement) and the replica
are killed (SIGKILL; the replica: ``pg_ctl stop -m immediate``) in turn and brought back.

Then it checks, on the primary: every write Locust saw acknowledged (votes, comments, pledges,
logged by bench/locustfile.py under LOAD_ACK_LOG) is there; the settlement the killed worker
was running reached its preview exactly once on the other worker (one staged line per account,
its transaction balanced once posted). Prints, per kill, the failed requests in the phase and the
seconds from the kill to the last failure, the seconds until the component served again, and
the replica's share of the reads (pg_stat_database on both servers). Asserts nothing.
"""

import csv
import json
import os
import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import cluster
import load_test

SETTLEMENT_MEMBERS = 20_000


def stats(port: int) -> dict:
    import psycopg

    with psycopg.connect(cluster.url(port), connect_timeout=2) as conn:
        row = conn.execute(
            "SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database"
            " WHERE datname = current_database()"
        ).fetchone()
    return {"transactions": row[0], "rows": row[1]}


def settlement_ready():
    """A product with SETTLEMENT_MEMBERS approved contributors (built once) and finance staff."""
    import settlement as bench_settlement

    from accounts.models import User
    from funding.models import Product

    product = Product.objects.filter(idea__title="Bench product").first()
    if product is None:
        started = time.perf_counter()
        finance, finance2, product = bench_settlement.setup(SETTLEMENT_MEMBERS)
        print(f"settlement data: {SETTLEMENT_MEMBERS:,} contributors in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    from django.core.management import call_command

    for name in ("bench_fin", "bench_fin2"):
        call_command("grant_role", name, "finance")
    finance = User.objects.get(username="bench_fin")
    finance2 = User.objects.get(username="bench_fin2")
    return product, finance, finance2


def settlement_start(product, finance) -> int:
    """Close the next period and queue its settlement on the cluster's broker."""
    import settlement as bench_settlement
    from celery import current_app

    from payouts import services
    from payouts.models import Period

    conf = current_app.conf
    conf.task_always_eager = False
    conf.broker_url = f"redis://127.0.0.1:{cluster.REDIS_PORT}/0"
    conf.task_default_queue = cluster.QUEUE
    current_app._pool = None
    current_app.amqp._producer_pool = None
    month = Period.objects.filter(product=product).count() + 1
    period = bench_settlement.period_record(product, finance, month)
    return services.period_settle(period=period, actor=finance).pk


def runner_of(settlement_id: int, seconds: float = 60) -> str | None:
    """The worker running the settlement: the one whose connection is busy while it runs
    (each worker connects with its name as application_name)."""
    import psycopg

    from payouts.models import Settlement

    seen: Counter = Counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = Settlement.objects.get(pk=settlement_id).status
        if status == "running":
            with psycopg.connect(cluster.url(cluster.PRIMARY_PORT)) as conn:
                for (name,) in conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE state = 'active'"
                    " AND application_name LIKE 'worker-%'"
                ):
                    seen[name] += 1
            if sum(seen.values()) >= 3:
                return seen.most_common(1)[0][0]
        elif status not in ("queued", "draft"):
            return None  # done before we saw it run
        time.sleep(0.05)
    return None


def settlement_check(settlement_id: int, finance2, killed_at: float) -> str:
    from django.db.models import Count, Sum

    from payouts import services
    from payouts.models import LedgerEntry, Settlement

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        settlement = Settlement.objects.get(pk=settlement_id)
        if settlement.status not in ("queued", "running"):
            break
        time.sleep(1)
    if settlement.status != "preview":
        return f"settlement {settlement_id}: {settlement.status} {settlement.error!r} (not done)"
    done = settlement.previewed_at.timestamp() - killed_at
    lines = LedgerEntry.objects.filter(transaction__settlement=settlement)
    per_account = lines.values("account").annotate(n=Count("id")).filter(n__gt=1).count()
    staged = lines.count()
    services.settlement_approve(settlement=settlement, actor=finance2)
    services.settlement_post(settlement_id=settlement_id)
    settlement.refresh_from_db()
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return (
        f"settlement {settlement_id}: preview {done:.0f} s after the kill, then "
        f"{settlement.status}: {staged:,} lines, "
        f"{per_account} accounts with a line twice, debits {totals['debit']:,} = credits "
        f"{totals['credit']:,}: {'exactly once' if per_account == 0 else 'TWICE'}"
    )


def acknowledged_missing(log: Path) -> tuple[Counter, Counter]:
    """(acknowledged, missing) writes by kind, checked on the primary."""
    from accounts.models import ApiToken
    from accounts.tokens import key_hash
    from contributions.models import Contribution
    from funding.models import Pledge
    from ideas.models import Comment
    from voting.models import Vote

    member = {}
    seen, missing = Counter(), Counter()
    for line in log.read_text().splitlines():
        write = json.loads(line)
        kind = write["kind"]
        seen[kind] += 1
        if "token" in write and write["token"] not in member:
            token = ApiToken.objects.get(key_hash=key_hash(write["token"]))
            member[write["token"]] = token.member_id
        if kind == "vote":
            found = Vote.objects.filter(member_id=member[write["token"]], idea_id=write["idea"])
        elif kind == "comment":
            found = Comment.objects.filter(pk=write["id"])
        elif kind == "claim":
            found = Contribution.objects.filter(pk=write["id"])
        else:
            found = Pledge.objects.filter(member_id=member[write["token"]], idea_id=write["idea"])
        if not found.using("default").exists():
            missing[kind] += 1
    return seen, missing


def history(path: Path) -> list[tuple[float, int]]:
    """(unix time, failures so far) per second of the Locust run, from its full history."""
    with open(path, newline="", encoding="utf-8") as f:
        return [(float(r["Timestamp"]), int(r["Total Failure Count"]))
                for r in csv.DictReader(f) if r["Name"] == "Aggregated"]  # fmt: skip


def errors_between(points, start: float, end: float) -> tuple[int, float | None]:
    """Failures in [start, end) and the seconds from start to the last of them."""
    before = max((n for t, n in points if t < start), default=0)
    inside = [(t, n) for t, n in points if start <= t < end]
    if not inside:
        return 0, None
    count = inside[-1][1] - before
    grew = [t for (t, n), (_, m) in zip(inside, [(start, before), *inside], strict=False)
            if n > m]  # fmt: skip
    return count, (grew[-1] - start) if grew else None


def kill_node(c: cluster.Cluster) -> float:
    c.kill("node-a")
    time.sleep(c.phase / 2)
    c.node("node-a")
    try:  # a node boots in seconds, but on a crowded machine it may take a minute or two
        return cluster.wait_http(cluster.NODES["node-a"], seconds=240)
    except SystemExit as error:
        print(f"node-a did not come back: {error}", flush=True)
        return float("nan")


def kill_replica(c: cluster.Cluster) -> float:
    cluster.pg_stop(cluster.DIR / "replica", "immediate")
    time.sleep(c.phase / 2)
    started = time.perf_counter()
    cluster.pg_start(cluster.DIR / "replica", cluster.REPLICA_PORT)
    while (lag := cluster.replica_lag()) is None or lag > 2:
        time.sleep(0.2)
    return time.perf_counter() - started


def run(c: cluster.Cluster, data: dict, args) -> None:
    c.phase = args.phase
    product, finance, finance2 = settlement_ready()
    out = Path(tempfile.mkdtemp(prefix="ahhha-faults-"))
    fixture, ack = out / "fixture.json", out / "acknowledged.jsonl"
    fixture.write_text(json.dumps(data))
    ack.touch()
    before = {port: stats(port) for port in (cluster.PRIMARY_PORT, cluster.REPLICA_PORT)}
    duration = args.phase * 4 + 20
    locust = subprocess.Popen(
        [str(load_test.load_venv()), "-f", str(cluster.BENCH / "locustfile.py"), "--headless",
         "-u", str(args.users), "-r", str(max(1, args.users // 5)), "-t", f"{duration}s",
         "--host", f"http://{cluster.FRONT[0]}:{cluster.FRONT[1]}", "--csv", str(out / "run"),
         "--csv-full-history", "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
        env=dict(os.environ, LOAD_FIXTURE=str(fixture), LOAD_ACK_LOG=str(ack)), cwd=cluster.ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    kills = []
    time.sleep(args.phase)
    kills.append(("app node node-a (SIGKILL)", time.time(), kill_node(c)))
    time.sleep(args.phase / 2)
    settlement_id = settlement_start(product, finance)
    runner = runner_of(settlement_id)
    killed_at = time.time()
    if runner is not None:
        c.kill(runner)
        time.sleep(args.phase / 2)
        c.worker(runner)
    kills.append((f"worker {runner} running settlement {settlement_id} (SIGKILL)", killed_at, 0.0))
    time.sleep(args.phase / 2)
    kills.append(("replica (pg_ctl stop -m immediate)", time.time(), kill_replica(c)))
    locust.wait()
    report(out, kills, before, ack, settlement_check(settlement_id, finance2, killed_at))


def report(out: Path, kills, before: dict, ack: Path, settled: str) -> None:
    after = {port: stats(port) for port in before}
    points = history(out / "run_stats_history.csv")
    with open(out / "run_stats.csv", newline="", encoding="utf-8") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    print(f"\n== faults under load: {total['Request Count']} requests, "
          f"{total['Failure Count']} failed, {float(total['Requests/s']):.1f} req/s, "
          f"p50 {total['50%']} ms, p95 {total['95%']} ms", flush=True)  # fmt: skip
    edges = [k[1] for k in kills] + [points[-1][0] + 1 if points else time.time()]
    calm, _ = errors_between(points, 0, edges[0])
    print(f"before the first kill: {calm} failed requests")
    for (what, at, back), end in zip(kills, edges[1:], strict=True):
        count, last = errors_between(points, at, end)
        last_text = f"last failure {last:.0f} s after the kill" if last is not None else "none"
        print(f"kill {what}: {count} failed requests ({last_text}); "
              f"serving again {back:.1f} s after its restart")  # fmt: skip
    for line in (out / "run_failures.csv").read_text().splitlines()[1:8]:
        print("  failure:", line[:160])
    seen, missing = acknowledged_missing(ack)
    print("acknowledged writes: " + ", ".join(f"{n} {k}s" for k, n in sorted(seen.items()))
          + f"; missing on the primary: {sum(missing.values())} {dict(missing)}")  # fmt: skip
    print(settled)
    primary, replica = (after[p]["rows"] - before[p]["rows"] for p in after)
    txp, txr = (after[p]["transactions"] - before[p]["transactions"] for p in after)
    print(f"replica's share of reads: {replica / max(1, primary + replica):.0%} of the rows read, "
          f"{txr / max(1, txp + txr):.0%} of the transactions")  # fmt: skip
    print("Prometheus's targets:", *cluster.scrape_targets(), sep="\n  ")
    print(f"(files: {out})")


def stop_all(c: cluster.Cluster) -> None:
    for name in list(c.processes):
        c.kill(name, signal.SIGTERM)
