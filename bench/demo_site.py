"""The demo site on a free local port, for scripts that look at pages (bench/screenshots.py,
bench/lighthouse.py): a throwaway SQLite database with ``seed_demo``, served by ``runserver``."""

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

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "ahhha-demo-2026"  # accounts.demo.DEMO_PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_site() -> Iterator[str]:
    """Yields the base URL of a freshly seeded demo; everything is removed afterwards."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
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
            for _ in range(100):
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
