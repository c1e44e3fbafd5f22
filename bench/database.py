"""The benchmarks' own database: environment, the database dropped and created again, Django set
up as in production (DEBUG off) and migrated. One place for what bench/settlement.py,
bench/notify_bulk.py, bench/sales_import.py and bench/ledger_export.py each need first.

Never point DATABASE_URL at a database you care about: unless ``keep``, it is dropped."""

import os
import sys


def recreate_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def bench_database(default_url: str, *, keep: bool = False) -> str:
    """DATABASE_URL (``default_url`` unless set; PostgreSQL only), no Redis (tasks run
    in-process: the services themselves are timed), warnings-only logs; the database dropped
    and created again unless ``keep``; Django set up with DEBUG off (DEBUG keeps the text of
    every statement in ``connection.queries``) and migrated. Returns the database URL."""
    url = os.environ.setdefault("DATABASE_URL", default_url)
    if not url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL.")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not keep:
        recreate_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    return url
