"""``sambang process``: the worker that checks accepted reports and counts them, in batches."""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from sambang.fieldwork import processing

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Check the integrity of accepted reports and count them in the evaluation, in "
        "batches, as they arrive (several may run at once)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="process what waits now, then stop")
        parser.add_argument("--batch", type=int, default=processing.BATCH, help="reports a batch")
        parser.add_argument(
            "--idle", type=float, default=0.5, help="seconds to wait when nothing waits"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            done = processing.process_pending(options["batch"])
            self.stdout.write(f"{done:,} reports processed.")
            return
        self.stdout.write("Processing accepted reports (Ctrl-C stops).")
        while True:
            close_old_connections()  # a database restarted meanwhile: connect again
            try:
                done = processing.process_batch(options["batch"])
            except DatabaseError:
                # A deadlock with another worker, the database restarting: the batch was
                # rolled back and waits; try again in a moment.
                logger.exception("report batch failed; retrying")
                done = 0
            if not done:
                time.sleep(options["idle"])
