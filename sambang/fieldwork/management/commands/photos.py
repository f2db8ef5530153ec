"""``sambang photos clean``: store again, without metadata, the photos kept as they were
sent before every photo was re-encoded (``fieldwork.photo_cleaning``)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sambang.fieldwork.photo_cleaning import photos_clean


class Command(BaseCommand):
    help = "Re-encode stored photos that still hold what was sent (EXIF, GPS, appended bytes)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)
        actions = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        clean = actions.add_parser(
            "clean",
            help="re-encode every report photo, residents' photo and officer's portrait that "
            "is not yet a plain JPEG (run once after upgrading; a second run finds none)",
        )
        clean.add_argument(
            "--dry-run", action="store_true", help="only count the photos to re-encode"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        for found in photos_clean(dry_run=dry_run):
            verb = "to re-encode" if dry_run else "re-encoded"
            self.stdout.write(
                f"{found.kind}: {found.examined:,} examined, {found.reencoded:,} {verb}"
                + (
                    f", {len(found.unreadable):,} unreadable, left as they are"
                    if found.unreadable
                    else ""
                )
            )
            for name in found.unreadable:
                self.stdout.write(f"  unreadable: {name}")
