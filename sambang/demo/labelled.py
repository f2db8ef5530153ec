"""A labelled set of activity reports: genuine routine work and each way of gaming it.

The integrity signals are calibrated on this set (``sambang integrity evaluate``). The
genuine reports are written the way officers write: from habits and taught formulas,
so the same programme at many schools, the same concerns in many households and the
same weekly patrol read alike, and only the specifics (school, speaker, head count,
names, RT/RW, time) differ. The gamed reports follow the patterns seen in the field:
pasted text with a random suffix, copies of a colleague's report from another unit,
near-copies with a few words changed, gibberish, a photo used again (re-encoded and
resized), a GPS fix outside the village, and travel no motorcycle could make.

Everything is drawn from one seed, so a set is the same on every machine; another seed
gives cases the calibration has never seen.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GENUINE = "genuine"
# The ways of gaming a report, each of which must be caught.
PASTE_SUFFIX = "paste_suffix"
CROSS_UNIT_COPY = "cross_unit_copy"
NEAR_COPY = "near_copy"
GIBBERISH = "gibberish"
PHOTO_REUSE = "photo_reuse"
GPS_OUTSIDE = "gps_outside"
IMPOSSIBLE_TRAVEL = "impossible_travel"
PATTERNS = (
    PASTE_SUFFIX,
    CROSS_UNIT_COPY,
    NEAR_COPY,
    GIBBERISH,
    PHOTO_REUSE,
    GPS_OUTSIDE,
    IMPOSSIBLE_TRAVEL,
)

# --- what officers write about -----------------------------------------------------------

_MEN = ["Ahmad", "Budi", "Joko", "Slamet", "Agus", "Dedi", "Hendra", "Rahmat", "Suparman", "Wahyu", "Yusuf", "Eko", "Bambang", "Rudi", "Hasan", "Iwan", "Asep", "Ujang", "Darmawan", "Sutrisno", "Teguh", "Irfan", "Fajar", "Nanang", "Kusnadi", "Ridwan", "Samsul", "Taufik", "Zainal", "Maman"]  # fmt: skip
_WOMEN = ["Sri", "Siti", "Nur", "Dewi", "Yanti", "Rina", "Lilis", "Euis", "Wati", "Nining", "Ratna", "Sumiati", "Endang", "Ida", "Fitri", "Aisyah", "Komariah", "Juju", "Neneng", "Rohmah"]  # fmt: skip
_RANKS = ["Bripka", "Aipda", "Brigpol", "Aiptu", "Bripda", "Briptu"]
_TOPICS = ["bahaya narkoba", "kenakalan remaja", "tawuran pelajar", "perundungan di sekolah", "tertib berlalu lintas", "bahaya judi online", "penipuan daring", "pergaulan bebas", "bahaya minuman keras", "etika bermedia sosial", "geng motor", "pencegahan radikalisme"]  # fmt: skip
_QUESTIONS = ["cara melapor bila melihat transaksi narkoba", "sanksi bagi pelajar yang ikut tawuran", "umur minimal untuk membuat SIM", "nomor layanan darurat polisi", "cara menolak ajakan teman merokok", "apa yang dilakukan bila dirundung", "hukuman bagi penyebar berita bohong"]  # fmt: skip
_CONCERNS = ["pencurian sepeda motor pada malam hari", "jalan rusak di depan gang", "anak-anak muda balap liar setiap malam Minggu", "banjir bila hujan deras", "lampu jalan yang mati", "pemuda mabuk di pos ronda", "sampah menumpuk di tepi kali", "pencurian tabung gas", "maraknya judi online di kalangan pemuda", "tetangga yang sering bertengkar", "pungutan liar di pasar", "kos-kosan yang tidak melapor tamu", "anjing liar yang menggigit warga", "pinjaman online ilegal", "suara knalpot bising tengah malam", "kabel listrik yang menjuntai"]  # fmt: skip
_ADVICE = ["agar mengunci ganda kendaraan", "untuk mengaktifkan kembali ronda malam", "agar segera melapor ke Bhabinkamtibmas bila ada kejadian", "agar tidak mudah percaya tawaran pinjaman daring", "untuk menjaga kebersihan lingkungan", "agar mengawasi pergaulan anak", "agar memasang lampu di teras pada malam hari", "untuk menyimpan nomor telepon Polsek"]  # fmt: skip
_SITUATIONS = ["situasi aman dan kondusif", "tidak ada kejadian menonjol", "warga melaporkan keadaan aman", "situasi terkendali", "suasana tertib"]  # fmt: skip
_EVENTS = ["musyawarah desa", "rapat RT dan RW", "musrenbang desa", "pengajian akbar", "kerja bakti", "rapat karang taruna", "penyaluran bantuan sosial", "posyandu balita", "pelantikan pengurus RW"]  # fmt: skip
_PLACES = ["pasar", "pangkalan ojek", "warung kopi", "terminal", "masjid", "lapangan", "stasiun", "minimarket", "pom bensin", "pertigaan jalan desa"]  # fmt: skip
_WHO = ["pedagang", "tukang ojek", "pemuda setempat", "pengurus masjid", "juru parkir", "ibu-ibu PKK", "ketua RT", "satpam perumahan"]  # fmt: skip
_SOURCES = ["ketua RW", "tokoh agama", "pengurus karang taruna", "seorang warga", "Babinsa", "kepala dusun"]  # fmt: skip
_GATHERINGS = ["konvoi pemuda", "pertandingan sepak bola antarkampung", "unjuk rasa buruh pabrik", "hajatan dengan hiburan organ tunggal", "kampanye calon kepala desa", "pengajian akbar", "doa bersama"]  # fmt: skip
_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_DUSUN = ["Kampung Rawa", "Dusun II", "Kp. Pulo", "Perum Griya Asri", "Kp. Cabang", "Dusun Krajan", "Kp. Bojong", "Perumahan Bumi Indah"]  # fmt: skip


@dataclass
class Voice:
    """How one officer writes: their own pick of formulas, and their own people and places."""

    rng: random.Random
    forms: dict[str, int]  # family -> which formula the officer uses
    schools: list[str]
    posts: list[str]
    village_head: str
    babinsa: str
    extras: float  # how often they add a sentence of their own


def _person(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"Bapak {rng.choice(_MEN)}"
    return f"Ibu {rng.choice(_WOMEN)}"


def voice(rng: random.Random, villages: list[str]) -> Voice:
    """An officer's habits. Most learned the formulas taught at the Polres (the first ones),
    some write their own way."""
    forms = {
        family: min(int(rng.expovariate(1.2)), len(texts) - 1) for family, texts in FORMS.items()
    }
    schools = []
    for village in villages:
        schools += [f"SDN {village} 0{rng.randint(1, 6)}", f"SMPN {rng.randint(1, 9)} {village}"]
        schools += [f"MI Al-{rng.choice(['Hidayah', 'Ikhlas', 'Falah', 'Muhajirin'])} {village}"]
    posts = [f"RW {rng.randint(1, 14):02d} {rng.choice(_DUSUN)}" for _ in range(3)]
    return Voice(
        rng=rng,
        forms=forms,
        schools=schools,
        posts=posts,
        village_head=f"{rng.choice(_MEN)}",
        babinsa=f"Serda {rng.choice(_MEN)}",
        extras=rng.uniform(0.1, 0.6),
    )


def _slots(v: Voice, village: str) -> dict[str, Any]:
    r = v.rng
    return {
        "village": village,
        "school": r.choice([s for s in v.schools if s.endswith(village)] or v.schools),
        "topic": r.choice(_TOPICS),
        "n": r.randint(25, 320),
        "m": r.randint(2, 12),
        "grades": r.choice(["IV sampai VI", "VII dan VIII", "IX", "X dan XI", "V dan VI"]),
        "speaker": f"{r.choice(_RANKS)} {r.choice(_MEN)}",
        "companion": f"{r.choice(['kepala sekolah', 'guru BK', 'wakil kepala sekolah', 'wali kelas'])} {_person(r)}",
        "question": r.choice(_QUESTIONS),
        "head": _person(r) if r.random() < 0.5 else f"keluarga {r.choice(_MEN)}",
        "rt": f"{r.randint(1, 15):02d}",
        "rw": f"{r.randint(1, 12):02d}",
        "dusun": r.choice(_DUSUN),
        "concern": r.choice(_CONCERNS),
        "advice": r.choice(_ADVICE),
        "post": r.choice(v.posts),
        "members": r.randint(3, 12),
        "hour": f"{r.choice([21, 22, 23, 0, 1])}.{r.choice(['00', '15', '30', '45'])}",
        "situation": r.choice(_SITUATIONS),
        "event": r.choice(_EVENTS),
        "kades": v.village_head,
        "babinsa": v.babinsa,
        "place": r.choice(_PLACES),
        "who": r.choice(_WHO),
        "source": r.choice(_SOURCES),
        "gathering": r.choice(_GATHERINGS),
        "day": r.choice(_DAYS),
        "people": r.randint(30, 800),
    }


# Per family, the formulas officers write in: the first is the one taught, most use it.
FORMS: dict[str, list[str]] = {
    "school": [
        "Melaksanakan penyuluhan kamtibmas di {school} tentang {topic} kepada {n} siswa kelas {grades}. Bertindak sebagai narasumber {speaker}, didampingi {companion}. Kegiatan berjalan aman dan lancar.",
        "Binluh di {school} dengan materi {topic}. Peserta {n} siswa, narasumber {speaker}. {companion} menyampaikan terima kasih atas kegiatan ini.",
        "Police goes to school: sosialisasi {topic} kepada {n} pelajar {school} bersama {companion}. Siswa aktif bertanya tentang {question}.",
        "Memberikan penyuluhan tentang {topic} di {school}, dihadiri {n} siswa dan {m} guru. Narasumber {speaker}.",
    ],
    "household": [
        "Melaksanakan DDS ke rumah {head} di RT {rt}/RW {rw}. Warga menyampaikan keluhan tentang {concern}. Kami memberikan himbauan {advice}.",
        "Sambang door to door system ke {head}, RT {rt} RW {rw} {dusun}. Keluhan warga: {concern}. Disampaikan himbauan {advice}.",
        "Kunjungan ke rumah warga ({head}) di {dusun} RT {rt}/{rw}, menyampaikan pesan kamtibmas. Warga mengeluhkan {concern}.",
    ],
    "patrol": [
        "Pembinaan siskamling di pos kamling {post} pukul {hour}. Hadir {members} anggota ronda, {situation}. Kami mengingatkan warga {advice}.",
        "Sambang pos ronda {post} malam ini bersama {members} petugas ronda. {situation}.",
        "Mengecek pos kamling {post} pukul {hour}, {members} warga berjaga. Buku mutasi ronda sudah diisi, {situation}.",
    ],
    "meeting": [
        "Menghadiri {event} di balai desa {village} bersama Kepala Desa {kades} dan Babinsa {babinsa}. Dibahas masalah {concern}. Hadir sekitar {people} warga.",
        "Hadir dalam {event} desa {village}; kepala desa {kades} meminta dukungan penanganan {concern}. Kami menyampaikan himbauan {advice}.",
        "Koordinasi dengan Kades {kades} dan {babinsa} pada {event} di {village} terkait {concern}.",
    ],
    "dialogue": [
        "Patroli dialogis di {place} desa {village}, berbincang dengan {who} tentang {concern}. {situation}.",
        "Sambang ke {place} {village}, bertemu {who} yang mengeluhkan {concern}. Kami menghimbau {advice}.",
        "Melakukan patroli dan dialog dengan {who} di {place} {village}; {situation}.",
    ],
    "early_warning": [
        "Mendapat informasi dari {source} bahwa akan ada {gathering} pada hari {day} di {place} desa {village}, perkiraan {people} orang. Sudah dikoordinasikan dengan Babinsa {babinsa}.",
        "Info dari {source}: rencana {gathering} hari {day} di {village} dengan massa sekitar {people} orang. Akan dipantau bersama Polsek.",
    ],
}
_EXTRAS = [
    "Warga juga menanyakan {question}.",
    "Disepakati pertemuan lanjutan hari {day}.",
    "Nomor telepon Bhabinkamtibmas dibagikan kepada warga.",
    "Dokumentasi terlampir.",
    "Kegiatan selesai pukul {hour}.",
    "Ketua RT {rt} ikut mendampingi.",
    "Akan dilaporkan ke Kapolsek untuk tindak lanjut.",
]
# The families and the catalogue's activity type each is reported as, with their weights.
FAMILIES = {
    "household": ("dds", 34),
    "patrol": ("pembinaan-siskamling", 18),
    "school": ("penyuluhan", 14),
    "meeting": ("kegiatan-desa", 14),
    "dialogue": ("pelayanan-polisi", 12),
    "early_warning": ("deteksi-dini", 8),
}


def genuine_text(v: Voice, family: str, village: str) -> str:
    slots = _slots(v, village)
    text = FORMS[family][v.forms[family]].format(**slots)
    if v.rng.random() < v.extras:
        text += " " + v.rng.choice(_EXTRAS).format(**slots)
    return text


# --- how gamed text is made ----------------------------------------------------------------


def _random_token(rng: random.Random) -> str:
    return "".join(
        rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(2, 6))
    )


def pasted(rng: random.Random, text: str) -> str:
    """The same text, made to look new: a random suffix (or prefix) a duplicate check misses."""
    suffix = rng.choice(
        [
            lambda: " " + _random_token(rng),
            lambda: " " + "." * rng.randint(1, 4),
            lambda: f" ({rng.randint(1, 999)})",
            lambda: " " + " ".join(_random_token(rng) for _ in range(rng.randint(2, 4))),
            lambda: f" {rng.choice(_DAYS)} {rng.randint(1, 28)}",
        ]
    )()
    if rng.random() < 0.2:
        return f"{_random_token(rng)} {text}"
    return text + suffix


_SWAPS = {
    "melaksanakan": "melakukan",
    "warga": "masyarakat",
    "menyampaikan": "mengutarakan",
    "himbauan": "imbauan",
    "kegiatan": "acara",
    "bersama": "dengan",
    "tentang": "mengenai",
    "hadir": "datang",
    "situasi": "keadaan",
    "rumah": "kediaman",
    "kami": "kita",
    "agar": "supaya",
}


def near_copy(rng: random.Random, text: str) -> str:
    """The text with a few words changed: synonyms swapped, a number altered, a word dropped,
    or its sentences in another order."""
    words = text.split()
    edits = rng.randint(1, 3)
    for _ in range(edits):
        move = rng.random()
        i = rng.randrange(len(words))
        bare = words[i].lower().strip(".,;:")
        if move < 0.4 and bare in _SWAPS:
            words[i] = words[i].lower().replace(bare, _SWAPS[bare])
        elif move < 0.6 and bare.isdigit():
            words[i] = words[i].replace(bare, str(int(bare) + rng.randint(1, 9)))
        elif move < 0.8 and len(words) > 12:
            del words[i]
        else:
            swappable = [j for j, w in enumerate(words) if w.lower().strip(".,;:") in _SWAPS]
            if swappable:
                j = rng.choice(swappable)
                bare = words[j].lower().strip(".,;:")
                words[j] = words[j].lower().replace(bare, _SWAPS[bare])
    result = " ".join(words)
    sentences = [s for s in result.split(". ") if s]
    if len(sentences) > 2 and rng.random() < 0.3:
        rng.shuffle(sentences)
        result = ". ".join(sentences)
    return result


def gibberish(rng: random.Random) -> str:
    """Text typed to fill the box: keyboard mashing, or syllables that are no language."""
    style = rng.random()
    if style < 0.4:
        return " ".join(_random_token(rng) + _random_token(rng) for _ in range(rng.randint(4, 14)))
    if style < 0.7:
        syllables = ["ka", "lo", "mi", "ta", "ru", "se", "po", "ni", "ba", "gu", "de", "ya"]
        return " ".join(
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(5, 16))
        )
    row = rng.choice(["asdfghjkl", "qwertyuiop", "zxcvbnm", "jkjkjk", "hjkl"])
    return " ".join(
        "".join(rng.choice(row) for _ in range(rng.randint(3, 9)))
        for _ in range(rng.randint(3, 10))
    )


# --- the set -------------------------------------------------------------------------------


@dataclass
class Case:
    """One report of the set, in the order it is sent."""

    index: int
    officer: int
    village: int  # which of the officer's villages
    occurred_at: dt.datetime
    label: str  # GENUINE or a pattern
    family: str
    activity_type: str
    narrative: str
    # Where the GPS fix is: inside the village, outside it (kilometres away), or "travel": in
    # the officer's village farthest from his previous report, too soon after it to get there.
    gps: str = "inside"
    photo: int | None = None  # a photo seed; a reused photo takes the source's seed
    photo_reencoded: bool = False
    source: int | None = None  # the case copied, or whose photo is reused

    @property
    def gamed(self) -> bool:
        return self.label != GENUINE


@dataclass
class Officer:
    index: int
    unit: int  # which Polsek
    villages: list[str]  # village names, for the text
    voice: Voice


@dataclass
class LabelledSet:
    officers: list[Officer]
    cases: list[Case] = field(default_factory=list)


def labelled_set(
    *,
    seed: int,
    units: list[list[list[str]]],
    start: dt.datetime,
    days: int,
    gamed_share: float = 0.25,
) -> LabelledSet:
    """Cases for officers in ``units`` (per Polsek, per officer, their villages' names), one
    or two reports per officer and working day over ``days`` days from ``start``; about
    ``gamed_share`` of them gamed, spread evenly over the patterns."""
    rng = random.Random(seed)
    officers: list[Officer] = []
    for unit, per_unit in enumerate(units):
        for villages in per_unit:
            officers.append(
                Officer(len(officers), unit, villages, voice(random.Random(rng.random()), villages))
            )
    result = LabelledSet(officers)
    cases = result.cases
    families, weights = zip(*((f, w) for f, (_, w) in FAMILIES.items()), strict=True)
    patterns = list(PATTERNS)

    def add(**values: Any) -> Case:
        case = Case(index=len(cases), **values)
        cases.append(case)
        return case

    def genuine(officer: Officer, when: dt.datetime) -> Case:
        family = rng.choices(families, weights)[0]
        village = rng.randrange(len(officer.villages))
        return add(
            officer=officer.index,
            village=village,
            occurred_at=when,
            label=GENUINE,
            family=family,
            activity_type=FAMILIES[family][0],
            narrative=genuine_text(officer.voice, family, officer.villages[village]),
            photo=rng.randrange(10**9),
        )

    makers: dict[str, Callable[[Officer, dt.datetime], Case | None]] = {}

    def from_source(officer: Officer, when: dt.datetime, pattern: str) -> Case | None:
        own = [c for c in cases if c.label == GENUINE and c.officer == officer.index]
        others_unit = [
            c for c in cases if c.label == GENUINE and officers[c.officer].unit != officer.unit
        ]
        others = [c for c in cases if c.label == GENUINE and c.officer != officer.index]
        # A text can be copied once it is in Sambang: sent at least two hours ago.
        sent = when - dt.timedelta(hours=2)
        own, others_unit, others = (
            [c for c in pool if c.occurred_at <= sent] for pool in (own, others_unit, others)
        )
        pool = {
            PASTE_SUFFIX: own if own and rng.random() < 0.5 else others,
            CROSS_UNIT_COPY: others_unit,
            NEAR_COPY: others if rng.random() < 0.7 else own,
        }[pattern]
        if not pool:
            return None
        source = rng.choice(pool[-60:])  # something recent, as a gamer would find it
        text = {
            PASTE_SUFFIX: lambda: pasted(rng, source.narrative),
            CROSS_UNIT_COPY: lambda: source.narrative,
            NEAR_COPY: lambda: near_copy(rng, source.narrative),
        }[pattern]()
        village = rng.randrange(len(officer.villages))
        return add(
            officer=officer.index,
            village=village,
            occurred_at=when,
            label=pattern,
            family=source.family,
            activity_type=source.activity_type,
            narrative=text,
            photo=rng.randrange(10**9),
            source=source.index,
        )

    for pattern in (PASTE_SUFFIX, CROSS_UNIT_COPY, NEAR_COPY):
        makers[pattern] = functools.partial(from_source, pattern=pattern)

    def fresh(officer: Officer, when: dt.datetime, pattern: str) -> Case | None:
        case = genuine(officer, when)
        case.label = pattern
        if pattern == GIBBERISH:
            case.narrative = gibberish(rng)
        elif pattern == GPS_OUTSIDE:
            case.gps = "outside"
        elif pattern == PHOTO_REUSE:
            sent = when - dt.timedelta(hours=2)
            earlier = [
                c
                for c in cases[:-1]
                if c.photo is not None and c.label == GENUINE and c.occurred_at <= sent
            ]
            if not earlier:
                cases.pop()
                return None
            source = rng.choice(earlier[-80:])
            case.photo, case.photo_reencoded, case.source = source.photo, True, source.index
        elif pattern == IMPOSSIBLE_TRAVEL:
            # A minute or two after the officer's last report, in his other village.
            last = next((c for c in reversed(cases[:-1]) if c.officer == officer.index), None)
            if last is None or len(officer.villages) < 2:
                cases.pop()
                return None
            case.occurred_at = last.occurred_at + dt.timedelta(minutes=rng.randint(1, 2))
            case.gps = "travel"
        return case

    for pattern in (GIBBERISH, PHOTO_REUSE, GPS_OUTSIDE, IMPOSSIBLE_TRAVEL):
        makers[pattern] = functools.partial(fresh, pattern=pattern)

    for day in range(days):
        date = start + dt.timedelta(days=day)
        if date.weekday() == 6:
            continue  # Sunday: most officers rest
        for officer in officers:
            for slot in range(rng.choice([1, 1, 2])):
                when = date + dt.timedelta(hours=8 + 5 * slot + rng.random() * 3)
                if day >= 3 and rng.random() < gamed_share:
                    pattern = patterns[len([c for c in cases if c.gamed]) % len(patterns)]
                    if makers[pattern](officer, when) is not None:
                        continue
                genuine(officer, when)
    return result
