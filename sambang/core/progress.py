"""Progress bars for long commands (DESIGN: long work shows progress).

Drawn on standard error while it is a terminal; where it is not (a log file, CI), each
step prints one line when it ends instead, so that long work is never silent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# report(step, done, total): ``done`` of ``total`` units of work of a named step.
StepProgress = Callable[[str, int, int], None]


def _columns() -> tuple[TextColumn, BarColumn, MofNCompleteColumn, TimeElapsedColumn]:
    return (
        TextColumn("{task.description:<24}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """Yield an ``advance(n)`` callback drawing one bar."""
    with progress_steps() as report:
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            report(description, done, total if total is not None else done + 1)

        yield advance
        report(description, done, done)  # finished: the plain line says how much


@contextmanager
def progress_steps() -> Iterator[StepProgress]:
    """Yield ``report(step, done, total)``: a bar per step, in the order the steps begin."""
    console = Console(stderr=True)
    if console.is_terminal:
        with Progress(*_columns(), console=console) as bar:
            tasks = {}

            def draw(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done, total=total)

            yield draw
        return

    started: dict[str, float] = {}
    ended: set[str] = set()

    def log(step: str, done: int, total: int) -> None:
        started.setdefault(step, time.perf_counter())
        if done >= total and step not in ended:
            ended.add(step)
            took = time.perf_counter() - started[step]
            console.print(f"{step}: {done:,} done in {took:.1f} s", highlight=False)

    yield log
