"""Residents' reports in every state and leadership directives, for the demo."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from sambang.organization.models import Directive, Unit
from sambang.organization.services import directive_acknowledge, directive_complete, directive_issue
from sambang.personnel.models import User
from sambang.public import services
from sambang.public.models import CitizenCategory, CitizenReport, CitizenStatus
from sambang.territory.models import Region

_STORIES = {
    CitizenCategory.CRIME: ["Motor warga hilang dari depan rumah tadi malam.", "Ada orang asing mencoba membuka pintu rumah kosong.", "Kotak amal musala dibobol."],
    CitizenCategory.DISORDER: ["Balap liar setiap malam Minggu di jalan desa.", "Pemuda mabuk membuat keributan di pos ronda."],
    CitizenCategory.DRUGS: ["Diduga ada transaksi narkoba di warung ujung gang."],
    CitizenCategory.CONFLICT: ["Dua keluarga bertengkar soal batas tanah.", "Warga dua RT ribut karena saluran air."],
    CitizenCategory.TRAFFIC: ["Truk parkir di tikungan, sering hampir terjadi kecelakaan."],
    CitizenCategory.DISASTER: ["Tanggul kali mulai retak menjelang musim hujan."],
    CitizenCategory.SERVICE: ["Mohon dibantu surat keterangan kehilangan KTP."],
}  # fmt: skip

# The handling reached, and how many reports end there.
_OUTCOMES = [
    (CitizenStatus.RECEIVED, 3),
    (CitizenStatus.ASSIGNED, 8),
    (CitizenStatus.IN_PROGRESS, 8),
    (CitizenStatus.RESOLVED, 10),
    (CitizenStatus.CLOSED, 6),
    (CitizenStatus.REJECTED, 3),
]


def demo_citizen_reports(*, villages: list[Region], handler: User, seed: int) -> int:
    """About forty residents' reports of the last month, some of them overdue."""
    rng = random.Random(seed)
    now = timezone.now()
    count = 0
    for status, n in _OUTCOMES:
        for _ in range(n):
            category = rng.choice(list(_STORIES))
            named = rng.random() < 0.4
            result = services.citizen_report_submit(
                data={
                    "category": category,
                    "description": rng.choice(_STORIES[category]),
                    "village": rng.choice(villages).code,
                    "place": f"RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 6):02d}",
                    "anonymous": not named,
                    "reporter_name": f"Warga Contoh {rng.randint(1, 99)}" if named else "",
                    "reporter_phone": f"0812-0000-{rng.randint(1000, 9999)}" if named else "",
                },
                uploads=[],
                address=f"demo-{count}",
            )
            report = result.report
            received = now - dt.timedelta(days=rng.uniform(0.2, 30))
            CitizenReport.objects.filter(pk=report.pk).update(
                received_at=received, due_at=received + dt.timedelta(hours=72)
            )
            report.refresh_from_db()
            _handle(report, status, handler)
            count += 1
    return count


# The handling steps that bring a report to each status.
_STEPS: dict[str, list[str]] = {
    CitizenStatus.IN_PROGRESS: [CitizenStatus.IN_PROGRESS],
    CitizenStatus.RESOLVED: [CitizenStatus.IN_PROGRESS, CitizenStatus.RESOLVED],
    CitizenStatus.CLOSED: [
        CitizenStatus.IN_PROGRESS,
        CitizenStatus.RESOLVED,
        CitizenStatus.CLOSED,
    ],
    CitizenStatus.REJECTED: [CitizenStatus.REJECTED],
}


def _handle(report: CitizenReport, status: str, handler: User) -> None:
    steps = _STEPS.get(status, [])
    for step in steps:
        if step == CitizenStatus.RESOLVED:
            services.citizen_report_answer(
                report=report, user=handler, note="Sudah ditindaklanjuti bersama perangkat desa."
            )
        services.citizen_report_transition(
            report=report,
            user=handler,
            status=step,
            reason="Laporan sudah ditangani instansi lain."
            if step == CitizenStatus.REJECTED
            else "",
        )


def demo_directives(*, issuers: list[tuple[User, Unit]], seed: int) -> list[Directive]:
    """Directives from the Polres and the Polda, partly acknowledged and done."""
    rng = random.Random(seed)
    texts = [
        ("Petakan titik rawan Pilkada", "Setiap Bhabinkamtibmas memetakan titik rawan pemilu di desanya dan melaporkannya."),
        ("Aktifkan kembali poskamling", "Data poskamling yang tidak aktif dan dorong jadwal ronda bersama RT/RW."),
        ("Sosialisasi bahaya judi online", "Lakukan penyuluhan bahaya judi online di sekolah dan karang taruna."),
    ]  # fmt: skip
    made = []
    for (issuer, unit), (title, body) in zip(issuers, texts, strict=False):
        directive = directive_issue(
            issuer=issuer, unit=unit, title=title, body=body,
            due_date=timezone.localdate() + dt.timedelta(days=rng.randint(7, 30)),
        )  # fmt: skip
        for receipt in directive.receipts.all():
            if rng.random() < 0.7:
                directive_acknowledge(receipt=receipt)
            if receipt.acknowledged_at and rng.random() < 0.5:
                directive_complete(receipt=receipt, note="Sudah dilaksanakan dan dilaporkan.")
        made.append(directive)
    return made


_FIGURES = [("religious", "KH. Contoh", "Ketua DKM"), ("community", "Bapak Contoh", "Ketua RW 03"), ("youth", "Bang Contoh", "Ketua Karang Taruna"), ("women", "Ibu Contoh", "Ketua PKK"), ("traditional", "Abah Contoh", "Sesepuh kampung")]  # fmt: skip
_FACTORS = ["land_dispute", "student_fights", "illegal_racing", "drugs", "flood", "theft", "election", "gambling"]  # fmt: skip


def demo_village_knowledge(*, villages: list[Region], seed: int) -> None:
    """Profiles, figures, partners, posts and spots for the demo's villages."""
    from sambang.community.models import KeyFigure, Partner, PoskamlingPost, VulnerableSpot
    from sambang.community.services import profile_update, record_save

    rng = random.Random(seed)
    today = timezone.localdate()
    for village in villages:
        muslim = rng.randint(80, 98)
        profile_update(
            village=village,
            data={
                "households": rng.randint(800, 6000),
                "rt_count": rng.randint(10, 60),
                "rw_count": rng.randint(3, 15),
                "livelihoods": rng.choice(
                    [
                        "Buruh pabrik, pedagang",
                        "Petani, nelayan",
                        "Petani, buruh tani",
                        "Karyawan swasta, pedagang",
                    ]
                ),
                "religions": {"Islam": muslim, "Kristen": 100 - muslim - 1, "Buddha": 1},
                "ethnic_groups": {"Sunda": 50, "Betawi": 30, "Jawa": 20},
                "factors": [
                    {"factor": f, "level": rng.choice(["low", "medium", "high"])}
                    for f in rng.sample(_FACTORS, rng.randint(1, 4))
                ],
            },
        )
        for kind, name, role in rng.sample(_FIGURES, 3):
            record_save(
                record=KeyFigure(),
                village=village,
                data={
                    "kind": kind,
                    "name": name,
                    "role": role,
                    "influence": rng.choice(["medium", "high"]),
                },
            )
        record_save(
            record=Partner(), village=village, data={"kind": "babinsa", "name": "Babinsa Contoh"}
        )
        record_save(
            record=Partner(),
            village=village,
            data={"kind": "village_head", "name": f"Kepala Desa {village.name}"},
        )
        assert village.centroid_lat is not None and village.centroid_lng is not None
        for n in range(rng.randint(1, 3)):
            record_save(
                record=PoskamlingPost(),
                village=village,
                data={
                    "name": f"Pos Kamling RW {n + 1:02d}",
                    "latitude": village.centroid_lat + rng.uniform(-0.005, 0.005),
                    "longitude": village.centroid_lng + rng.uniform(-0.005, 0.005),
                    "active": rng.random() < 0.7,
                    "roster": {"mon": "Warga RT 01", "wed": "Warga RT 02", "sat": "Pemuda RW"},
                },
            )
        if rng.random() < 0.6:
            record_save(
                record=VulnerableSpot(),
                village=village,
                data={
                    "category": rng.choice(
                        ["crime", "conflict", "disaster", "traffic", "election"]
                    ),
                    "level": rng.choice(["low", "medium", "high"]),
                    "latitude": village.centroid_lat + rng.uniform(-0.006, 0.006),
                    "longitude": village.centroid_lng + rng.uniform(-0.006, 0.006),
                    "note": "Titik rawan menurut warga dan Bhabinkamtibmas",
                    "last_reviewed": today - dt.timedelta(days=rng.randint(0, 120)),
                },
            )


# Social conflicts a year in the Polres Metro Bekasi area, 2018–2022 (the research's
# figures), replayed over the last five years; the mix follows it too: clashes between
# groups first, then student fights.
SOCIAL_CONFLICTS_PER_YEAR = [35, 28, 10, 8, 23]
WIB = ZoneInfo("Asia/Jakarta")  # the demo's units keep Western Indonesia Time
_CONFLICT_MIX = {"antar-kelompok": 50, "tawuran-pelajar": 35, "sengketa-lahan": 10, "sara": 5}
_CRIME_MIX = {
    "curanmor": 30,
    "pencurian": 25,
    "narkoba": 15,
    "penganiayaan": 10,
    "kdrt": 8,
    "balap-liar": 12,
}
_OTHER_MIX = {"banjir": 40, "kebakaran": 30, "kecelakaan": 30}


def demo_incidents(*, villages: list[Region], recorder: User, seed: int) -> int:
    """Five years of incidents for the regency, and a few persons of interest."""
    from sambang.security.catalogue import categories_seed
    from sambang.security.incidents import incident_record, person_record
    from sambang.security.models import IncidentCategory

    categories_seed(IncidentCategory)  # a flushed database (demo --reset) lost the seeded tree
    rng = random.Random(seed)
    today = timezone.localdate()
    first_year = today.year - len(SOCIAL_CONFLICTS_PER_YEAR)
    count = 0
    conflicts = []
    for offset, conflicts_a_year in enumerate([*SOCIAL_CONFLICTS_PER_YEAR, None]):
        year = first_year + offset
        days = (today - dt.date(year, 1, 1)).days if year == today.year else 365
        n_conflicts = conflicts_a_year if conflicts_a_year is not None else round(23 * days / 365)
        plan = (
            [
                (c, True)
                for c in rng.choices(
                    list(_CONFLICT_MIX), list(_CONFLICT_MIX.values()), k=n_conflicts
                )
            ]
            + [
                (c, False)
                for c in rng.choices(
                    list(_CRIME_MIX), list(_CRIME_MIX.values()), k=round(40 * days / 365)
                )
            ]
            + [
                (c, False)
                for c in rng.choices(
                    list(_OTHER_MIX), list(_OTHER_MIX.values()), k=round(12 * days / 365)
                )
            ]
        )
        for category, is_conflict in plan:
            village = rng.choice(villages)
            assert village.centroid_lat is not None and village.centroid_lng is not None
            when = dt.datetime.combine(
                dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(max(days, 1))),
                dt.time(rng.choice([9, 14, 17, 20, 22, 23])),
                WIB,
            )
            recorded = incident_record(
                user=recorder,
                data={
                    "category": category,
                    "village": village.code,
                    "occurred_at": when,
                    "latitude": village.centroid_lat + rng.uniform(-0.005, 0.005),
                    "longitude": village.centroid_lng + rng.uniform(-0.005, 0.005),
                    "description": "Kejadian dicatat dari laporan Polsek.",
                    "modus_operandi": "Janjian melalui media sosial"
                    if category == "tawuran-pelajar"
                    else "",
                    "groups_involved": "Dua kelompok pemuda antar-kampung"
                    if category == "antar-kelompok"
                    else "",
                    "injured": rng.randint(0, 4) if is_conflict else 0,
                    "status": rng.choice(["settled", "settled", "handled", "referred"]),
                },
            )
            if is_conflict:
                conflicts.append(recorded)
            count += 1
    for n in range(5):
        linked = rng.sample(conflicts, min(3, len(conflicts)))
        person_record(
            user=recorder,
            data={
                "name": f"Residivis Contoh {n + 1}",
                "village": linked[0].village_id,
                "note": "Terlibat beberapa konflik sosial.",
                "incidents": [i.pk for i in linked],
            },
        )
    return count
