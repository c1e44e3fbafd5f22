"""manage.py backup DIR: the database (pg_dump, custom format), the uploads and a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format), the uploads (a tar of MEDIA_ROOT) and a "
        "manifest with their SHA-256 hashes, row counts and facts into a new folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a new (or empty) folder for this backup")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup_create(into=folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        uploads = len(manifest["media"].get("files", {}))
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and {uploads} uploads "
            f"into {folder} (database.dump sha256 {manifest['database']['sha256'][:16]}…)."
        )
