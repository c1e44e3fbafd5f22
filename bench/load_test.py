#!/usr/bin/env python
"""The whole site under a realistic mix of traffic: Locust against gunicorn, PostgreSQL, Redis
and a real Celery worker, all on loopback.

    .venv/bin/python bench/load_test.py [--users 20,40,80] [--duration 60] [--workers 4]
                                        [--ideas 10000] [--comments 200000] [--fresh]

Prepares its own database once (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ahhha_load; ``--fresh`` rebuilds it): the demo (every step
of the journey, finance staff, open funding rounds) plus ``--ideas`` ideas (a third in Chinese)
and ``--comments`` comments, and ``--members`` members with API tokens and signed-in sessions.
Then, for each number of simulated people in ``--users``, one headless Locust run of
``--duration`` seconds with the mix in bench/locustfile.py (70 % anonymous browsing, 20 %
members voting and commenting, 5 % pledging, 5 % finance pages and exports).

Prints, per run, requests/s, errors and p50/p95/p99 per endpoint, and the highest load that
kept 0 errors and p95 under 250 ms. Locust comes from bench/requirements-load.txt in its own
virtualenv (.venv-load, made on first use). Nothing is asserted.
"""

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from production_env import production_env

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
LOAD_VENV = ROOT / ".venv-load"
CSRF = "loadcsrfloadcsrfloadcsrfloadcsrf"  # a valid 32-character CSRF secret
TARGET_P95_MS = 250


def server_env(db_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.vote_settings",  # trusts one proxy hop (X-Forwarded-For)
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        **production_env(secret="load-test"),
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        VOTE_THRESHOLD=str(10**9),  # ideas stay in voting for the whole run
        CELERY_QUEUE="load-test",
        LOG_LEVEL="WARNING",
    )
    return env


def ensure_database(db_url: str, fresh: bool) -> bool:
    """Create (or with ``fresh`` re-create) the database; True if it was empty."""
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if fresh or not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def build(db_url: str, args) -> None:
    """Migrate, seed the demo (tasks in-process), then the ideas, comments and members."""
    eager = server_env(db_url, "")
    subprocess.run([PY, "manage.py", "seed_demo"], cwd=ROOT, env=eager, check=True)
    started = time.perf_counter()
    os.environ.update(eager)
    from django.db import transaction

    from bench import ideas_lists  # sets Django up
    from ideas.models import Idea

    rng = random.Random(11)
    with transaction.atomic():
        users = ideas_lists._bench_users()
        ideas = ideas_lists._build_ideas(rng, args.ideas, users)
        public = [i for i in ideas if i.published_at]
        counts = ideas_lists._build_comments(rng, args.comments, public, users)
        for pk, count in counts.items():
            Idea.objects.filter(pk=pk).update(comment_count=count)
        # The bulk-built "funding"/"funded" ideas have no funding terms: keep them out of
        # pledging (the demo's open rounds are the ones to pledge on).
    print(f"data: {args.ideas:,} ideas, {args.comments:,} comments in "
          f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip


def analyze(db_url: str) -> None:
    """Fresh planner statistics, as autovacuum would have them on a live site (right after a
    bulk load PostgreSQL still thinks the tables are empty and picks nested loops)."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def fixture(db_url: str, members: int) -> dict:
    """What the simulated people need: ids, tokens, session keys."""
    os.environ.update(server_env(db_url, ""))
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import token_issue
    from bench.vote_bench import bench_key, make_members
    from ideas.models import Idea, IdeaStatus

    # Members who created none of the ideas (the bulk-built ideas' authors are "bench…" too).
    creators = User.objects.filter(username__startswith="bench", ideas__isnull=False).distinct()
    taken = {bench_key(u) for u in creators.values_list("username", flat=True)}
    people = [p for p in make_members(members + 1000) if p[0] not in taken][:members]
    now = timezone.now()
    visible = Idea.objects.exclude(published_at=None).filter(hidden_at=None)
    voting = visible.filter(status=IdeaStatus.VOTING, voting_deadline__gt=now + timedelta(days=1))
    funding = visible.filter(
        status=IdeaStatus.FUNDING, funding_round__deadline__gt=now + timedelta(days=1)
    )
    finance = User.objects.get(username="finance")
    _, token_key = token_issue(member=finance, name="load test")
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(finance.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: finance.get_session_auth_hash(),
        }
    )
    session.create()
    Session.objects.filter(pk=session.session_key).update(expire_date=now + timedelta(days=7))
    from bench.ideas_lists import WORDS, ZH_WORDS

    return {
        "csrf": CSRF,
        "members": people,
        "backers": people[: max(1, len(people) // 4)],
        "public_ideas": list(visible.order_by("?").values_list("pk", flat=True)[:3000]),
        "voting_ideas": list(voting.values_list("pk", flat=True)[:3000]),
        "funding_ideas": list(funding.values_list("pk", flat=True)),
        "finance": {"token": token_key, "session": session.session_key},
        "queries": WORDS[:30] + ZH_WORDS[:10] + ["solar kettle", "bike lock"],
        "comments": [
            "Would this work in the rain?",
            "I would buy two. **When** can I pledge?",
            "Suggestion: make the case from recycled plastic.",
            "不错的想法，什么时候可以买？",
        ],
    }


def load_venv() -> Path:
    locust = LOAD_VENV / "bin" / "locust"
    if not locust.exists():
        subprocess.run(["python3", "-m", "venv", str(LOAD_VENV)], check=True)
        subprocess.run(
            [str(LOAD_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
             "-r", str(ROOT / "bench" / "requirements-load.txt")],
            check=True,
        )  # fmt: skip
    return locust


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def start_services(env: dict, port: int, workers: int) -> list[subprocess.Popen]:
    bin_dir = Path(PY).parent
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "config.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--keep-alive", "5", "--log-level", "warning",
         "--max-requests", "0"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "config", "worker", "-Q", "load-test", "-c", "1",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
    return [server, worker]


COMPONENTS = {"gunicorn": "site (gunicorn)", "postgres": "PostgreSQL", "celery": "worker",
              "redis-server": "Redis"}  # fmt: skip


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by each component's processes (user + system, from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(COMPONENTS.values(), 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        if comm in COMPONENTS:
            used[COMPONENTS[comm]] += (int(fields[11]) + int(fields[12])) / tick
    return used


def run_locust(locust: Path, users: int, duration: int, port: int, fixture_file: str) -> list:
    out = Path(tempfile.mkdtemp(prefix="ahhha-load-"))
    spawn = max(1, users // 5)
    before, children = cpu_seconds(), os.times()
    subprocess.run(
        [str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(spawn), "-t", f"{duration}s", "--stop-timeout", "10",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(out / "run"), "--only-summary",
         "--loglevel", "WARNING"],
        env=dict(os.environ, LOAD_FIXTURE=fixture_file), check=False, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    after, children_after = cpu_seconds(), os.times()
    cpu = {name: after[name] - before[name] for name in after}
    cpu["Locust (load generator)"] = (
        children_after.children_user + children_after.children_system
        - children.children_user - children.children_system
    )  # fmt: skip
    with open(out / "run_stats.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    failures = (out / "run_failures.csv").read_text(encoding="utf-8").splitlines()[1:]
    return [rows, failures, cpu]


def report(users: int, rows: list[dict], failures: list[str], cpu: dict, seconds: int) -> dict:
    print(f"\n== {users} simulated people")
    print(f"{'endpoint':<42} {'reqs':>7} {'err':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
    total = {}
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        line = (
            f"{(row['Type'] + ' ' + name)[:42]:<42} {row['Request Count']:>7} "
            f"{row['Failure Count']:>5} {float(row['Requests/s']):>7.1f} {row['50%']:>6} "
            f"{row['95%']:>6} {row['99%']:>6}"
        )
        print(line)
        if row["Name"] == "Aggregated":
            total = row
    for failure in failures[:10]:
        print("  failure:", failure[:200])
    busy = ", ".join(f"{name} {used / seconds:.2f}" for name, used in cpu.items())
    print(f"cores busy (of {os.cpu_count()}): {busy}")
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "errors": int(total["Failure Count"]),
        "p50": int(total["50%"]),
        "p95": int(total["95%"]),
        "p99": int(total["99%"]),
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="20,40,80", help="simulated people per run")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--port", type=int, default=8197)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    db_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ahhha_load")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10")
    empty = ensure_database(db_url, args.fresh)
    subprocess.run(
        [PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=server_env(db_url, ""), check=True
    )
    if empty:
        build(db_url, args)
    analyze(db_url)
    data = fixture(db_url, args.members)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(data, f)
    locust = load_venv()
    env = server_env(db_url, redis_url)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    processes = start_services(env, args.port, args.workers)
    results = []
    try:
        for users in [int(u) for u in args.users.split(",")]:
            rows, failures, cpu = run_locust(locust, users, args.duration, args.port, f.name)
            results.append(report(users, rows, failures, cpu, args.duration))
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait()
        os.unlink(f.name)
    print("\n== summary (whole mix)")
    for r in results:
        ok = r["errors"] == 0 and r["p95"] < TARGET_P95_MS
        print(f"{r['users']:>5} people: {r['rps']:7.1f} req/s, {r['errors']} errors, "
              f"p50 {r['p50']} ms, p95 {r['p95']} ms, p99 {r['p99']} ms"
              f"{'  (target met)' if ok else ''}")  # fmt: skip
    sustained = [r for r in results if r["errors"] == 0 and r["p95"] < TARGET_P95_MS]
    best = max(sustained, key=lambda r: r["rps"], default=None)
    print(
        f"highest sustained load (0 errors, p95 < {TARGET_P95_MS} ms): "
        + (f"{best['rps']:.1f} req/s with {best['users']} people" if best else "none of the runs")
    )


if __name__ == "__main__":
    main()
