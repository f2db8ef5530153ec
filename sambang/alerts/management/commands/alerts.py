"""``sambang alerts detect``: the early warning's weekly run (and ``counts``, ``backtest``)."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sambang.alerts.backtest import backtest
from sambang.alerts.counts import counts_rebuild
from sambang.alerts.detection import watch_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = (
        "The early warning. detect: take the watch through the weeks up to the last complete "
        "one (run it weekly, e.g. each Monday at 01:00; it catches up on missed weeks); "
        "counts: count every village's weeks again from the records (writes keep them "
        "current); backtest: replay the watch over drawn years of counts with planted "
        "rises and print the false alarms per Polsek-month and the share of rises flagged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        detect = sub.add_parser("detect", help="Take the watch through the weeks not yet seen.")
        detect.add_argument("--until", help="the last week (a date in it; default: last week)")
        detect.add_argument("--since", help="go through the weeks again from this one")
        sub.add_parser("counts", help="Count every village's weeks again.")
        test = sub.add_parser(
            "backtest", help="Replay the watch over drawn years with planted rises."
        )
        test.add_argument("--polseks", type=int, default=40)
        test.add_argument("--years", type=int, default=3, help="years before the watched one")
        test.add_argument("--plants", type=int, default=400)
        test.add_argument("--rise", type=float, default=2.0, help="× the expected count")
        test.add_argument("--length", type=int, default=3, help="weeks the rise lasts")
        test.add_argument("--within", type=int, default=2, help="weeks to flag it in")
        test.add_argument("--seed", type=int, default=20261204)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backtest":
            started = time.perf_counter()
            tested = backtest(
                **{
                    name: options[name]
                    for name in ("polseks", "years", "plants", "rise", "length", "within", "seed")
                }
            )
            self.stdout.write(json.dumps(tested.figures(), indent=2, ensure_ascii=False))
            self.stdout.write(f"{time.perf_counter() - started:.1f} s")
            return
        if options["action"] == "counts":
            for table, n in counts_rebuild().items():
                self.stdout.write(f"{table}: {n} rows")
            return
        started = time.perf_counter()
        results = watch_run(
            until=_date(options["until"]) if options.get("until") else None,
            since=_date(options["since"]) if options.get("since") else None,
        )
        for result in results:
            self.stdout.write(
                f"week of {result.week:%Y-%m-%d}: {result.series} series with something, "
                f"{result.alarms} alarms, {result.seconds:.1f} s"
            )
        if not results:
            self.stdout.write("Nothing to do: the watch has been through every complete week.")
        self.stdout.write(f"{len(results)} weeks in {time.perf_counter() - started:.1f} s")
