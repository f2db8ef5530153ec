"""``sambang backup FILE``: the database and every media file in one archive, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sambang.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the database (SQLite backup API or pg_dump) and every media file into one "
        "archive with a manifest: rows per table, SHA-256 per file, migrations, engine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write (a tar file)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.exists():
            raise CommandError(_("%s exists already; choose another name.") % path)
        try:
            manifest = backup_write(path=path, progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        size = sum(item["size"] for item in manifest["media"])
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Wrote %(file)s: %(engine)s database, %(tables)d tables, %(rows)d rows; "
                    "%(files)d media files, %(bytes)d bytes."
                )
                % {
                    "file": path,
                    "engine": manifest["engine"],
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": len(manifest["media"]),
                    "bytes": size,
                }
            )
        )
