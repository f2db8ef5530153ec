"""``sambang officers import FILE``: officers (and their villages) from CSV or XLSX."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.management.imports import report_import
from sambang.personnel import services


class Command(BaseCommand):
    help = (
        "Import officers from CSV or XLSX. Columns: nrp, name, rank, unit_code, education; "
        "optional phone, dikbangspes, dikbangspes_year, trainings, other_duties, status, "
        "villages, assigned_from. Nothing is imported when any row is invalid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        action = sub.add_parser("import", help="Create or update officers.")
        action.add_argument("file", type=Path)
        action.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = services.officers_import(path=options["file"], dry_run=options["dry_run"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report_import(self, result, "officers")
