"""``sambang units import|import-jurisdiction``: the unit tree and what each unit covers."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.management.imports import report_import
from sambang.organization import services


class Command(BaseCommand):
    help = (
        "Import police units (CSV/XLSX: code, name, level, parent_code, timezone; optional "
        "reports_since, incidents_since, citizen_reports_since: from when the unit keeps each "
        "kind of data in Sambang) or their jurisdiction (CSV/XLSX: unit_code, region_code — "
        "a village or a whole district)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, help_text in (
            ("import", "Create or update units."),
            ("import-jurisdiction", "Set which unit covers which villages."),
        ):
            action = sub.add_parser(name, help=help_text)
            action.add_argument("file", type=Path)
            action.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        importer = (
            services.units_import if options["action"] == "import" else services.jurisdiction_import
        )
        try:
            result = importer(path=options["file"], dry_run=options["dry_run"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report_import(self, result, "units" if options["action"] == "import" else "villages")
