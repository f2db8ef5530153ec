"""The demo's resources and monthly evaluations: equipment, budget, courses, approvals."""

from __future__ import annotations

import datetime as dt
import random

from sambang.evaluation.models import MonthlyEvaluation
from sambang.evaluation.periods import add_months
from sambang.evaluation.services import evaluation_decide, evaluation_submit
from sambang.organization.models import Unit
from sambang.personnel.models import Officer, Role, User
from sambang.resources.models import (
    Allowance,
    Budget,
    BudgetCategory,
    Course,
    Equipment,
    EquipmentKind,
    Training,
)

UNIT_KIT = [  # kind, per officer of the Polsek
    (EquipmentKind.HANDY_TALKY, 1.0),
    (EquipmentKind.MEGAPHONE, 0.3),
    (EquipmentKind.OFFICER_BAG, 1.0),
    (EquipmentKind.VEST, 1.0),
    (EquipmentKind.RAINCOAT, 1.0),
    (EquipmentKind.FLASHLIGHT, 0.5),
]


def demo_resources(
    *,
    polda: Unit,
    polres: Unit,
    officers_by_polsek: dict[Unit, list[Officer]],
    year: int,
    seed: int,
) -> None:
    rng = random.Random(seed)
    equipment = []
    for polsek, officers in officers_by_polsek.items():
        for officer in officers:  # most officers ride their own motorcycle
            if rng.random() < 0.8:
                good = rng.random() < 0.7
                equipment.append(
                    Equipment(
                        unit=polsek,
                        officer=officer,
                        kind=EquipmentKind.MOTORCYCLE,
                        good=int(good),
                        light_damage=int(not good),
                    )
                )
        for kind, per_officer in UNIT_KIT:
            count = max(1, round(len(officers) * per_officer))
            heavy = rng.randint(0, count // 4)
            light = rng.randint(0, (count - heavy) // 3)
            equipment.append(
                Equipment(
                    unit=polsek,
                    kind=kind,
                    good=count - heavy - light,
                    light_damage=light,
                    heavy_damage=heavy,
                )
            )
    Equipment.objects.bulk_create(equipment)
    lines = []
    for unit, scale in [(polres, 10), *((p, 1) for p in officers_by_polsek)]:
        for category in BudgetCategory:
            allocation = rng.randint(20, 80) * 1_000_000 * scale
            lines.append(
                Budget(
                    unit=unit,
                    fiscal_year=year,
                    category=category,
                    allocation_idr=allocation,
                    realization_idr=int(allocation * rng.uniform(0.45, 0.85)),
                )
            )
    Budget.objects.bulk_create(lines)
    Allowance.objects.create(unit=polda, fiscal_year=year, monthly_idr=1_500_000)
    courses = []
    for officers in officers_by_polsek.values():
        for officer in officers:
            if rng.random() < 0.5:
                start = dt.date(rng.randint(year - 6, year - 1), rng.randint(1, 12), 1)
                courses.append(
                    Training(
                        officer=officer,
                        course=rng.choice(list(Course)),
                        start_date=start,
                        end_date=start + dt.timedelta(days=rng.randint(5, 20)),
                        passed=rng.random() < 0.95,
                    )
                )
    Training.objects.bulk_create(courses)


def demo_evaluations(*, polres: Unit, reviewer: User, today: dt.date, skip: Unit) -> None:
    """The month before last approved across the Polres and sent to the Polda; last month
    partly submitted (``skip``, the demo's own Polsek, left for its Kapolsek to submit)."""
    this_month = today.replace(day=1)
    before_last, last = add_months(this_month, -2), add_months(this_month, -1)
    polseks = list(polres.children.order_by("name"))
    for index, polsek in enumerate(polseks):
        supervisor = User.objects.filter(unit=polsek, role=Role.POLSEK).first()
        if supervisor is None:
            supervisor = User.objects.create_user(
                username=f"kapolsek-{polsek.code.lower().removeprefix('polsek-')}",
                role=Role.POLSEK,
                unit=polsek,
                first_name="Kapolsek",
                last_name=polsek.name.removeprefix("Polsek "),
            )  # signs its Polsek's months; no password: it cannot log in
        evaluation = evaluation_submit(
            user=supervisor,
            unit=polsek,
            month=before_last,
            summary="Kelengkapan laporan naik; fokus bulan depan pada desa yang belum dikunjungi.",
        )
        evaluation_decide(user=reviewer, evaluation=evaluation, approve=True, note="")
        if polsek != skip and index % 3 != 2:
            submitted = evaluation_submit(
                user=supervisor,
                unit=polsek,
                month=last,
                summary="Laporan bulan ini lengkap; beberapa desa masih kurang kunjungan DDS.",
            )
            if index % 3 == 1:
                evaluation_decide(
                    user=reviewer,
                    evaluation=submitted,
                    approve=False,
                    note="Lengkapi analisis gangguan kamtibmas dan rencana tindak lanjutnya.",
                )
    evaluation_submit(
        user=reviewer,
        unit=polres,
        month=before_last,
        summary="Seluruh Polsek telah disetujui. Tawuran pelajar menurun dibanding tahun lalu.",
    )
    assert MonthlyEvaluation.objects.filter(month=before_last).count() == len(polseks) + 1
