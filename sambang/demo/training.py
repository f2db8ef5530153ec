"""The demo's training: the showcase officer has passed every module; of the other officers
of their Polsek, some have passed every module, some a few, and some tried and failed — so
that the Polsek's Anev and its completion page have something to count."""

from __future__ import annotations

import random

from sambang.knowledge.services import active_modules, attempt_submit
from sambang.personnel.models import Officer, OfficerStatus


def demo_training(*, showcase: Officer, seed: int) -> None:
    rng = random.Random(seed)
    modules = list(active_modules().prefetch_related("questions"))
    colleagues = Officer.objects.filter(unit=showcase.unit, status=OfficerStatus.ACTIVE).exclude(
        pk=showcase.pk
    )
    for officer in [showcase, *colleagues.order_by("nrp")]:
        share = 1.0 if officer == showcase else rng.choice([0.0, 0.34, 0.67, 1.0])
        for module in modules:
            if rng.random() >= share:
                continue
            questions = list(module.questions.all())
            if officer != showcase and rng.random() < 0.3:  # a first try that failed
                attempt_submit(
                    officer=officer,
                    module=module,
                    answers={str(q.pk): (q.correct + 1) % len(q.choices) for q in questions},
                )
            attempt_submit(
                officer=officer,
                module=module,
                answers={str(q.pk): q.correct for q in questions},
            )
