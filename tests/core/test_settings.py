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
