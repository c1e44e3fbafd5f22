"""Backups that restore: `manage.py backup` of a database with a posted settlement and an
upload, `manage.py restore` into a new, empty database (a real subprocess, as an operator runs
it), then the restored data checked directly: every ledger transaction balances, every table
has its rows, the settlements are the same to the byte, the upload is back."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from core.backup import table_counts

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def empty_database():
    """A new database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(folder: Path, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return cursor.fetchall()


SETTLEMENTS = "SELECT * FROM payouts_settlement ORDER BY id"
LINES = "SELECT * FROM payouts_settlementline ORDER BY id"
UNBALANCED = (
    "SELECT transaction_id FROM payouts_ledgerentry GROUP BY transaction_id "
    "HAVING sum(debit) <> sum(credit)"
)


def test_a_backup_restores_into_an_empty_database_with_everything_matching(
    posted_settlement, settings, tmp_path, empty_database
):
    upload = Path(settings.MEDIA_ROOT) / "covers" / "lamp.jpg"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"\xff\xd8 a cover" * 100)
    folder = tmp_path / "backup"
    call_command("backup", str(folder))

    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["media"]["files"]) == {"covers/lamp.jpg"}
    assert manifest["facts"]["payouts"]["settlements"] == 1
    source_counts = table_counts()
    assert source_counts["payouts_ledgerentry"] > 0
    with connection.cursor() as cursor:
        settlements, lines = _rows(cursor, SETTLEMENTS), _rows(cursor, LINES)

    restored_media = tmp_path / "restored-media"
    done = _restore(folder, empty_database, restored_media)
    assert done.returncode == 0, done.stderr
    assert "row counts, facts and hashes match" in done.stdout

    with psycopg.connect(_url(empty_database)) as restored, restored.cursor() as cursor:
        assert _rows(cursor, UNBALANCED) == []
        assert _rows(cursor, "SELECT count(*) FROM payouts_ledgertransaction")[0][0] >= 1
        for table, count in source_counts.items():
            assert _rows(cursor, f'SELECT count(*) FROM "{table}"')[0][0] == count, table
        assert _rows(cursor, SETTLEMENTS) == settlements
        assert _rows(cursor, LINES) == lines
        # The ledger's guards came back with the data: a posted entry cannot be changed.
        with pytest.raises(psycopg.Error):
            cursor.execute("UPDATE payouts_ledgerentry SET debit = debit + 1")
    assert (restored_media / "covers" / "lamp.jpg").read_bytes() == upload.read_bytes()

    # Never over a live database: the same restore again is refused, and nothing changes.
    again = _restore(folder, empty_database, tmp_path / "other-media")
    assert again.returncode != 0
    assert "is not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    posted_settlement, tmp_path, empty_database
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")

    done = _restore(folder, empty_database, tmp_path / "restored-media")
    assert done.returncode != 0
    assert "does not match the manifest's SHA-256" in done.stderr
    with psycopg.connect(_url(empty_database)) as restored:
        tables = restored.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0
