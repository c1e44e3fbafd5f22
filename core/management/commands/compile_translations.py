"""Compile ``locale/*/LC_MESSAGES/*.po`` into the ``.mo`` files Django reads, with Babel.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``; Babel (already a dependency) is pure
Python, so a fresh machine and the container image need nothing else. ``make`` runs this; only
stale catalogs are rewritten. ``--check`` also fails when any entry is untranslated or fuzzy.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalog_files() -> list[Path]:
    return sorted(
        p for root in settings.LOCALE_PATHS for p in Path(root).glob("*/LC_MESSAGES/*.po")
    )


def unfinished(po: Path) -> tuple[list[str], list[str]]:
    """(untranslated msgids, fuzzy msgids) of one catalog; the header entry is not counted."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            fuzzy.append(msgid)
        elif not all(strings):
            untranslated.append(msgid)
    return untranslated, fuzzy


def compile_catalog(po: Path, *, force: bool = False) -> bool:
    """Write ``po``'s ``.mo`` when it is missing or older; True when written."""
    mo = po.with_suffix(".mo")
    if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return False
    with po.open("rb") as handle:
        catalog = read_po(handle)
    with mo.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    return True


class Command(BaseCommand):
    help = "Compile the translation catalogs (.po → .mo) with Babel."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rewrite every .mo.")
        parser.add_argument(
            "--check", action="store_true", help="Fail on untranslated or fuzzy entries."
        )

    def handle(self, *args, force=False, check=False, **options):
        problems = []
        for po in catalog_files():
            written = compile_catalog(po, force=force)
            untranslated, fuzzy = unfinished(po)
            self.stdout.write(
                f"{po}: {'compiled' if written else 'up to date'}, "
                f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
            )
            if untranslated or fuzzy:
                problems.append(po)
        if check and problems:
            raise CommandError(f"Unfinished catalogs: {', '.join(map(str, problems))}")
