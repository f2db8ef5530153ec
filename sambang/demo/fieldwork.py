"""Three months of the demo officers' plans and reports, with the patterns a supervisor meets.

Most officers are diligent, some are lazy, and one games the system: copied text,
reused photos and reports from villages too far apart to travel between. The reports are
written in bulk (``fieldwork.history``: what the officers' own writes store) and their
integrity is computed for real, so a supervisor finds the gamer by the same signals.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F
from shapely import Point, prepare
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from sambang.fieldwork.catalogue import catalogue_seed
from sambang.fieldwork.history import NewReport, plans_load, reports_load
from sambang.fieldwork.models import ActivityReport, ActivityType, PlanItem, ReportState
from sambang.personnel.models import Officer, User
from sambang.territory.models import Region
from sambang.testing.fieldwork import photo_bytes

DEMO_DAYS = 91  # three months
ZONE = ZoneInfo("Asia/Jakarta")

# Reports per working day and the share of plan items done, by kind of officer.
PROFILES = {
    "diligent": (0.6, (1, 2), 0.9),
    "average": (0.35, (1, 1), 0.6),
    "lazy": (0.1, (1, 1), 0.2),
}
ACTIVITY_WEIGHTS = {
    "dds": 36,
    "kegiatan-desa": 12,
    "pembinaan-siskamling": 10,
    "pelayanan-polisi": 10,
    "deteksi-dini": 8,
    "pembinaan-ormas": 6,
    "penyuluhan": 6,
    "problem-solving": 4,
    "pencegahan-narkoba": 3,
    "dana-desa": 2,
    "terobosan-kreatif": 2,
}

PLACES = ["balai desa", "masjid", "pos kamling", "warung kopi", "pasar", "sekolah", "lapangan", "rumah ketua RT", "musala", "gereja", "kantor desa", "pangkalan ojek", "posyandu", "majelis taklim", "gudang koperasi", "tepi kali", "gang buntu", "perumahan baru"]  # fmt: skip
TOPICS = ["ronda malam", "pencurian sepeda motor", "kenakalan remaja", "balap liar", "penyalahgunaan narkoba", "banjir musiman", "sengketa batas tanah", "parkir liar", "penipuan daring", "sampah di kali", "tawuran pelajar", "judi online", "pinjaman ilegal", "lampu jalan mati", "pencurian ternak", "miras oplosan", "pungutan liar", "anak putus sekolah", "kebakaran lahan", "kos-kosan tanpa izin"]  # fmt: skip
_OPENINGS = ["Bersama {partner} mengunjungi", "Pagi ini saya mendatangi", "Melaksanakan kegiatan di", "Siang hari menyambangi", "Sore hari bertemu warga di", "Menghadiri undangan warga di", "Atas permintaan {partner} datang ke", "Selepas apel pagi menuju", "Menemani {partner} meninjau", "Malam hari berkeliling ke"]  # fmt: skip
_PARTNERS = ["Babinsa", "kepala desa", "ketua RT {rt}", "tokoh agama setempat", "pengurus karang taruna", "ketua RW {rw}", "Bu bidan desa", "ketua pemuda", "linmas desa"]  # fmt: skip
_MIDDLES = ["Warga menyampaikan keluhan soal {topic} yang terjadi {when}.", "Dibahas langkah bersama menghadapi {topic} di lingkungan RW {rw}.", "Sebanyak {n} warga hadir dan bertanya tentang {topic}.", "Ketua RT {rt} meminta patroli tambahan karena {topic}.", "Saya menjelaskan cara melapor bila terjadi {topic}.", "Seorang ibu bercerita anaknya terlibat {topic} {when}.", "Pemilik warung mengeluhkan {topic} di dekat {place}.", "Pengurus masjid mengusulkan jadwal piket untuk mencegah {topic}.", "Ada {n} rumah yang terdampak {topic} {when}.", "Warga belum tahu nomor pengaduan untuk {topic}.", "Kami mendata titik rawan {topic} di sekitar {place}.", "Pemuda setempat bersedia membantu mengawasi {topic}."]  # fmt: skip
_WHENS = ["minggu lalu", "dua hari terakhir", "setiap malam Minggu", "bulan ini", "sejak awal musim hujan", "kemarin sore", "tiga kali bulan ini", "menjelang subuh"]  # fmt: skip
_CLOSINGS = ["Warga sepakat menghidupkan kembali jadwal ronda.", "Disepakati pertemuan lanjutan {day}.", "Nomor telepon Bhabinkamtibmas dibagikan kepada warga.", "Situasi aman dan kondusif.", "Masalah akan dilaporkan ke Polsek untuk ditindaklanjuti.", "Warga berterima kasih atas kunjungan ini.", "Kepala desa akan membahasnya dalam musyawarah {day}.", "Saya akan kembali memantau {day}.", "Grup percakapan warga RW {rw} dibentuk untuk pelaporan cepat."]  # fmt: skip
_DAYS = ["hari Senin", "hari Kamis", "pekan depan", "akhir bulan", "setelah salat Jumat", "lusa", "awal bulan depan"]  # fmt: skip
# What the officer who games the system pastes, again and again.
GAMED_TEXTS = [
    "Melaksanakan sambang ke rumah warga memberikan himbauan kamtibmas agar selalu menjaga keamanan lingkungan masing-masing dan segera melapor bila ada kejadian.",
    "Melaksanakan patroli dialogis dan himbauan kamtibmas kepada warga agar waspada terhadap tindak kejahatan dan menjaga keamanan lingkungan.",
]  # fmt: skip


@dataclass
class FieldWorkSummary:
    reports: int = 0
    plans: int = 0
    photos: int = 0
    confirmations: int = 0


def _narrative(rng: random.Random) -> str:
    """Three to five sentences, as an officer might write them: formulaic, never identical."""

    def fill() -> dict[str, Any]:
        return {
            "rt": f"{rng.randint(1, 12):02d}",
            "rw": f"{rng.randint(1, 9):02d}",
            "n": rng.randint(5, 60),
            "topic": rng.choice(TOPICS),
            "when": rng.choice(_WHENS),
            "day": rng.choice(_DAYS),
            "place": rng.choice(PLACES),
        }

    first = fill()
    opening = rng.choice(_OPENINGS).format(partner=rng.choice(_PARTNERS).format(**first))
    sentences = [f"{opening} {first['place']} RT {first['rt']}/RW {first['rw']}."]
    sentences += [m.format(**fill()) for m in rng.sample(_MIDDLES, rng.randint(1, 3))]
    sentences.append(rng.choice(_CLOSINGS).format(**fill()))
    return " ".join(sentences)


def report_details(rng: random.Random, kind: ActivityType, when: dt.datetime) -> dict[str, Any]:
    """What the activity type asks of its report, filled in plausibly."""
    code = kind.code
    data: dict[str, Any] = {"participants": None, "partners": [], "outcome": ""}
    if "participants" in kind.required_fields:
        data["participants"] = rng.randint(4, 80)
    if "partners" in kind.required_fields or rng.random() < 0.4:
        data["partners"] = rng.sample(
            ["babinsa", "village_head", "figure", "fkpm"], rng.randint(1, 2)
        )
    if "outcome" in kind.required_fields:
        data["outcome"] = rng.choice(_CLOSINGS).format(day=rng.choice(_DAYS), rw=rng.randint(1, 9))
    if code == "dds":
        consent = rng.random() < 0.3
        data["household"] = {
            "rt": f"{rng.randint(1, 12):03d}",
            "rw": f"{rng.randint(1, 9):03d}",
            "house_number": str(rng.randint(1, 120)),
            "street": rng.choice(
                ["Kampung Rawa", "Dusun II", "Jl. Melati", "Perum Griya Asri", "Kp. Pulo"]
            ),
            "consent": consent,
            "head_name": f"Bapak Contoh {rng.randint(1, 999)}" if consent else "",
            "head_phone": "",
            "advice": "Menjaga keamanan lingkungan dan aktif ronda.",
            "concerns": [
                {
                    "aspect": rng.choice(["security", "economy", "sociocultural"]),
                    "description": f"Keluhan tentang {rng.choice(TOPICS)}",
                    "urgency": rng.choice(["low", "medium", "high"]),
                    "frequency": rng.choice(["once", "sometimes", "often"]),
                }
            ],
        }
    elif code == "deteksi-dini":
        data["information"] = {
            "subject": f"Informasi rencana {rng.choice(TOPICS)}",
            "place": rng.choice(PLACES),
            "happened_at": when,
            "how_obtained": rng.choice(["informant", "resident", "observation", "media"]),
            "aspect": rng.choice(["security", "politics", "sociocultural"]),
            "urgency": rng.choice(["low", "medium", "high"]),
            "reliability": rng.choice("BCDF"),
            "credibility": rng.randint(2, 6),
        }
    elif code == "problem-solving":
        data["problem"] = {
            "kind": rng.choice(["dispute", "dispute", "non_dispute"]),
            "parties": "Dua keluarga bertetangga",
            "witnesses": "Ketua RT dan Babinsa",
            "agreement": "Kedua pihak sepakat berdamai dan menjaga kerukunan.",
            "agency": "",
            "follow_up_date": (when + dt.timedelta(days=14)).date(),
            "follow_up_outcome": "",
        }
    return data


class Places:
    """Where in a village an officer stands: inside its outline when it has one (GPS fixes of
    honest work fall inside the village), else near its centre."""

    def __init__(self) -> None:
        self._outlines: dict[str, BaseGeometry | None] = {}

    def _outline(self, village: Region) -> BaseGeometry | None:
        if village.code not in self._outlines:
            outline = shape(village.boundary) if village.boundary else None
            if outline is not None:
                prepare(outline)
            self._outlines[village.code] = outline
        return self._outlines[village.code]

    def near(
        self, rng: random.Random, village: Region, spread: float = 0.006
    ) -> tuple[float, float]:
        assert village.centroid_lat is not None and village.centroid_lng is not None
        outline = self._outline(village)
        for _ in range(30):
            lat = village.centroid_lat + rng.uniform(-spread, spread)
            lng = village.centroid_lng + rng.uniform(-spread, spread)
            if outline is None or outline.contains(Point(lng, lat)):
                return lat, lng
        assert outline is not None
        inside = outline.representative_point()  # a thin or small village
        return inside.y, inside.x


def _new(
    officer: Officer,
    data: dict[str, Any],
    delay: dt.timedelta = dt.timedelta(minutes=20),
    photos: tuple[bytes, ...] = (),
    confirmation: dict[str, Any] | None = None,
) -> NewReport:
    """A report as the officer's phone would send it, received ``delay`` later."""
    payload = {"uuid": uuid.uuid4(), "plan_item": None, "state": ReportState.SENT, **data}
    return NewReport(
        officer=officer,
        data=payload,
        received_at=data["occurred_at"] + delay,
        photos=photos,
        confirmation=confirmation,
    )


def demo_field_work(
    *,
    officers: list[Officer],
    gamer: Officer,
    showcase: Officer,
    reviewer: User,
    today: dt.date,
    seed: int,
    days: int = DEMO_DAYS,
    progress: Callable[[int], None] | None = None,
) -> FieldWorkSummary:
    """Plans and reports of the last ``days`` days (and plans for the coming week).

    ``progress`` is called once per officer whose work is made up, then once more when it
    is written and assessed."""
    catalogue_seed(ActivityType)
    types = {t.code: t for t in ActivityType.objects.all()}
    rng = random.Random(seed)
    residents = random.Random(seed + 1)  # who confirms a household visit
    places = Places()
    summary = FieldWorkSummary()
    start = today - dt.timedelta(days=days)
    now = dt.datetime.now(ZONE)
    codes, weights = list(ACTIVITY_WEIGHTS), list(ACTIVITY_WEIGHTS.values())
    plans: list[PlanItem] = []
    reports: list[NewReport] = []
    for officer in officers:
        assignments = [
            a
            for a in officer.assignments.filter(end_date__isnull=True).select_related("village")
            if a.village.centroid_lat is not None
        ]
        if not assignments:  # at headquarters, or villages without a position: no field work
            if progress:
                progress(1)
            continue
        profile = "diligent" if officer == showcase else _profile(rng)
        report_share, per_day, plan_done = PROFILES[profile]
        if officer == gamer:
            villages = [a.village for a in assignments]
            since = max(start, *(a.start_date for a in assignments))
            reports += _gamed_reports(rng, places, officer, villages, since, today)
            if progress:
                progress(1)
            continue
        day = start
        while day <= today + dt.timedelta(days=7):  # the coming week is planned too
            villages = [a.village for a in assignments if a.start_date <= day]
            workday = day.weekday() < 5 and bool(villages)
            planned: list[PlanItem] = []
            if workday and rng.random() < 0.6:
                for _ in range(rng.randint(1, 2)):
                    planned.append(
                        PlanItem(
                            uuid=uuid.uuid4(),
                            officer=officer,
                            unit=officer.unit,
                            activity_type=types[rng.choices(codes, weights)[0]],
                            village=rng.choice(villages),
                            date=day,
                            start_time=dt.time(rng.choice([8, 9, 10, 13, 14])),
                            target_kind="household",
                            target=f"RT {rng.randint(1, 12):02d}",
                        )
                    )
                plans += planned
            if day < today and workday and rng.random() < report_share:
                hour = 8.0
                for n in range(rng.randint(*per_day)):
                    item = planned[n] if n < len(planned) and rng.random() < plan_done else None
                    code = item.activity_type.code if item else rng.choices(codes, weights)[0]
                    village = item.village if item else rng.choice(villages)
                    hour += rng.uniform(0.5, 3)
                    when = dt.datetime.combine(day, dt.time(), ZONE) + dt.timedelta(
                        hours=min(hour, 17)
                    )
                    if when > now - dt.timedelta(minutes=30):
                        break
                    lat, lng = places.near(rng, village)
                    data = {
                        "activity_type": code,
                        "village": village.code,
                        "occurred_at": when,
                        "latitude": lat,
                        "longitude": lng,
                        "accuracy_m": float(rng.choice([5, 8, 12, 20, 35, 60])),
                        "narrative": _narrative(rng),
                        **report_details(rng, types[code], when),
                    }
                    if item:
                        data["plan_item"] = item.uuid
                    # Sent when the signal came back: minutes later, sometimes days.
                    late = rng.random() < 0.05
                    delay = dt.timedelta(
                        hours=rng.randint(50, 120) if late else rng.uniform(0.1, 3)
                    )
                    photos: tuple[bytes, ...] = ()
                    if (
                        officer == showcase
                        and day >= today - dt.timedelta(days=10)
                        and code in ("dds", "kegiatan-desa", "pembinaan-siskamling")
                    ):
                        taken = when + dt.timedelta(minutes=rng.randint(1, 40))
                        photos = (
                            photo_bytes(rng.randrange(10**9), taken_at=taken, position=(lat, lng)),
                        )
                    reports.append(
                        _new(
                            officer,
                            data,
                            min(delay, now - when),
                            photos=photos,
                            confirmation=_confirmation(residents) if code == "dds" else None,
                        )
                    )
            day += dt.timedelta(days=1)
        if progress:
            progress(1)
    summary.plans = plans_load(plans)
    summary.reports = len(reports_load(reports, seed=seed))
    summary.photos = sum(len(r.photos) for r in reports)
    summary.confirmations = sum(r.confirmation is not None for r in reports)
    _review(rng, reviewer, today)
    if progress:
        progress(1)
    return summary


def _confirmation(rng: random.Random) -> dict[str, Any] | None:
    """About a third of the household visits are confirmed by the residents."""
    if rng.random() >= 0.33:
        return None
    return {
        "rating": rng.choices([5, 4, 3, 2], [55, 30, 10, 5])[0],
        "message": rng.choice(["", "", "Terima kasih, Pak.", "Mohon patroli malam ditambah."]),
    }


def _profile(rng: random.Random) -> str:
    return rng.choices(["diligent", "average", "lazy"], [60, 30, 10])[0]


def _gamed_reports(
    rng: random.Random,
    places: Places,
    officer: Officer,
    villages: list[Region],
    start: dt.date,
    today: dt.date,
) -> list[NewReport]:
    """Three reports a day from a script: pasted text, two photos, far-apart places minutes apart."""
    photos = [photo_bytes(rng.randrange(10**9)), photo_bytes(rng.randrange(10**9))]
    far = (
        list(
            Region.objects.filter(
                code__startswith="32.16.", level="village", centroid_lat__isnull=False
            ).order_by("code")[:1]
        )
        + villages
    )
    reports = []
    day = start
    while day < today:
        for n in range(3):
            when = dt.datetime.combine(day, dt.time(9), ZONE) + dt.timedelta(minutes=7 * n)
            place = far[n % len(far)]
            village = villages[n % len(villages)]
            lat, lng = places.near(rng, place, spread=0.001)
            data = {
                "activity_type": "kegiatan-desa",
                "village": village.code,
                "occurred_at": when,
                "latitude": lat,
                "longitude": lng,
                "accuracy_m": 10.0,
                "narrative": GAMED_TEXTS[n % 2],
                "participants": 10,
                "partners": [],
                "outcome": "",
            }
            recent = day >= today - dt.timedelta(days=7)
            reports.append(_new(officer, data, photos=(photos[n % 2],) if recent else ()))
        day += dt.timedelta(days=1)
    return reports


def _review(rng: random.Random, reviewer: User, today: dt.date) -> None:
    """The Polres has worked through most of the older reports; a few went back."""
    cutoff = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(), ZONE)
    older = ActivityReport.objects.filter(occurred_at__lt=cutoff, state=ReportState.SENT).exclude(
        integrity_level="doubtful"
    )
    ids = list(older.values_list("id", flat=True))
    approve = [i for i in ids if rng.random() < 0.85]
    ActivityReport.objects.filter(id__in=approve).update(
        state=ReportState.APPROVED,
        reviewed_by=reviewer,
        reviewed_at=F("submitted_at") + dt.timedelta(days=2),
    )
    returned = [i for i in ids if i not in set(approve) and rng.random() < 0.3]
    ActivityReport.objects.filter(id__in=returned).update(
        state=ReportState.RETURNED,
        reviewed_by=reviewer,
        reviewed_at=F("submitted_at") + dt.timedelta(days=1),
        review_comment="Lengkapi foto kegiatan dan jumlah peserta.",
    )
