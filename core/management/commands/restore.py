"""manage.py restore DIR: a backup into an empty database and MEDIA_ROOT, then checked."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the empty database DATABASE_URL names "
        "(and an empty MEDIA_ROOT), after checking its files against the manifest's hashes; then "
        "check every table's row count, each app's facts (ledger totals, settlement hashes) and "
        "problems (an unbalanced ledger transaction). Fails if anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the backup's folder")

    def handle(self, *args, folder: Path, **options):
        try:
            report = backup_restore(source=folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in report["mismatches"] + report["problems"]:
            self.stderr.write(line)
        if report["mismatches"] or report["problems"]:
            raise CommandError("The restored data does not match the backup (see above).")
        self.stdout.write(
            f"Restored {report['tables']} tables ({report['rows']} rows) and "
            f"{report['uploads']} uploads; row counts, facts and hashes match, no problems."
        )
