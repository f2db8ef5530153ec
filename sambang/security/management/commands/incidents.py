"""``sambang incidents import FILE --as USERNAME``: incidents kept on paper, from CSV or XLSX."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.management.imports import import_user, report_import
from sambang.security.imports import incidents_import


class Command(BaseCommand):
    help = (
        "Import incidents from CSV or XLSX, one a row, as a supervisor (--as): columns village, "
        "occurred_at (local time), category (code or name), description; optional "
        "modus_operandi, groups_involved, dead, injured, losses_idr, status, latitude, "
        "longitude. Villages must be in the supervisor's units. A row matching an incident "
        "already recorded (village, time, category, description) updates it. Nothing is "
        "imported when any row is invalid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        action = sub.add_parser("import", help="Record incidents from a file.")
        action.add_argument("file", type=Path)
        action.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the supervisor whose villages the incidents are in, and who records them",
        )
        action.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = incidents_import(
                path=options["file"],
                user=import_user(options["username"]),
                dry_run=options["dry_run"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report_import(self, result, "incidents")
        if result.unchanged:
            self.stdout.write(f"{result.unchanged} rows match incidents already recorded.")
