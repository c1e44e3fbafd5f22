#!/usr/bin/env python
"""Today's commit and the old one side by side, in one run, under the same Locust mix.

    .venv/bin/python bench/cluster_compare.py [--old 2fe9509] [--users 40,80,120,160]
                                              [--duration 30] [--workers 4]

Both serve the same data (the cluster's primary, bench/cluster.py: the demo, 10,000 ideas,
200,000 comments) with the same topology — ``gunicorn -w 4`` on loopback, one Celery worker,
a fresh Redis each — so only the code differs: both commits (``--old``; ``--today``, default
HEAD) are checked out with ``git worktree`` into the cluster folder, never the tree being
edited. For each commit and each number of simulated people,
one Locust run of the mix of bench/locustfile.py, after search alone (no other load, 40
requests in turn) for its median. Prints throughput, errors, p50/p95 and the highest
throughput with p95 under 150 ms for each, and their ratio. Asserts nothing.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import cluster  # noqa: E402
import load_test  # noqa: E402

TARGET_P95_MS = 150
PORT = 8102


def tree_of(commit: str) -> Path:
    """The commit in a worktree of its own (made once): the run never serves a tree that is
    being edited."""
    commit = subprocess.run(["git", "rev-parse", "--short", commit], cwd=cluster.ROOT,
                            check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    tree = cluster.DIR / f"tree-{commit}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit],
                       cwd=cluster.ROOT, check=True)  # fmt: skip
    return tree


def serve(tree: Path, environment: dict, workers: int) -> list[subprocess.Popen]:
    subprocess.run([cluster.PY, "manage.py", "compile_translations"], cwd=tree,
                   env=environment, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([cluster.PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree,
                   env=environment, check=True)  # fmt: skip
    logs = cluster.DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out = open(logs / f"compare-{tree.name}.log", "ab")
    common = {"cwd": tree, "env": environment, "start_new_session": True, "stdout": out,
              "stderr": subprocess.STDOUT}  # fmt: skip
    server = subprocess.Popen(
        [str(cluster.BIN / "gunicorn"), "config.wsgi", "-w", str(workers), "-b",
         f"127.0.0.1:{PORT}", "--keep-alive", "5", "--log-level", "warning"], **common,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(cluster.BIN / "celery"), "-A", "config", "worker", "-Q", cluster.QUEUE, "-c", "1",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle"], **common,
    )  # fmt: skip
    cluster.wait_http(("127.0.0.1", PORT))
    return [server, worker]


def cpu_of(roots: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes and their children: the
    site's gunicorn and worker, and the primary's PostgreSQL (its postmaster and backends) —
    never another program's processes of the same name on a shared machine. Children that
    ended are counted by their parent (cutime/cstime)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        stats[int(stat.parent.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    wanted, total = set(roots), 0
    for _ in range(3):  # children, grandchildren
        wanted |= {pid for pid, (ppid, _) in stats.items() if ppid in wanted}
    total = sum(used for pid, (_, used) in stats.items() if pid in wanted)
    return total / tick


def site_roots(processes: list[subprocess.Popen]) -> list[int]:
    postmaster = int((cluster.DIR / "primary" / "postmaster.pid").read_text().split()[0])
    return [p.pid for p in processes] + [postmaster]


def search_alone(queries: list[str], count: int = 40) -> float:
    """Median ms of /search/?q=… with nothing else running (after one warm-up round)."""
    times = []
    for i in range(count + len(queries)):
        q = urllib.request.quote(queries[i % len(queries)])
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/search/?q={q}", timeout=60) as r:
            r.read()  # the first Chinese query loads jieba's dictionary: seconds, warm-up
        if i >= len(queries):
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(label: str, tree: Path, args, environment: dict, fixture_file: str) -> dict:
    redis_server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(cluster.REDIS_PORT),
         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    time.sleep(0.5)
    processes = [redis_server, *serve(tree, environment, args.workers)]
    runs = []
    try:
        queries = json.loads(Path(fixture_file).read_text())["queries"]
        search_ms = search_alone(queries)
        print(f"\n== {label}: search alone, median {search_ms:.1f} ms", flush=True)
        for users in [int(u) for u in args.users.split(",")]:
            used = cpu_of(site_roots(processes))
            rows, failures, cpu = load_test.run_locust(
                load_test.load_venv(), users, args.duration, PORT, fixture_file
            )
            used = cpu_of(site_roots(processes)) - used
            runs.append(load_test.report(users, rows, failures, cpu, args.duration))
            # CPU the site spends per request (gunicorn + PostgreSQL + worker + Redis): what
            # caps throughput on a machine of its own, and far less noisy than req/s on a
            # shared one (other processes take cores, not our CPU seconds).
            site = used  # this run's own processes only (cpu_of), not others' of the same name
            requests = sum(int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated")
            runs[-1]["cpu_ms"] = 1000 * site / max(1, requests)
            runs[-1]["search_p50"] = next(
                (int(r["50%"]) for r in rows if r["Name"] == "/search/?q=…"), None
            )
    finally:
        for process in processes[1:]:
            os.killpg(process.pid, signal.SIGTERM)
        redis_server.terminate()
        for process in processes:
            process.wait()
    ok = [r for r in runs if r["errors"] == 0 and r["p95"] < TARGET_P95_MS]
    best = max(ok, key=lambda r: r["rps"], default=None)
    return {"label": label, "runs": runs, "best": best, "search_alone_ms": search_ms}


def summary(results: list[dict]) -> None:
    print(f"\n== side by side (p95 target {TARGET_P95_MS} ms)")
    for result in results:
        print(f"{result['label']}: search alone median {result['search_alone_ms']:.1f} ms")
        for r in result["runs"]:
            print(f"  {r['users']:>4} people: {r['rps']:6.1f} req/s, {r['errors']} errors, "
                  f"p50 {r['p50']} ms, p95 {r['p95']} ms, "
                  f"search p50 {r['search_p50']} ms, "
                  f"{r['cpu_ms']:.1f} CPU ms per request")  # fmt: skip
        best = result["best"]
        print("  sustained: " + (f"{best['rps']:.1f} req/s ({best['users']} people)"
                                 if best else "no run met the target"))  # fmt: skip
    old, new = results[0]["best"], results[1]["best"]
    if old and new:
        print(f"ratio today / old: {new['rps'] / old['rps']:.2f}×")
    cpu = [statistics.median(r["cpu_ms"] for r in result["runs"]) for result in results]
    print(f"CPU per request (median of the runs): old {cpu[0]:.1f} ms, today {cpu[1]:.1f} ms: "
          f"{cpu[0] / cpu[1]:.2f}× the requests per CPU second")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", default="2fe9509")
    parser.add_argument("--today", default="HEAD")
    parser.add_argument("--users", default="40,80,120,160")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=200_000)
    args = parser.parse_args()
    old, today = tree_of(args.old), tree_of(args.today)
    try:
        data = cluster.prepare(args)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(data, f)
        environment = load_test.server_env(
            cluster.url(cluster.PRIMARY_PORT), f"redis://127.0.0.1:{cluster.REDIS_PORT}/0"
        )
        environment["CELERY_QUEUE"] = cluster.QUEUE
        results = [
            measure(f"old ({args.old})", old, args, environment, f.name),
            measure(f"today ({today.name[5:]})", today, args, environment, f.name),
        ]
        summary(results)
    finally:
        cluster.pg_stop(cluster.DIR / "primary")


if __name__ == "__main__":
    main()
