"""``sambang resources import KIND FILE --as USERNAME``: equipment, budget, allowance or
training, from CSV or XLSX."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.management.imports import import_user, report_import
from sambang.resources.services import KINDS, resources_import


class Command(BaseCommand):
    help = (
        "Import resources from CSV or XLSX as a supervisor or administrator (--as), within "
        "their units: equipment (unit, kind, good, light_damage, heavy_damage; optional "
        "officer, note), budget (unit, fiscal_year, category, allocation_idr; optional "
        "realization_idr, note), allowance (unit, fiscal_year, monthly_idr) or training "
        "(officer, course, start_date; optional title, end_date, passed). Units by code, "
        "officers by NRP. A row matching an existing record updates it. Nothing is imported "
        "when any row is invalid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        action = sub.add_parser("import", help="Create or update resources from a file.")
        action.add_argument("kind", choices=list(KINDS))
        action.add_argument("file", type=Path)
        action.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the supervisor or administrator whose units the records belong to",
        )
        action.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = resources_import(
                kind=KINDS[options["kind"]],
                path=options["file"],
                user=import_user(options["username"]),
                dry_run=options["dry_run"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        report_import(self, result, f"{options['kind']} records")
