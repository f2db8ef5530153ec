"""``sambang history import FILE --as USERNAME``: incidents counted on paper before Sambang."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.management.imports import import_user, report_import
from sambang.evaluation.history_import import historical_counts_import


class Command(BaseCommand):
    help = (
        "Import the incident counts a unit kept on paper for years or months before Sambang: "
        "columns unit (code), year, category (code or name), count; optional month (empty: "
        "the whole year) and source. Each period must end before the unit keeps its "
        "incidents in Sambang. A row for a period already recorded replaces its count. "
        "Nothing is imported when any row is invalid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        action = sub.add_parser("import", help="Record counts from a file.")
        action.add_argument("file", type=Path)
        action.add_argument(
            "--as", dest="username", required=True, help="the supervisor of the units"
        )
        action.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = historical_counts_import(
                path=options["file"],
                user=import_user(options["username"]),
                dry_run=options["dry_run"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report_import(self, result, "counts")
