"""Statements the hottest requests run as server-side prepared statements.

Django's cursors bind parameters on the client and cannot prepare; for a statement run on
nearly every request (the vote, the API token's member) PostgreSQL's planning costs more than
the run itself, so these go through the connection's own psycopg cursor with ``prepare=True``.
``DB_PREPARED_STATEMENTS=0`` (config/settings.py) turns preparing off behind a pooler that
cannot keep prepared statements.
"""

import time

import psycopg
from django.db import connection


def fetch_one_prepared(sql: str, params) -> tuple | None:
    """The first row of ``sql`` run as a prepared statement on the default connection. Logged
    where Django logs queries (DEBUG, ``CaptureQueriesContext``), as its own cursors are."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if connection.queries_logged:
        took = time.monotonic() - started
        connection.queries_log.append({"sql": sql, "time": f"{took:.3f}"})
    return row
