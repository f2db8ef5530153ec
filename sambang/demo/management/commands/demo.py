"""``sambang demo``: load the demo data (once) and print the demo logins."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sambang.audit.truncate import truncate_allowed
from sambang.core.progress import progress_steps
from sambang.demo import services


class Command(BaseCommand):
    help = (
        "Load the Kabupaten Bekasi demo (regions, units, ~150 officers, three months of "
        "plans and reports) and print the logins."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="empty the database and rebuild the demo"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=services.DEMO_DAYS,
            help=f"days of plans and reports to generate (default {services.DEMO_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.DEMO_MODE):
            # Never put fake officers into (or flush) a production database.
            raise CommandError("The demo runs only with DEBUG on or SAMBANG_DEMO=1.")
        if options["reset"]:
            with truncate_allowed():  # the audit log is emptied too
                call_command("flush", interactive=False, verbosity=0)
        if services.demo_exists():
            logins = services.demo_logins()
        else:
            if not 0 <= options["days"] <= 366:
                raise CommandError("--days: choose 0 to 366 days of field work.")
            self.stdout.write("Building the demo data (Kabupaten Bekasi)…")
            started = time.perf_counter()
            with progress_steps() as report:
                logins = services.demo_load(days=options["days"], progress=report)
            self.stdout.write(f"Built in {time.perf_counter() - started:.0f} s.")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {services.DEMO_PASSWORD}):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role:<28} {login.scope}")
        if not settings.DEMO_MODE:
            self.stdout.write(
                self.style.WARNING("Demo logins work only with SAMBANG_DEMO=1 (make demo sets it).")
            )
