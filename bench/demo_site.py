"""The demo site on a free local port, for scripts that look at pages (bench/screenshots.py,
bench/lighthouse.py): a throwaway database with ``seed_demo`` on the PostgreSQL DATABASE_URL names
(`make screenshots` sets it to the embedded one), served by ``runserver``."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "ahhha-demo-2026"  # accounts.demo.DEMO_PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _throwaway_database() -> Iterator[str]:
    """The URL of a new, empty database on DATABASE_URL's server, dropped afterwards."""
    import psycopg

    server = os.environ.get("DATABASE_URL") or sys.exit(
        "No DATABASE_URL: run this through `make screenshots` or "
        "`.venv/bin/python -m config.embedded_db run .venv/bin/python bench/<script>.py`."
    )
    parts = urlsplit(server)
    name = f"ahhha_demo_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def demo_site() -> Iterator[str]:
    """Yields the base URL of a freshly seeded demo; everything is removed afterwards."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp, _throwaway_database() as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": f"{tmp}/media",
            "DEBUG": "1",
        }
        env.pop("REDIS_URL", None)
        python = sys.executable
        for command in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run(
                [python, "manage.py", *command],
                cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        server = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):  # a loaded machine takes a while to start Django
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit("the demo server did not start")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)
