"""``sambang integrity``: recompute the integrity of stored reports, or measure the signals
on the labelled set."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sambang.core.progress import progress_bar, progress_steps
from sambang.fieldwork import integrity
from sambang.fieldwork.models import ActivityReport

_BATCH = 5_000


class Command(BaseCommand):
    help = "Recompute reports' integrity (rebuild), or measure the signals (evaluate)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)
        actions = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        actions.add_parser(
            "rebuild",
            help="index every narrative's words again and reassess every report (after an "
            "upgrade that changes the signals)",
        )
        evaluate = actions.add_parser(
            "evaluate",
            help="send the labelled set of genuine and gamed reports through the officers' "
            "path and print precision and recall (the database is left as it was)",
        )
        evaluate.add_argument("--seed", type=int, default=1, help="another seed: unseen cases")
        evaluate.add_argument("--size", choices=["small", "full"], default="small")
        evaluate.add_argument(
            "--placement",
            choices=["polsek", "polres", "both"],
            default="both",
            help="officers in their Polsek, all in the Polres, or one run of each",
        )
        evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            self._rebuild()
        else:
            self._evaluate(options)

    def _rebuild(self) -> None:
        ids = list(ActivityReport.objects.order_by("id").values_list("id", flat=True))
        with progress_bar("reports assessed", len(ids)) as advance:
            for start in range(0, len(ids), _BATCH):
                chunk = ids[start : start + _BATCH]
                integrity.refresh_many(chunk)
                advance(len(chunk))
        self.stdout.write(
            f"{len(ids):,} reports assessed again; rebuild the rollups next "
            "(sambang rollups rebuild)."
        )

    def _evaluate(self, options: dict[str, Any]) -> None:
        from sambang.demo.calibration import PLACEMENTS, evaluate

        placements = PLACEMENTS if options["placement"] == "both" else (options["placement"],)
        results = []
        with progress_steps() as report:
            for placement in placements:
                results.append(
                    evaluate(
                        seed=options["seed"],
                        placement=placement,
                        size=options["size"],
                        progress=report,
                    )
                )
        if options["json"]:
            self.stdout.write(json.dumps([r.figures() for r in results], indent=2))
            return
        for result in results:
            self._table(result.figures())
        missed = [r for r in results if r.recall() < 0.95 or r.false_alarms() > 0.02]
        if missed:
            raise CommandError(
                "The targets (≥ 95% of gamed doubtful, ≤ 2% of genuine) are not met."
            )

    def _table(self, figures: dict[str, Any]) -> None:
        out = self.stdout.write
        out(
            f"\nOfficers in the {figures['placement']} · seed {figures['seed']} · "
            f"{figures['reports']} reports ({figures['gamed']} gamed, {figures['genuine']} genuine)"
        )
        out(f"  gamed reports found doubtful (recall)      {figures['recall']:7.1%}")
        out(f"  genuine reports found doubtful (false alarm) {figures['false_alarms']:5.1%}")
        out("  recall by pattern:")
        for pattern, recall in figures["recall_by_pattern"].items():
            n = figures["cases_by_pattern"].get(pattern, 0)
            out(f"    {pattern:<20} {recall:7.1%}  of {n}")
        out("  false alarms by kind of genuine report:")
        for family, rate in figures["false_alarms_by_family"].items():
            out(f"    {family:<20} {rate:7.1%}")
        out("  signals (reports failed; share of them gamed = precision):")
        for code, values in figures["signals"].items():
            out(f"    {code:<20} {values['failed']:5}  {values['precision']:7.1%}")
