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
        # Reports that could not be processed (an error of the code): not taken again by
        # this process, so that they do not hold up the others; the log says which.
        set_aside: set[int] = set()
        if options["once"]:
            taken = 0
            while done := processing.process_available(options["batch"], set_aside):
                taken += done
            self.stdout.write(f"{taken - len(set_aside):,} reports processed.")
            if set_aside:
                self.stderr.write(
                    f"{len(set_aside):,} could not be processed and still wait "
                    f"(ids {', '.join(map(str, sorted(set_aside)))}): see the log."
                )
            return
        self.stdout.write("Processing accepted reports (Ctrl-C stops).")
        # One connection for as long as it works (not a new one per poll: on SQLite, opening
        # and closing the last connection takes the database's lock, which a worker stopped
        # at that moment would keep from every writer).
        while True:
            try:
                done = processing.process_available(options["batch"], set_aside)
            except DatabaseError:
                # A deadlock with another worker, the database restarting: the batch was
                # rolled back and waits; try again in a moment, on a new connection if this
                # one is broken.
                logger.exception("report batch failed; retrying")
                close_old_connections()
                done = 0
            if not done:
                time.sleep(options["idle"])
