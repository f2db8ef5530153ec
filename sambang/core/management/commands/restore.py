"""``sambang restore FILE``: the database and media of a backup, checked against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sambang.core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Restore a `sambang backup` archive into an empty database and the media storage, "
        "then compare every table's rows and every file's SHA-256 with the manifest."
    )
    # The target is usually an empty database: nothing to check against it yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an archive written by `sambang backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="drop the database's tables and overwrite media files of the same name",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the archive and the target only; change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_read(
                path=options["file"],
                replace=options["replace"],
                dry_run=options["dry_run"],
                progress=self.stderr.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        figures = {
            "created": report.created_at,
            "tables": report.tables,
            "rows": report.rows,
            "files": report.files,
            "bytes": report.bytes,
        }
        if not report.restored:
            self.stdout.write(
                _(
                    "The archive of %(created)s is sound: %(tables)d tables, %(rows)d rows, "
                    "%(files)d media files (%(bytes)d bytes). Dry run: nothing was changed."
                )
                % figures
            )
            return
        if report.differences:
            for difference in report.differences:
                self.stderr.write(difference)
            raise CommandError(
                _("Restored, but %(count)d differences from the manifest (listed above).")
                % {"count": len(report.differences)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored the backup of %(created)s: %(tables)d tables, %(rows)d rows, "
                    "%(files)d media files (%(bytes)d bytes); all match the manifest."
                )
                % figures
            )
        )
