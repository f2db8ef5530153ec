"""``sambang generate``: a synthetic country on the real region codes (benchmarks, trials),
with demo accounts: only in the demo mode."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sambang.core.errors import ApplicationError
from sambang.core.progress import progress_steps
from sambang.demo import national


class Command(BaseCommand):
    help = (
        "Generate a synthetic country into an empty database: units on the real region "
        "codes, officers, plans, reports, incidents and residents' reports, then the rollups."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(national.SCALES),
            default="national",
            help="national (83,762 villages), province (Jawa Barat) or regency (Kab. Bekasi)",
        )
        parser.add_argument(
            "--months", type=int, default=1, help="whole months of field work, up to last month"
        )
        parser.add_argument(
            "--seed", type=int, default=20261123, help="the same seed, the same data"
        )
        parser.add_argument(
            "--activity",
            type=float,
            default=1.0,
            help="scales the reports officers file (1.0: ~2.3 a working day on average)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            # Its accounts share a published password: a database outside the demo mode
            # (production, DEBUG or not) must never hold them.
            raise CommandError(
                "Refused: generated accounts share a published password, so generate runs "
                "only with SAMBANG_DEMO=1 (a demo or trial database, never production). Real "
                "accounts are created with `sambang accounts`."
            )
        if not 1 <= options["months"] <= 36:
            raise CommandError("--months: choose 1 to 36 months.")
        if not 0 < options["activity"] <= 5:
            raise CommandError("--activity: choose a factor above 0 and up to 5.")
        started = time.perf_counter()
        with progress_steps() as progress:
            try:
                result = national.generate(
                    scale=options["scale"],
                    months=options["months"],
                    seed=options["seed"],
                    activity=options["activity"],
                    progress=progress,
                )
            except ApplicationError as error:
                raise CommandError(str(error)) from error
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.first_day} to {result.last_day} in {took:.0f} s: "
                f"{result.units:,} units, {result.officers:,} officers covering "
                f"{result.covered_villages:,} of {result.villages:,} villages, "
                f"{result.plans:,} plan items, {result.reports:,} reports "
                f"({result.household_visits:,} household visits), {result.incidents:,} incidents, "
                f"{result.citizen_reports:,} residents' reports."
            )
        )
        self.stdout.write(
            f"Demo logins (only while SAMBANG_DEMO=1): a unit's code in lower case or an "
            f"officer's NRP; password {national.GENERATED_PASSWORD}."
        )
