"""``sambang rollups rebuild``: recompute every rollup from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sambang.core.progress import progress_bar
from sambang.evaluation.rollups import rollup_officer_count, rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the evaluation's rollups from scratch (writes keep them current)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        with progress_bar("Rebuilding rollups", total=rollup_officer_count()) as advance:
            counts = rollups_rebuild(progress=advance)
        for table, n in counts.items():
            self.stdout.write(f"{table}: {n} rows")
