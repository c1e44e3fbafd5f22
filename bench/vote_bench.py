#!/usr/bin/env python
"""Vote throughput: the real vote endpoint vs a bare raw-SQL INSERT … ON CONFLICT view.

Both run in the same gunicorn (-w 4, the default sync workers, as the issue says; PostgreSQL;
Redis for the throttles' cache; DEBUG off), and the same load generator (wrk, or a Python
fallback) drives them side by side, alternating rounds. Every request is a different member
voting on one idea (the hot row), so every request inserts a vote. After each round of the real
endpoint the script checks that Idea.vote_count equals the number of vote rows.

    .venv/bin/python bench/vote_bench.py [--duration 10] [--connections 32] [--rounds 3]
                                         [--auth session|token]

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ahhha_vote_bench;
the database is created and migrated if needed), REDIS_URL (default redis://127.0.0.1:6379/9;
set it empty to use the in-process cache), BENCH_PORT (default 8199), BENCH_WORKER_CLASS and
BENCH_GUNICORN_THREADS (default sync, 1), BENCH_VOTE_SYNC=1 (votes wait for the WAL flush).
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from production_env import production_env

ROOT = Path(__file__).resolve().parent.parent
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # a valid 32-character CSRF secret
PY = sys.executable

WRK_SCRIPT = r"""
local tokens, sessions = {}, {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  local token, session = line:match("^(%S+) (%S+)$")
  tokens[#tokens + 1] = token
  sessions[#sessions + 1] = session
end
local use_session = os.getenv("BENCH_AUTH") == "session"
local csrf = "benchcsrfbenchcsrfbenchcsrfbench"
local counter = 0
local threads = {}
local nthreads = tonumber(os.getenv("BENCH_THREADS"))
local tid = 0
function setup(thread)
  thread:set("offset", tid)  -- a global in the thread's own Lua state
  tid = tid + 1
  table.insert(threads, thread)
end
function init(args)
  counter = offset
  ok, bad = 0, 0
end
function request()
  local i = counter % #tokens
  counter = counter + nthreads
  -- each member votes from their own address, as behind a reverse proxy (NUM_PROXIES = 1)
  local ip = string.format("10.%d.%d.%d", math.floor(i / 65536) % 256,
                           math.floor(i / 256) % 256, i % 256)
  local headers = {["X-Forwarded-For"] = ip, ["Content-Length"] = "0"}
  if use_session then
    headers["Cookie"] = "sessionid=" .. sessions[i + 1] .. "; csrftoken=" .. csrf
    headers["X-CSRFToken"] = csrf
  else
    headers["Authorization"] = "Token " .. tokens[i + 1]
  end
  return wrk.format("POST", nil, headers, nil)
end
function response(status, headers, body)
  if status == 201 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("bad") end
  io.write(string.format("BENCH %d %d %d %.3f %.3f\n", summary.requests, o, b,
    summary.duration / 1e6, latency:percentile(99) / 1000))
end
"""


def env_for_server(db_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.vote_settings",
        DATABASE_URL=db_url,
        **production_env(secret="bench"),
        VOTE_THRESHOLD=str(10**9),  # the hot idea stays in voting for the whole run
        # The default rates: every member votes once, from their own address (see the load).
        LOG_LEVEL="WARNING",
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    return env


def django_setup(db_url: str):
    os.environ.update(env_for_server(db_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(db_url: str) -> None:
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    admin = db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env_for_server(db_url), check=True
    )


def make_members(count: int) -> list[tuple[str, str]]:
    """``count`` verified members, each with an API token and a signed-in session (created
    once, reused by later runs): [(token, session key)]."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.models import ApiToken, User
    from accounts.tokens import key_hash

    have = User.objects.filter(username__startswith="bench").count()
    joined = timezone.now() - timedelta(days=30)  # established members: their votes count
    if have < count:
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(username=f"bench{i}", email=f"bench{i}@bench.invalid", password=password,
                     email_verified=True, date_joined=joined)
                for i in range(have, count)
            ],
            batch_size=2000,
        )  # fmt: skip
    now = timezone.now()
    users = User.objects.filter(username__startswith="bench", api_tokens__isnull=True)
    ApiToken.objects.bulk_create(
        [
            ApiToken(member=u, name="bench", key_hash=key_hash(bench_key(u.username)),
                     prefix=bench_key(u.username)[:6], created_at=now,
                     expires_at=now + timedelta(days=365))
            for u in users
        ],
        batch_size=2000,
    )  # fmt: skip
    users = list(User.objects.filter(username__startswith="bench").order_by("id")[:count])
    store = SessionStore()
    expires = timezone.now() + timedelta(days=7)
    sessions = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=f"bench{user.pk:027d}", session_data=store.encode(data),
                    expire_date=expires)
        )  # fmt: skip
    Session.objects.filter(session_key__startswith="bench").delete()
    Session.objects.bulk_create(sessions, batch_size=2000)
    return [(bench_key(u.username), s.session_key) for u, s in zip(users, sessions, strict=True)]


def bench_key(username: str) -> str:
    """A bench member's API token key, derived from the name: only its hash is stored, so
    later runs find the key again this way."""
    return hashlib.sha1(f"bench-token:{username}".encode()).hexdigest()  # noqa: S324


def new_idea(label: str):
    from django.utils import timezone

    from accounts.models import User
    from ideas.models import Idea, IdeaStatus
    from ideas.transitions import idea_transition

    creator, _ = User.objects.get_or_create(
        username="bench-creator", defaults={"email": "creator@bench.invalid"}
    )
    idea = Idea.objects.create(
        creator=creator, title=f"Bench {label}", summary="Benchmark.", body="Benchmark."
    )
    now = timezone.now()
    idea_transition(
        idea=idea, to_status=IdeaStatus.VOTING, published_at=now,
        voting_deadline=now + timezone.timedelta(days=1),
    )  # fmt: skip
    return idea


def start_server(db_url: str, port: int) -> subprocess.Popen:
    cmd = [
        str(Path(PY).parent / "gunicorn"), "config.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}",
        "--worker-class", os.environ.get("BENCH_WORKER_CLASS", "sync"),
        "--threads", os.environ.get("BENCH_GUNICORN_THREADS", "1"), "--keep-alive", "5",
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(cmd, cwd=ROOT, env=env_for_server(db_url), start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except Exception:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def run_wrk(url: str, tokens_file: str, duration: int, connections: int) -> dict:
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
    env = dict(os.environ, BENCH_TOKENS=tokens_file, BENCH_THREADS=str(threads))
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "-s", f.name,
         url],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    _, requests, ok, bad, seconds, p99 = line.split()
    return {"requests": int(requests), "ok": int(ok), "bad": int(bad),
            "seconds": float(seconds), "p99_ms": float(p99)}  # fmt: skip


def run_python(url: str, tokens: list[str], duration: int, connections: int) -> dict:
    """Fallback load generator: keep-alive connections in threads."""
    import http.client

    host, port = url.split("/")[2].split(":")
    path = "/" + url.split("/", 3)[3]
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "bad": 0}
    stop = time.monotonic() + duration

    def worker():
        conn = http.client.HTTPConnection(host, int(port))
        while time.monotonic() < stop:
            with lock:
                i = state["next"] % len(tokens)
                state["next"] += 1
            ip = f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
            token, session = tokens[i]
            headers = {"X-Forwarded-For": ip}
            if os.environ.get("BENCH_AUTH") == "session":
                headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
                headers["X-CSRFToken"] = CSRF
            else:
                headers["Authorization"] = f"Token {token}"
            conn.request("POST", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            with lock:
                state["ok" if resp.status == 201 else "bad"] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.monotonic() - started
    return {"requests": state["ok"] + state["bad"], "ok": state["ok"], "bad": state["bad"],
            "seconds": seconds, "p99_ms": float("nan")}  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--members", type=int, default=40_000)
    parser.add_argument(
        "--auth", choices=["session", "token"], default="session",
        help="session: signed-in browsers (cookie + CSRF), as the vote button sends; "
        "token: API tokens, the bare view finding the member inside its one INSERT",
    )  # fmt: skip
    return parser.parse_args()


def write_tokens(tokens: list[tuple[str, str]]) -> str:
    """The members' tokens and sessions in a file for wrk's script; returns its name."""
    tokens_file = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    tokens_file.write("".join(f"{token} {session}\n" for token, session in tokens))
    tokens_file.close()
    return tokens_file.name


def run_round(args, n: int, kind: str, port: int, tokens, tokens_file: str, use_wrk: bool):
    """One round against the bare view or the vote endpoint, on a new idea; prints its line
    and returns its figures."""
    from voting.models import Vote

    idea = new_idea(f"{kind} {n}")
    url = (
        f"http://127.0.0.1:{port}/bench/bare-vote/{args.auth}/{idea.pk}/"
        if kind == "bare"
        else f"http://127.0.0.1:{port}/api/v1/ideas/{idea.pk}/vote/"
    )
    if use_wrk:
        r = run_wrk(url, tokens_file, args.duration, args.connections)
    else:
        r = run_python(url, tokens, args.duration, args.connections)
    # Let requests still in flight finish (p99 nears a second on a busy machine): wait until
    # the vote rows stop changing, then read the count.
    seen, deadline = -1, time.monotonic() + 15
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now_seen = Vote.objects.filter(idea=idea).count()
        if now_seen == seen:
            break
        seen = now_seen
    idea.refresh_from_db()
    r["votes"] = Vote.objects.filter(idea=idea).count()
    r["vote_count"] = idea.vote_count
    r["rps"] = r["ok"] / r["seconds"]
    exact = "" if kind == "bare" else (
        "  vote_count == votes: "
        + ("yes" if r["vote_count"] == r["votes"] else "NO")
    )  # fmt: skip
    print(
        f"round {n + 1} {kind:>4}: {r['rps']:8.1f} votes/s  "
        f"({r['ok']} × 201, {r['bad']} other, p99 {r['p99_ms']:.1f} ms, "
        f"{r['votes']} vote rows){exact}",
        flush=True,
    )
    if r["votes"] > len(tokens):
        print("warning: more votes than members: raise --members", flush=True)
    return r


def summarize(args, db_url: str, results: dict[str, list[dict]], use_wrk: bool) -> dict:
    bare = sum(r["rps"] for r in results["bare"]) / len(results["bare"])
    vote = sum(r["rps"] for r in results["vote"]) / len(results["vote"])
    exact = all(r["vote_count"] == r["votes"] >= r["ok"] for r in results["vote"])
    return {
        "load_generator": "wrk" if use_wrk else "python",
        "auth": args.auth,
        "gunicorn": f"-w 4 --worker-class {os.environ.get('BENCH_WORKER_CLASS', 'sync')} "
        f"--threads {os.environ.get('BENCH_GUNICORN_THREADS', '1')}",
        "vote_synchronous_commit": os.environ.get("BENCH_VOTE_SYNC") == "1",
        "cache": "redis" if env_for_server(db_url).get("REDIS_URL") else "locmem",
        "connections": args.connections,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "bare_votes_per_s": round(bare, 1),
        "vote_endpoint_votes_per_s": round(vote, 1),
        "ratio": round(vote / bare, 3),
        "every_vote_counted": exact,
        "target_met": vote >= 0.6 * bare and exact,
    }


def main() -> None:
    args = parse_args()
    db_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ahhha_vote_bench"
    )
    port = int(os.environ.get("BENCH_PORT", "8199"))
    os.environ["BENCH_AUTH"] = args.auth
    ensure_database(db_url)
    django_setup(db_url)
    from ideas.models import Idea

    tokens = make_members(args.members)
    tokens_file = write_tokens(tokens)
    use_wrk = shutil.which("wrk") is not None
    server = start_server(db_url, port)
    results: dict[str, list[dict]] = {"bare": [], "vote": []}
    try:
        for n in range(args.rounds):
            for kind in ("bare", "vote"):
                r = run_round(args, n, kind, port, tokens, tokens_file, use_wrk)
                results[kind].append(r)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        os.unlink(tokens_file)
    print(json.dumps(summarize(args, db_url, results, use_wrk), indent=2))
    Idea.objects.filter(title__startswith="Bench ").delete()


if __name__ == "__main__":
    main()
