"""The demo's early warning: rises in a few Bekasi villages, the watch run over the last
weeks, one alert acknowledged and one closed with the visit that followed it; a regional
election opened by the Polres, with what the showcase officer entered for it."""

from __future__ import annotations

import datetime as dt
import random

from django.urls import reverse

from sambang.alerts.detection import last_complete_week, watch_run
from sambang.alerts.models import ActionKind, Alert, AlertStatus, ElectionKind
from sambang.alerts.selectors import action_reports
from sambang.alerts.services import (
    alert_acknowledge,
    alert_close,
    election_enter,
    election_open,
)
from sambang.community.models import SpotCategory, VulnerableSpot
from sambang.community.services import record_save
from sambang.personnel.models import Officer, User
from sambang.public.models import CitizenCategory
from sambang.public.services import citizen_report_submit
from sambang.security.incidents import incident_record
from sambang.territory.models import Region

WIB = dt.timezone(dt.timedelta(hours=7))
_THEFTS = [
    "Sepeda motor hilang dari teras rumah warga tengah malam.",
    "Pencurian motor di parkiran minimarket, pelaku dua orang.",
    "Motor warga dibawa kabur saat ditinggal di depan masjid.",
    "Percobaan pencurian motor digagalkan warga yang ronda.",
]
_QUARRELS = [
    "Warga dua RT bertengkar soal saluran air yang ditutup.",
    "Ribut antarwarga karena batas tanah kebun, hampir baku hantam.",
    "Pemuda dua kampung saling ejek di media sosial, warga resah.",
]


def _when(rng: random.Random, week: dt.date) -> dt.datetime:
    day = week + dt.timedelta(days=rng.randrange(7))
    return dt.datetime.combine(day, dt.time(rng.choice([1, 2, 21, 22, 23])), WIB)


def demo_alerts(*, showcase: Officer, recorder: User, seed: int, today: dt.date) -> int:
    """Plant two rises in the showcase officer's villages (motorcycle thefts in one over the
    last two complete weeks; clashes between groups last week in another, with residents'
    reports of quarrels), take the watch through the last weeks, and follow two alerts up.
    Returns the alerts raised."""
    rng = random.Random(seed)
    last = last_complete_week(today)
    villages = list(
        Region.objects.filter(assignments__officer=showcase, assignments__end_date__isnull=True)
        .exclude(centroid_lat=None)
        .order_by("code")
    )
    thefts, quarrels = villages[0], villages[-1]
    for week in (last - dt.timedelta(weeks=1), last):
        for _ in range(4):
            incident_record(
                user=recorder,
                data={
                    "category": "curanmor",
                    "village": thefts.code,
                    "occurred_at": _when(rng, week),
                    "description": rng.choice(_THEFTS),
                    "status": "handled",
                },
            )
    for _ in range(3):
        incident_record(
            user=recorder,
            data={
                "category": "antar-kelompok",
                "village": quarrels.code,
                "occurred_at": _when(rng, last),
                "description": rng.choice(_QUARRELS),
                "groups_involved": "Pemuda dua kampung yang bertetangga",
                "status": "handled",
            },
        )
    for n in range(5):
        report = citizen_report_submit(
            data={
                "category": CitizenCategory.CONFLICT,
                "description": rng.choice(_QUARRELS),
                "village": quarrels.code,
            },
            uploads=[],
            address=f"demo-alerts-{n}",
        ).report
        # Received in the last two weeks (saved, so that the weekly counts follow).
        report.received_at = _when(rng, last - dt.timedelta(weeks=n % 2))
        report.due_at = report.received_at + dt.timedelta(hours=72)
        report.save(update_fields=["received_at", "due_at"])
    watch_run(until=last)
    raised = Alert.objects.count()
    # The showcase officer has seen the thefts and visited the village since; the Polsek
    # acknowledged the quarrels and is on it.
    on_thefts = Alert.objects.filter(village=thefts, status=AlertStatus.OPEN).first()
    officer_user = showcase.user
    if on_thefts is not None and officer_user is not None:
        visit = action_reports(officer_user, on_thefts).first()
        alert_acknowledge(alert=on_thefts, user=officer_user)
        if visit is not None:
            alert_close(
                alert=on_thefts,
                user=officer_user,
                action=ActionKind.VISIT,
                report=str(visit.uuid),
                note="Sambang ke warga korban; ronda malam diaktifkan lagi bersama Babinsa.",
            )
    on_quarrels = Alert.objects.filter(village=quarrels, status=AlertStatus.OPEN).first()
    if on_quarrels is not None:
        alert_acknowledge(alert=on_quarrels, user=recorder)
    _election(showcase, recorder, villages, today)
    return raised


def _election(showcase: Officer, recorder: User, villages: list[Region], today: dt.date) -> None:
    """A regional election two months away, opened by the Polres with its directive to map
    the election-vulnerable spots, and what the showcase officer entered for their villages."""
    polres = recorder.unit
    assert polres is not None
    period = election_open(
        user=recorder,
        unit=polres,
        name="Pilkada Kabupaten Bekasi (simulasi)",
        kind=ElectionKind.PILKADA,
        voting_day=today + dt.timedelta(days=60),
        directive_url=lambda p: reverse("alerts:election", args=[p.pk]),
    )
    first = villages[0]
    assert first.centroid_lat is not None and first.centroid_lng is not None
    record_save(
        record=VulnerableSpot(),
        village=first,
        data={
            "category": SpotCategory.ELECTION,
            "level": "high",
            "latitude": first.centroid_lat + 0.002,
            "longitude": first.centroid_lng - 0.001,
            "note": "Lapangan tempat kampanye terbuka dua calon berdekatan.",
            "last_reviewed": today,
        },
    )
    officer_user = showcase.user or recorder
    for village, levels in zip(
        villages,
        (
            {"voter_list": "high", "campaign": "medium", "social_tension": "high"},
            {"voter_list": "low", "logistics": "medium", "turnout": "medium"},
        ),
        strict=False,
    ):
        election_enter(
            user=officer_user,
            period=period,
            village=village,
            levels=levels,
            note="Dari rapat tiga pilar dan PPS desa.",
        )
