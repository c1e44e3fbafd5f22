"""Settings are read from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The test process sets some of these itself; a real deployment would not have them.
_NOT_INHERITED = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"], DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG=0" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY="k" * 10 + "-production-secret-for-the-deploy-check-0123456789xyz",
        ALLOWED_HOSTS="ahhha.example.org",
        PAYOUT_DESTINATION_KEYS="Zm9yLXRoZS1kZXBsb3ktY2hlY2stb25seS0wMTIzNDU=",
        SEPA_DEBTOR_IBAN="DE02120300000000202051",
        SEPA_DEBTOR_BIC="BYLADEM1001",
        SEPA_DEBTOR_ADDRESS_LINE1="Platzstrasse 5",
        CURRENCIES="EUR,CNY",
        PAYMENT_PAYEE_ACCOUNTS='{"EUR": [{"method": "bank_transfer", "holder": "AHHHA GmbH", '
        '"account": "DE02 1203 0000 0000 2020 51"}], "CNY": [{"method": "alipay", '
        '"holder": "AHHHA", "account": "pay@ahhha.example.cn"}]}',
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_refuses_payout_destinations_without_a_key():
    result = _run(
        ["manage.py", "check", "--deploy"],
        DEBUG="0",
        SECRET_KEY="k" * 10 + "-production-secret-for-the-deploy-check-0123456789xyz",
        ALLOWED_HOSTS="ahhha.example.org",
        PAYOUT_DESTINATION_KEYS="",
    )
    assert result.returncode != 0
    assert "PAYOUT_DESTINATION_KEYS is not set" in result.stderr + result.stdout


def test_a_bad_boolean_in_the_environment_is_reported_clearly():
    result = _run(["manage.py", "check"], DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_importing_platform_gives_the_standard_library_module():
    result = _run(["-c", "import platform; print(platform.system())"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {"Linux", "Darwin", "Windows"}


def test_without_a_database_url_the_settings_name_the_embedded_postgresql_and_no_other():
    # The embedded server of this checkout (config/embedded_db.py) when it runs, on its own port;
    # else a folder in .pgdata that is no server: never the machine's PostgreSQL by mistake.
    show = "from django.conf import settings; d = settings.DATABASES['default']; "
    show += "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"
    result = _run(["-c", show], DATABASE_URL="", DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode == 0, result.stderr
    engine, name, host, port = result.stdout.split()
    assert (engine, name) == ("django.db.backends.postgresql", "ahhha")
    assert (host == "127.0.0.1" and port != "5432") or host == str(ROOT / ".pgdata/not-running")


def test_the_embedded_wrapper_only_runs_the_command_when_a_database_url_is_set():
    show = "import os, sys; env = os.environ; "
    show += "print(env['DATABASE_URL'], env.get('DJANGO_SETTINGS_MODULE'))"
    result = _run(
        ["-m", "config.embedded_db", "run", sys.executable, "-c", show + "; sys.exit(3)"],
        DATABASE_URL="postgres://someone@127.0.0.1:1/elsewhere",
    )
    # The command's exit status, its database, and pytest's own settings default (not the
    # config.settings that importing the config package sets).
    assert result.returncode == 3, result.stderr
    assert result.stdout.split() == ["postgres://someone@127.0.0.1:1/elsewhere", "None"]


_PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 10 + "-production-secret-for-the-deploy-check-0123456789xyz",
    "ALLOWED_HOSTS": "ahhha.example.org",
}


def test_production_refuses_to_start_without_payout_destination_keys():
    # Every checking command (runserver, migrate), not only `check --deploy` (issue 26).
    result = _run(["manage.py", "check"], **_PRODUCTION, PAYOUT_DESTINATION_KEYS="")
    assert result.returncode != 0
    assert "payouts.E001" in result.stderr + result.stdout
    bad = _run(["manage.py", "check"], **_PRODUCTION, PAYOUT_DESTINATION_KEYS="not-a-key")
    assert bad.returncode != 0
    assert "payouts.E002" in bad.stderr + bad.stdout


def _entrypoint(tmp_path, **env: str) -> tuple[subprocess.CompletedProcess, Path]:
    """platform/entrypoint.sh web, with gunicorn replaced by a stub that notes it was started
    (and a database that nothing answers at: the check runs first)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    served = tmp_path / "served"
    stub = bin_dir / "gunicorn"
    stub.write_text(f"#!/bin/sh\ntouch {served}\n")
    stub.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    clean.update(
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        # Nothing answers there: the check refuses before anything touches a database.
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
        SECURE_SSL_REDIRECT="0",
        **env,
    )
    result = subprocess.run(
        ["sh", "platform/entrypoint.sh", "web"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result, served


def test_the_entrypoint_does_not_serve_production_without_payout_destination_keys(tmp_path):
    result, served = _entrypoint(tmp_path, **_PRODUCTION, PAYOUT_DESTINATION_KEYS="")
    assert result.returncode != 0
    assert "PAYOUT_DESTINATION_KEYS is not set" in result.stderr + result.stdout
    assert not served.exists()


def test_compose_requires_payout_destination_keys_from_the_environment():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    value = compose["x-app"]["environment"]["PAYOUT_DESTINATION_KEYS"]
    assert value.startswith("${PAYOUT_DESTINATION_KEYS:?")
    entrypoint = (ROOT / "platform" / "entrypoint.sh").read_text()
    assert entrypoint.index("check --deploy") < entrypoint.index("exec gunicorn")


def test_the_demo_links_its_emails_to_the_port_it_serves_on(tmp_path):
    """`make demo PORT=8123`: the e-mails' links (SITE_URL) name 8123, not 8000."""
    fake = tmp_path / "python"  # stands in for .venv/bin/python: says what it was given
    fake.write_text('#!/bin/sh\necho "$* SITE_URL=$SITE_URL"\n')
    fake.chmod(0o755)

    def demo(*args: str, **env: str) -> list[str]:
        clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
        done = subprocess.run(
            ["make", "--no-print-directory", "-s", "demo-steps", f"BIN={tmp_path}", *args],
            cwd=ROOT,
            env=clean,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return [line for line in done.stdout.splitlines() if "manage.py" in line]

    served = demo("PORT=8123")
    assert served[-1] == "manage.py runserver 127.0.0.1:8123 SITE_URL=http://127.0.0.1:8123"
    assert all(line.endswith("SITE_URL=http://127.0.0.1:8123") for line in served)
    assert demo()[-1].endswith("127.0.0.1:8000 SITE_URL=http://127.0.0.1:8000")
    # A SITE_URL of one's own (a tunnel, a proxy) still wins.
    assert demo("PORT=8123", SITE_URL="https://demo.example")[-1].endswith(
        "SITE_URL=https://demo.example"
    )
