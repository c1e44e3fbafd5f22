#!/usr/bin/env python
"""The local cluster, with one command: two app nodes behind HAProxy, two Celery workers (both
start beat; a Redis lock lets one run it), Redis, a PostgreSQL primary and a streaming replica.

    .venv/bin/python bench/cluster.py up        # start it all, print the addresses, Ctrl-C stops
    .venv/bin/python bench/cluster.py faults    # start it, Locust through HAProxy, kill/restore
    make cluster                                # = up

Everything listens on loopback only:

    HAProxy            127.0.0.1:8100  → node A 127.0.0.2:8101, node B 127.0.0.3:8101 (gunicorn)
    PostgreSQL         primary 127.0.0.1:55432, hot standby 127.0.0.1:55433 (pg_basebackup -R)
    Redis              127.0.0.1:56379 (broker, cache, rate limits, beat lock; nothing on disk)
    Celery             worker-1 and worker-2, each ``-B`` with config.beat.LockedScheduler
    uploads            one MEDIA_ROOT both nodes share (production: S3, AWS_STORAGE_BUCKET_NAME)

The data lives under ``CLUSTER_DIR`` (default: ahhha-cluster in the temp folder): the primary
is made once with ``initdb`` and filled once with the load test's data (bench/load_test.py:
the demo, 10,000 ideas, 200,000 comments, 5,000 members); the replica is made afresh with
``pg_basebackup`` on every start. Debian's PostgreSQL server binaries (/usr/lib/postgresql/N)
run as the system user ``ahhha_postgres`` when started by root, as config/embedded_db.py does.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import load_test  # noqa: E402  (bench/load_test.py: the data, the mix, Locust's virtualenv)

from config import embedded_db  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
DIR = Path(os.environ.get("CLUSTER_DIR", Path(tempfile.gettempdir()) / "ahhha-cluster"))
PRIMARY_PORT, REPLICA_PORT, REDIS_PORT = 55432, 55433, 56379
FRONT = ("127.0.0.1", 8100)
NODES = {"node-a": ("127.0.0.2", 8101), "node-b": ("127.0.0.3", 8101)}
WORKER_METRICS = {"worker-1": 9101, "worker-2": 9102}  # platform/prometheus/prometheus.yml
PROMETHEUS = ("127.0.0.1", 9190)
METRICS_TOKEN = "cluster-metrics-token"
DATABASE = "ahhha_cluster"
QUEUE = "cluster"
PG_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c wal_level=replica"
    " -c max_wal_senders=8 -c hot_standby=on -c hot_standby_feedback=on"
    " -c shared_buffers=256MB -c max_connections=200 -c wal_keep_size=1GB"
)


def pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        sys.exit("Debian's PostgreSQL server is needed: apt-get install postgresql")
    return versions[-1].parent


def as_pg_user(path: Path) -> dict:
    """subprocess arguments that run as ahhha_postgres (when root), owning ``path``."""
    user = embedded_db._as_user()
    if user:
        for item in [path, *path.rglob("*")] if path.exists() else []:
            os.chown(item, user["user"], user["group"])
        embedded_db._reachable(path, user["user"])
    return user


def pg(tool: str, *args: str, data: Path, check: bool = True) -> None:
    user = as_pg_user(data.parent)
    # A session of its own: a signal to this script's process group (Ctrl-C, or a tool that
    # signals its group when it ends) must not stop the servers pg_ctl starts.
    subprocess.run([str(pg_bin() / tool), *args], check=check, stdout=subprocess.DEVNULL,
                   start_new_session=True, **user)  # fmt: skip


def url(port: int, name: str = DATABASE) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def pg_start(data: Path, port: int) -> None:
    log = data.parent / f"{data.name}.log"
    log.touch()
    pg("pg_ctl", "-D", str(data), "-w", "-t", "120", "-l", str(log), "-o",
       f"-p {port} {PG_OPTIONS}", "start", data=data)  # fmt: skip


def pg_stop(data: Path, mode: str = "fast") -> None:
    if (data / "postmaster.pid").exists():
        pg("pg_ctl", "-D", str(data), "-m", mode, "-w", "stop", data=data, check=False)


def primary_up() -> Path:
    """Start the primary (made with initdb on first use) and create the database."""
    data = DIR / "primary"
    DIR.mkdir(parents=True, exist_ok=True)
    if not (data / "PG_VERSION").exists():
        data.mkdir(mode=0o700)
        pg("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
           "--locale=C.UTF-8", data=data)  # fmt: skip
        with open(data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
    pg_stop(data, "immediate")  # a run that ended badly
    pg_start(data, PRIMARY_PORT)
    return data


def replica_up() -> Path:
    """A fresh hot standby of the primary: pg_basebackup -R (streaming, recovery settings)."""
    data = DIR / "replica"
    pg_stop(data, "immediate")
    shutil.rmtree(data, ignore_errors=True)
    user = as_pg_user(DIR)
    started = time.perf_counter()
    subprocess.run(
        [str(pg_bin() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT),
         "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast"],
        check=True, **user,
    )  # fmt: skip
    print(f"replica: pg_basebackup in {time.perf_counter() - started:.1f} s", flush=True)
    pg_start(data, REPLICA_PORT)
    return data


def replica_lag() -> float | None:
    import psycopg

    try:
        with psycopg.connect(url(REPLICA_PORT), connect_timeout=2) as conn:
            row = conn.execute(
                "SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            ).fetchone()
            return float(row[0])
    except psycopg.Error:
        return None


def env(*, media: Path) -> dict:
    """The app's environment on every node and worker: one database, replica, Redis, media."""
    values = load_test.server_env(url(PRIMARY_PORT), f"redis://127.0.0.1:{REDIS_PORT}/0")
    values.update(
        DATABASE_REPLICA_URL=url(REPLICA_PORT),
        MEDIA_ROOT=str(media),
        CELERY_QUEUE=QUEUE,
        ALLOWED_HOSTS="127.0.0.1,127.0.0.2,127.0.0.3,localhost",
        # A dead worker's settlement is taken over within seconds, and a dead beat's lock too.
        SETTLEMENT_STALE_SECONDS="10",
        SETTLEMENT_RESUME_INTERVAL_SECONDS="5",
        CELERY_BEAT_LOCK_SECONDS="10",
        CELERY_BROKER_VISIBILITY_TIMEOUT="120",
        METRICS_TOKEN=METRICS_TOKEN,
    )
    return values


def metrics_dir(name: str) -> str:
    """Each process group counts its Prometheus metrics into a folder of its own."""
    folder = DIR / "metrics" / name
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


class Cluster:
    """The processes of a running cluster, by name; each can be killed and started again."""

    def __init__(self, environment: dict, node_workers: int = 2) -> None:
        self.env = environment
        self.node_workers = node_workers
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = DIR / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def spawn(self, name: str, command: list[str], **extra_env: str) -> None:
        log = open(self.logs / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **extra_env}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def node(self, name: str) -> None:
        host, port = NODES[name]
        self.spawn(name, [str(BIN / "gunicorn"), "config.wsgi", "-c", "platform/gunicorn.conf.py",
                          "-w", str(self.node_workers), "-b", f"{host}:{port}",
                          "--access-logfile", "/dev/null", "--max-requests", "0",
                          "--log-level", "warning", "--graceful-timeout", "5"],
                   PROMETHEUS_MULTIPROC_DIR=metrics_dir(name))  # fmt: skip

    def worker(self, name: str) -> None:
        self.spawn(name, [str(BIN / "celery"), "-A", "config", "worker", "-B",
                          "--scheduler", "config.beat:LockedScheduler", "-Q", QUEUE, "-c", "1",
                          "-n", f"{name}@%h", "--loglevel", "INFO", "--without-gossip",
                          "--without-mingle"], PGAPPNAME=name,
                   PROMETHEUS_MULTIPROC_DIR=metrics_dir(name),
                   CELERY_METRICS_PORT=str(WORKER_METRICS[name]))  # fmt: skip

    def redis(self) -> None:
        self.spawn("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT),
                             "--save", "", "--appendonly", "no"])  # fmt: skip

    def haproxy(self) -> None:
        config = DIR / "haproxy.cfg"
        servers = "\n".join(
            f"    server {name} {host}:{port} check inter 1s fall 3 rise 2"
            for name, (host, port) in NODES.items()
        )
        config.write_text(HAPROXY.format(host=FRONT[0], port=FRONT[1], servers=servers))
        self.spawn("haproxy", ["haproxy", "-db", "-f", str(config)])

    def prometheus(self) -> None:
        """Debian's prometheus scraping every node and worker (platform/prometheus's config,
        every 5 s, the token in a file beside the copy)."""
        folder = DIR / "prometheus"
        folder.mkdir(exist_ok=True)
        config = (ROOT / "platform" / "prometheus" / "prometheus.yml").read_text()
        (folder / "prometheus.yml").write_text(
            config.replace("scrape_interval: 15s", "scrape_interval: 5s").replace(
                "scrape_timeout: 10s", "scrape_timeout: 4s"
            )
        )  # fmt: skip
        (folder / "metrics-token").write_text(METRICS_TOKEN)
        listen = f"--web.listen-address={PROMETHEUS[0]}:{PROMETHEUS[1]}"
        self.spawn("prometheus", ["prometheus", f"--config.file={folder / 'prometheus.yml'}",
                                  f"--storage.tsdb.path={folder / 'data'}", listen])  # fmt: skip

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait()

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)


HAPROXY = """global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A node's sync workers may all be busy for a while: the check waits its turn in the queue.
    timeout check 5s
    retries 2
    option redispatch
    retry-on conn-failure
frontend front
    bind {host}:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
{servers}
"""


def wait_http(address: tuple[str, int], path: str = "/healthz", seconds: float = 60) -> float:
    """Seconds until ``address`` answers ``path`` with 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            with urllib.request.urlopen(f"http://{address[0]}:{address[1]}{path}", timeout=2):
                return time.perf_counter() - started
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{address} did not answer {path} in {seconds} s")


def prepare(args) -> dict:
    """The primary with the load test's data (built once), migrated; the fixture for Locust."""
    primary_up()
    db = url(PRIMARY_PORT)
    empty = load_test.ensure_database(db, fresh=False)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT,
                   env=load_test.server_env(db, ""), check=True)  # fmt: skip
    if empty:
        load_test.build(db, args)
        load_test.analyze(db)
    saved = DIR / f"fixture-{args.members}.json"
    if saved.exists():  # tokens and sessions (valid a week) made by an earlier run
        import django

        os.environ.update(load_test.server_env(db, ""))
        django.setup()
        data = json.loads(saved.read_text())
    else:
        data = load_test.fixture(db, args.members)
    from funding.models import Product  # Django is set up by the fixture

    # Backers also claim contributions on the demo's products (the fault run checks them too).
    data["product_ideas"] = list(
        Product.objects.exclude(idea__title="Bench product").values_list("idea_id", flat=True)
    )
    saved.write_text(json.dumps(data))
    return data


def start(args, environment: dict, cluster: Cluster) -> Cluster:
    replica_up()
    cluster.redis()
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=environment, check=True)  # fmt: skip
    for name in NODES:
        cluster.node(name)
    for name in ("worker-1", "worker-2"):
        cluster.worker(name)
    cluster.haproxy()
    if shutil.which("prometheus"):
        cluster.prometheus()
    for address in [*NODES.values(), FRONT]:
        wait_http(address, seconds=300)  # booting Django takes a minute on a crowded machine
    print(f"cluster up: http://{FRONT[0]}:{FRONT[1]}/ (HAProxy) → "
          + ", ".join(f"{n} {h}:{p}" for n, (h, p) in NODES.items()), flush=True)  # fmt: skip
    return cluster


def scrape_targets() -> list[str]:
    """Prometheus's targets as it last scraped them: "job instance: up|down (error)"."""
    address = f"http://{PROMETHEUS[0]}:{PROMETHEUS[1]}/api/v1/targets"
    try:
        with urllib.request.urlopen(address, timeout=5) as answer:
            targets = json.load(answer)["data"]["activeTargets"]
    except OSError as error:
        return [f"prometheus unreachable: {error}"]
    return [
        f"{t['labels']['job']} {t['labels']['instance']}: {t['health']}"
        + (f" ({t['lastError']})" if t.get("lastError") else "")
        for t in targets
    ]


def shutdown(cluster: Cluster | None) -> None:
    if cluster is not None:
        cluster.stop()
    pg_stop(DIR / "replica")
    pg_stop(DIR / "primary")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["up", "faults", "prepare"], nargs="?", default="up")
    parser.add_argument("--users", type=int, default=60, help="simulated people (faults)")
    parser.add_argument("--phase", type=int, default=25, help="seconds between kill and return")
    parser.add_argument("--node-workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=5_000)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    media = DIR / "media"
    media.mkdir(parents=True, exist_ok=True)
    cluster = None
    try:
        data = prepare(args)
        if args.command == "prepare":
            return
        environment = env(media=media)
        # Made before anything starts, so that whatever did start is stopped if a start fails.
        cluster = Cluster(environment, args.node_workers)
        start(args, environment, cluster)
        if args.command == "faults":
            import cluster_faults

            cluster_faults.run(cluster, data, args)
        else:
            time.sleep(12)  # two scrapes
            where = f"http://{PROMETHEUS[0]}:{PROMETHEUS[1]}/targets"
            print(f"Prometheus ({where}):", *scrape_targets(), sep="\n  ")
            print("Ctrl-C stops it.", flush=True)
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        shutdown(cluster)


if __name__ == "__main__":
    main()
