"""Run schemathesis with every check against the API, as an anonymous caller, a member and
finance staff: ``manage.py api_fuzz`` (``make schemathesis``).

Without ``--url`` it serves this database with gunicorn on a free loopback port (``DEBUG=0``:
production settings, or the tests' when they run it), seeding the demo first when the database
has no members. The members are the demo's (``alice``, ``finance``) or, against another
database, the first verified member without a role and the first finance member.
``schemathesis.toml`` at the repository root says what is configured and why. Exits 1 when any
role found a failure.

A member or finance run revoking a token could revoke the very token it fuzzes with (any token
id is a valid guess), after which every request is a 401: so each signed-in role is fuzzed in
two passes, everything but the revocation first, then the revocation alone, last.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import connection

from accounts.models import User
from accounts.services import token_issue

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def role_tokens() -> dict[str, str | None]:
    """{"anonymous": None, "member": key, "finance": key} for the members of this database."""
    members = User.objects.filter(is_active=True, email_verified=True, is_staff=False)
    member = members.filter(username="alice").first() or members.filter(groups=None).first()
    finance = (
        members.filter(username="finance").first() or members.filter(groups__name="finance").first()
    )
    tokens: dict[str, str | None] = {"anonymous": None}
    for role, user in (("member", member), ("finance", finance)):
        if user is None:
            raise RuntimeError(f"No {role} in this database: run `manage.py seed_demo`.")
        tokens[role] = token_issue(member=user, name="api_fuzz")[1]
    return tokens


REVOKE = "v1_auth_tokens_destroy"  # DELETE /api/v1/auth/tokens/{token_id}/


def passes(token: str | None) -> list[list[str]]:
    """The operations' selection of each schemathesis run of a role (see the module's doc)."""
    if token is None:
        return [[]]
    return [["--exclude-operation-id", REVOKE], ["--include-operation-id", REVOKE]]


def fuzz(
    url: str, token: str | None, *, max_examples: int, seed: int, select: list[str]
) -> tuple[int, str]:
    """One schemathesis run against ``url`` (the site's root); (exit code, its summary)."""
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(ROOT / "schemathesis.toml"),
        "run",
        f"{url.rstrip('/')}/api/schema/",
        "--checks",
        "all",
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--no-color",
        *select,
    ]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=900)
    return done.returncode, done.stdout + done.stderr


def _database_url() -> str:
    """This process's database as a URL, so the server serves the very same one (a test's)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "api-fuzz-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "platform/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/schema/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port}")


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--url", help="a running site; default: serve this database")
        parser.add_argument("--port", type=int, default=0, help="default: a free one")
        parser.add_argument("--max-examples", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, url=None, port=0, max_examples=10, seed=1, **options):
        if not User.objects.exists():
            call_command("seed_demo", stdout=self.stdout)
        tokens = role_tokens()
        port = port or free_port()
        server = None if url else _serve(port)
        url = url or f"http://127.0.0.1:{port}"
        failed = []
        try:
            for role, token in tokens.items():
                for select in passes(token):
                    code, output = fuzz(
                        url, token, max_examples=max_examples, seed=seed, select=select
                    )
                    summary = output.strip().splitlines()[-1] if output.strip() else "(no output)"
                    self.stdout.write(f"{role:<10} exit {code}: {summary.strip('= ')}")
                    if code != 0:
                        failed.append(role)
                        self.stdout.write(output)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
        if failed:
            raise SystemExit(1)
