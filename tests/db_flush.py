"""The empty database after a transactional test (``django_db(transaction=True)``, the browser
and real-worker tests), made quickly. Django empties it with ``flush``: one TRUNCATE of every
table (about 450 relations with their indexes: seconds on PostgreSQL, whatever the test wrote),
then the ``post_migrate`` signal re-creates the content types and permissions it truncated.

``flush_quickly`` leaves the same database behind: every table that holds a row is emptied with
DELETE (the few a test wrote to), in one transaction whose session replication role turns the
foreign-key and append-only triggers off (the ledger's guards refuse such deletes to the
site; a test database is emptied whole). The content types and permissions are kept when they
are the ones the last full flush re-created (same count and largest id), as re-creating them
would give the same rows. Anything else falls back to Django's own flush: a database role that
may not set the replication role (not a superuser), or content types a test added or removed.

Either way the role groups are made again as their migration makes them (accounts 0002; flush
alone leaves them out): every test starts from the database ``migrate`` leaves, whichever ran
before it on its xdist worker.
"""

import importlib

from django.apps import apps
from django.core.management import call_command
from django.db import connections, transaction

ROLE_GROUPS = importlib.import_module("accounts.migrations.0002_role_groups")

# Re-created by the post_migrate signal after Django's flush.
KEPT = ("django_content_type", "auth_permission")

# Per database alias: the (count, largest id) of each KEPT table after the last full flush.
_kept_as_flushed: dict[str, tuple] = {}


def flush_quickly(alias: str) -> None:
    """Empty every table of database ``alias`` as ``manage.py flush`` does (no sequences
    reset), quickly when it can."""
    connection = connections[alias]
    if not _may_turn_triggers_off(connection):
        _flush_fully(alias)
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables
            ),
            tables,
        )
        written = [row[0] for row in cursor.fetchall()]
    if _kept_as_flushed.get(alias) != _kept_fingerprint(connection):
        _flush_fully(alias)  # the first time, or a test changed the content types
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in written:
                if table not in KEPT:
                    cursor.execute(f"DELETE FROM {quote(table)}")
        ROLE_GROUPS.create_groups(apps, None)


def _flush_fully(alias: str) -> None:
    call_command(
        "flush", verbosity=0, interactive=False, database=alias, reset_sequences=False,
        allow_cascade=False, inhibit_post_migrate=False,
    )  # fmt: skip
    ROLE_GROUPS.create_groups(apps, None)
    _kept_as_flushed[alias] = _kept_fingerprint(connections[alias])


def _kept_fingerprint(connection) -> tuple:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT count(*), max(id) FROM {quote(t)}" for t in KEPT)
        )
        return tuple(cursor.fetchall())


def _may_turn_triggers_off(connection) -> bool:
    if not hasattr(connection, "_tests_may_replicate"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        connection._tests_may_replicate = bool(row and row[0])
    return connection._tests_may_replicate
