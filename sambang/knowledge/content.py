# ruff: noqa: E501 - prose: a paragraph is one line, as Markdown keeps it
"""The library and the training modules as Sambang ships them.

Each document is the project's own summary of what a rule or guide means for the work,
with the rule's number, year and where it is published; it is no copy of the official text
(quote that from its source). Sambang's own guides (``kind`` guide) are written here. The
questions test what the summaries say. ``library_seed`` brings the database in line with
this file: documents and modules by slug, changed where their text changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# fmt: off
DOCUMENTS: list[dict[str, Any]] = [
    {
        "slug": "uu-2-2002-kepolisian",
        "title": "UU No. 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia",
        "kind": "law",
        "source": "Lembaran Negara RI Tahun 2002 Nomor 2, Tambahan Lembaran Negara Nomor 4168",
        "version": "2002",
        "issued_year": 2002,
        "issued_on": dt.date(2002, 1, 8),
        "summary": "Undang-undang dasar Polri: fungsi kepolisian dan tiga tugas pokoknya, "
        "termasuk membina masyarakat agar ikut menjaga keamanan dan ketertiban.",
        "body": """## Isinya bagi Bhabinkamtibmas

Undang-undang ini menetapkan kepolisian sebagai fungsi pemerintahan di bidang pemeliharaan keamanan dan ketertiban masyarakat (kamtibmas), penegakan hukum, serta perlindungan, pengayoman dan pelayanan kepada masyarakat.

## Tiga tugas pokok

Tugas pokok Polri ada tiga: memelihara kamtibmas, menegakkan hukum, dan memberikan perlindungan, pengayoman serta pelayanan kepada masyarakat. Pekerjaan Bhabinkamtibmas di desa terutama berada pada tugas pertama dan ketiga.

## Membina masyarakat

Salah satu tugas yang dirinci undang-undang ini adalah membina masyarakat untuk meningkatkan partisipasi, kesadaran hukum, dan ketaatan warga pada peraturan. Inilah dasar hukum kegiatan sambang, penyuluhan dan pembinaan siskamling.

Ringkasan ini menjelaskan maksudnya; untuk bunyi pasal, rujuk naskah resmi.""",
        "types": [],
    },
    {
        "slug": "perpol-1-2021-polmas",
        "title": "Perpol No. 1 Tahun 2021 tentang Pemolisian Masyarakat",
        "kind": "regulation",
        "source": "Peraturan Kepolisian Negara RI Nomor 1 Tahun 2021 (dirujuk Puslitbang Polri, 2022)",
        "version": "2021",
        "issued_year": 2021,
        "issued_on": None,
        "summary": "Pemolisian masyarakat (Polmas): kemitraan polisi dan warga untuk "
        "mendeteksi, mengenali dan memecahkan masalah kamtibmas sejak dini.",
        "body": """## Apa itu Polmas

Polmas adalah cara kerja, bukan hanya jabatan Bhabinkamtibmas: polisi dan masyarakat bermitra sejajar untuk mengenali masalah keamanan di lingkungan, mencari sebabnya, dan menyelesaikannya bersama sebelum menjadi gangguan.

## Prinsip kerja

- Kemitraan: warga, tokoh, Babinsa dan kepala desa adalah mitra, bukan sekadar sumber informasi.
- Pemecahan masalah: yang diselesaikan adalah akar masalah, bukan hanya kejadiannya.
- Pencegahan: deteksi dini lebih penting daripada penindakan.
- Akuntabilitas: kegiatan dicatat dan dapat diperiksa.

## Di lapangan

Bhabinkamtibmas menjadi pelaksana utama Polmas di desa/kelurahan, melalui sambang, forum kemitraan (FKPM) dan pembinaan siskamling. Penelitian Puslitbang Polri (2022) mencatat bahwa Polmas masih sering dipahami sebatas tugas Bhabinkamtibmas; semua fungsi kepolisian ikut menjalankannya.""",
        "types": ["kegiatan-desa", "pembinaan-ormas"],
    },
    {
        "slug": "perpol-7-2021-bhabinkamtibmas",
        "title": "Peraturan Kepolisian No. 7 Tahun 2021 (Bhabinkamtibmas)",
        "kind": "regulation",
        "source": "Peraturan Kepolisian Negara RI Nomor 7 Tahun 2021 (dirujuk Polres TTU, 2024)",
        "version": "2021",
        "issued_year": 2021,
        "issued_on": None,
        "summary": "Tugas Bhabinkamtibmas di desa/kelurahan: turun langsung membina warga, "
        "memantau potensi gangguan, menjadi penengah dan fasilitator.",
        "body": """## Peran

Bhabinkamtibmas adalah ujung tombak Polri di tingkat desa/kelurahan. Ia hadir langsung di tengah warga, membina, dan memantau potensi gangguan keamanan di wilayah tugasnya.

## Tugas sehari-hari

- Sambang dan kunjungan dari rumah ke rumah (DDS).
- Deteksi dini: mengumpulkan dan menilai informasi tentang potensi gangguan.
- Menjadi penengah (mediator) dan fasilitator penyelesaian perselisihan warga.
- Membina siskamling, ormas dan kelompok masyarakat.
- Bekerja bersama Babinsa dan kepala desa (tiga pilar).

## Pemetaan dan evaluasi

Wilayah rawan dipetakan, dan pelaksanaan tugas dievaluasi setiap bulan (Anev) oleh pimpinan.""",
        "types": ["dds", "deteksi-dini", "pelayanan-polisi"],
    },
    {
        "slug": "skep-737-2005-strategi-polmas",
        "title": "Skep Kapolri No. Pol: Skep/737/X/2005 (Kebijakan dan Strategi Polmas)",
        "kind": "decree",
        "source": "Surat Keputusan Kapolri No. Pol: Skep/737/X/2005",
        "version": "2005",
        "issued_year": 2005,
        "issued_on": dt.date(2005, 10, 13),
        "summary": "Keputusan yang pertama menetapkan pemolisian masyarakat sebagai kebijakan "
        "dan strategi Polri dalam menjalankan tugasnya.",
        "body": """## Latar

Keputusan ini menjadikan pemolisian masyarakat kebijakan resmi Polri: tugas kepolisian dijalankan bersama masyarakat, bukan hanya untuk masyarakat.

## Pokok strategi

- Polisi dekat dengan warga di satu wilayah yang tetap (petugas yang dikenal warga).
- Forum kemitraan polisi–masyarakat dibentuk di tingkat desa/kelurahan.
- Masalah dipecahkan bersama, dengan mengutamakan pencegahan.

Aturan yang lebih baru (Perpol No. 1 Tahun 2021) melanjutkan arah ini.""",
        "types": [],
    },
    {
        "slug": "skep-433-2006-fkpm",
        "title": "Skep Kapolri No. Pol: Skep/433/VII/2006 (Pembentukan dan Operasionalisasi Polmas)",
        "kind": "decree",
        "source": "Surat Keputusan Kapolri No. Pol: Skep/433/VII/2006",
        "version": "2006",
        "issued_year": 2006,
        "issued_on": dt.date(2006, 7, 1),
        "summary": "Panduan membentuk dan menjalankan Polmas: forum kemitraan polisi dan "
        "masyarakat (FKPM) dan cara kerjanya.",
        "body": """## FKPM

Forum Kemitraan Polisi dan Masyarakat (FKPM) adalah wadah warga dan polisi untuk membicarakan masalah keamanan lingkungan dan mencari jalan keluarnya. Anggotanya tokoh dan warga setempat; Bhabinkamtibmas mendampingi.

## Cara kerja

- Pertemuan berkala, dengan catatan masalah yang dibahas dan kesepakatannya.
- Masalah kecil diselesaikan secara musyawarah; yang menyangkut pidana berat tetap ditangani sesuai hukum.
- Hasil forum dilaporkan dan ditindaklanjuti.""",
        "types": ["problem-solving"],
    },
    {
        "slug": "panduan-sambang-dds",
        "title": "Panduan: sambang dari rumah ke rumah (DDS)",
        "kind": "guide",
        "source": "Sambang — panduan kerja",
        "version": "1",
        "issued_year": 2026,
        "issued_on": dt.date(2026, 12, 1),
        "summary": "Langkah kunjungan rumah: persiapan, percakapan, catatan keluhan, saran, "
        "dan stiker bukti kunjungan yang dapat dikonfirmasi warga.",
        "body": """## Sebelum berangkat

Lihat rencana pekan Anda dan profil desa: RT/RW yang lama tidak dikunjungi, tokoh, dan titik rawan.

## Saat berkunjung

1. Perkenalkan diri dan tujuan kunjungan; mintalah izin sebelum mencatat nama kepala keluarga.
2. Dengarkan keluhan warga; catat aspeknya, tingkat kepentingannya, dan seberapa sering terjadi.
3. Beri saran atau arahan yang jelas, dan catat di laporan.
4. Tinggalkan stiker kunjungan: warga dapat memindai kode QR untuk menyatakan kunjungan benar terjadi.

## Laporan

Tulis dengan kata-kata sendiri apa yang dibicarakan. Laporan yang disalin dari laporan lain akan ditandai; konfirmasi warga menguatkan laporan.""",
        "types": ["dds"],
    },
    {
        "slug": "panduan-deteksi-dini",
        "title": "Panduan: deteksi dini dan menilai informasi",
        "kind": "guide",
        "source": "Sambang — panduan kerja",
        "version": "1",
        "issued_year": 2026,
        "issued_on": dt.date(2026, 12, 1),
        "summary": "Mengumpulkan informasi potensi gangguan dan menilainya dengan skala "
        "keandalan sumber (A–F) dan kebenaran informasi (1–6).",
        "body": """## Apa yang dicatat

Setiap informasi tentang potensi gangguan: apa, di mana, kapan, dan dari siapa diperoleh (dilihat sendiri, dari warga, dari tokoh, dari media sosial).

## Menilai sumber: A sampai F

A: selalu dapat dipercaya; B: biasanya dapat dipercaya; C: cukup dapat dipercaya; D: biasanya tidak dapat dipercaya; E: tidak dapat dipercaya; F: keandalan belum dapat dinilai. Sumber baru yang belum dikenal diberi F, bukan A.

## Menilai informasi: 1 sampai 6

1: dikuatkan sumber lain; 2: kemungkinan besar benar; 3: mungkin benar; 4: diragukan; 5: kecil kemungkinan benar; 6: kebenarannya belum dapat dinilai.

## Meneruskan

Informasi yang mendesak diteruskan ke Polsek atau satuan di atasnya; catatan mitra (Babinsa, kepala desa, FKPM) dinilai dengan skala yang sama.""",
        "types": ["deteksi-dini"],
    },
    {
        "slug": "panduan-mediasi",
        "title": "Panduan: pemecahan masalah dan mediasi",
        "kind": "guide",
        "source": "Sambang — panduan kerja",
        "version": "1",
        "issued_year": 2026,
        "issued_on": dt.date(2026, 12, 1),
        "summary": "Langkah menengahi perselisihan warga: memahami masalah, mempertemukan "
        "para pihak, mencari kesepakatan, mencatat dan menindaklanjutinya.",
        "body": """## Langkah

1. Kenali masalahnya: siapa yang berselisih, apa pokok masalahnya, sejak kapan.
2. Temui para pihak satu per satu; dengarkan tanpa memihak.
3. Pertemukan para pihak di tempat netral, bersama tokoh yang mereka hormati atau kepala desa.
4. Bantu mereka menemukan kesepakatan sendiri; penengah tidak memutuskan.
5. Tuliskan kesepakatan, tanda tangani, dan foto sebagai lampiran laporan.
6. Tentukan tanggal tindak lanjut dan periksa apakah kesepakatan dijalankan.

## Batas mediasi

Perkara pidana berat tidak dimediasi: teruskan ke fungsi reserse. Bila perlu rujuk ke instansi lain (dinas sosial, KUA, pemerintah desa).""",
        "types": ["problem-solving"],
    },
    {
        "slug": "panduan-tiga-pilar",
        "title": "Panduan: bekerja bersama tiga pilar dan mitra",
        "kind": "guide",
        "source": "Sambang — panduan kerja",
        "version": "1",
        "issued_year": 2026,
        "issued_on": dt.date(2026, 12, 1),
        "summary": "Kegiatan bersama Babinsa, kepala desa, FKPM dan kelompok warga, dan "
        "bagaimana mitra mengonfirmasi kehadirannya di Sambang.",
        "body": """## Tiga pilar

Bhabinkamtibmas, Babinsa dan kepala desa/lurah bersama-sama menjaga desa: patroli bersama, musyawarah, penanganan bencana, pengamanan pemilu.

## Mencatat kegiatan bersama

Pada laporan, pilih mitra yang hadir dari profil desa. Mitra yang punya akun Sambang akan menjawab apakah ia ikut serta: konfirmasinya menguatkan laporan, sangkalannya melemahkannya. Hanya sebut mitra yang benar-benar hadir.

## Catatan dari mitra

Mitra dapat mengirim catatan deteksi dini kepada Anda; bacalah dan nilailah (sumber A–F, informasi 1–6).""",
        "types": ["kegiatan-desa", "pembinaan-siskamling", "pam-pilkada", "mitigasi-bencana"],
    },
]

MODULES: list[dict[str, Any]] = [
    {
        "slug": "dasar-polmas",
        "title": "Dasar pemolisian masyarakat",
        "document": "perpol-1-2021-polmas",
        "summary": "Apa itu Polmas, siapa mitranya, dan tugas pokok yang menjadi dasarnya.",
        "questions": [
            ("Polmas paling tepat dipahami sebagai…", ["Jabatan Bhabinkamtibmas saja", "Kemitraan polisi dan warga untuk mengenali dan memecahkan masalah", "Patroli malam rutin", "Penegakan hukum yang lebih keras"], 1, "Polmas adalah cara kerja semua fungsi: kemitraan untuk mengenali dan memecahkan masalah."),
            ("Tugas pokok Polri menurut UU No. 2 Tahun 2002 ada…", ["Dua", "Tiga", "Empat", "Lima"], 1, "Memelihara kamtibmas, menegakkan hukum, serta melindungi, mengayomi dan melayani."),
            ("Siapa yang termasuk tiga pilar di desa?", ["Bhabinkamtibmas, Babinsa, kepala desa", "Kapolsek, Danramil, camat", "RT, RW, lurah", "FKPM, Pokdar, Satpam"], 0, "Tiga pilar: Bhabinkamtibmas, Babinsa dan kepala desa/lurah."),
            ("Yang diutamakan dalam Polmas adalah…", ["Penindakan", "Pencegahan dan deteksi dini", "Penangkapan", "Razia"], 1, "Pencegahan lebih penting daripada penindakan."),
            ("FKPM adalah…", ["Forum Kemitraan Polisi dan Masyarakat", "Forum Keamanan Polsek dan Masyarakat", "Forum Koordinasi Pimpinan Masyarakat", "Forum Kewaspadaan Pemuda Masjid"], 0, "Wadah warga dan polisi membicarakan masalah keamanan lingkungan."),
        ],
    },
    {
        "slug": "mediasi",
        "title": "Pemecahan masalah dan mediasi",
        "document": "panduan-mediasi",
        "summary": "Langkah menengahi perselisihan warga dan batasnya.",
        "questions": [
            ("Dalam mediasi, siapa yang memutuskan isi kesepakatan?", ["Bhabinkamtibmas", "Kepala desa", "Para pihak yang berselisih", "Kapolsek"], 2, "Penengah membantu; para pihak sendiri yang bersepakat."),
            ("Langkah pertama menangani perselisihan adalah…", ["Mempertemukan para pihak", "Mengenali masalahnya", "Menulis kesepakatan", "Melapor ke Polres"], 1, "Kenali dulu siapa berselisih, tentang apa, sejak kapan."),
            ("Perkara pidana berat…", ["Dimediasi di balai desa", "Diteruskan ke fungsi reserse", "Diselesaikan oleh kepala desa", "Dibiarkan"], 1, "Perkara pidana berat tidak dimediasi."),
            ("Kesepakatan mediasi sebaiknya…", ["Cukup diucapkan", "Ditulis, ditandatangani, dan difoto untuk laporan", "Dirahasiakan dari kepala desa", "Diumumkan di media sosial"], 1, "Tulis, tandatangani, lampirkan fotonya."),
            ("Setelah kesepakatan tercapai…", ["Kasus selesai dan tidak perlu dicek", "Tentukan tanggal tindak lanjut dan periksa pelaksanaannya", "Laporkan ke pengadilan", "Hapus catatannya"], 1, "Tindak lanjut memastikan kesepakatan dijalankan."),
        ],
    },
    {
        "slug": "deteksi-dini",
        "title": "Deteksi dini dan menilai informasi",
        "document": "panduan-deteksi-dini",
        "summary": "Mencatat potensi gangguan dan menilai sumber serta informasinya.",
        "questions": [
            ("Sumber yang baru pertama kali memberi informasi dinilai…", ["A", "C", "F", "E"], 2, "Keandalannya belum dapat dinilai: F."),
            ("Informasi yang dikuatkan oleh sumber lain dinilai…", ["1", "3", "5", "6"], 0, "1: dikuatkan sumber lain."),
            ("Nilai B pada sumber berarti…", ["Tidak dapat dipercaya", "Biasanya dapat dipercaya", "Selalu dapat dipercaya", "Belum dapat dinilai"], 1, "B: biasanya dapat dipercaya."),
            ("Catatan deteksi dini dari Babinsa…", ["Diabaikan karena bukan polisi", "Dinilai dengan skala yang sama", "Langsung dianggap benar", "Diteruskan tanpa dibaca"], 1, "Catatan mitra dinilai dengan skala A–F dan 1–6."),
            ("Informasi potensi gangguan yang mendesak…", ["Disimpan sampai Anev bulanan", "Diteruskan ke Polsek atau satuan di atasnya", "Dibagikan di grup warga", "Tidak dicatat"], 1, "Yang mendesak diteruskan segera."),
        ],
    },
]
# fmt: on
