"""The demo's partners: the Babinsa and the village head of the showcase officer's first
village, with logins; a three-pillars patrol the Babinsa confirmed (its report shows the
signal), a mediation waiting for the village head's answer, a note the Babinsa wrote to the
officer, and a directive the Polsek addressed to the villages' partners too."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from sambang.community.models import Partner
from sambang.fieldwork.integrity import refresh
from sambang.fieldwork.services import local_zone, report_create
from sambang.organization.services import directive_issue
from sambang.partners.services import partner_answer, partner_note_file
from sambang.personnel.models import Officer, Role, User
from sambang.personnel.selectors import officer_villages

PARTNER_LOGINS = (("babinsa", "babinsa"), ("kades", "village_head"))


def demo_partners(*, officer: Officer, kapolsek: User, password: str) -> None:
    village = officer_villages(officer).first()
    assert village is not None and officer.unit is not None
    accounts: dict[str, User] = {}
    for username, kind in PARTNER_LOGINS:
        record = Partner.objects.filter(village=village, kind=kind).first()
        assert record is not None  # every demo village has its Babinsa and its head
        account = User(
            username=username,
            role=Role.PARTNER,
            unit=officer.unit,
            first_name=record.name,
            is_demo=True,
        )
        account.set_password(password)
        account.save()
        Partner.objects.filter(pk=record.pk).update(account=account)
        accounts[kind] = account
    babinsa = Partner.objects.get(village=village, account=accounts["babinsa"])
    head = Partner.objects.get(village=village, account=accounts["village_head"])
    now = timezone.now()
    zone = local_zone(officer)
    patrol, _new = report_create(
        officer=officer,
        data={
            "uuid": uuid.uuid4(),
            "activity_type": "pembinaan-siskamling",
            "village": village.code,
            "occurred_at": (now - dt.timedelta(days=1)).astimezone(zone).replace(hour=20),
            "latitude": village.centroid_lat,
            "longitude": village.centroid_lng,
            "narrative": "Patroli tiga pilar bersama Babinsa dan Kepala Desa ke pos ronda RW 03 "
            "dan RW 05; warga minta penerangan jalan di gang dekat lapangan.",
            "partners": ["babinsa", "village_head"],
            "partner_records": [babinsa.pk, head.pk],
            "participants": 14,
        },
    )
    partner_answer(report=patrol, user=accounts["babinsa"], took_part=True, comment="Benar.")
    refresh(patrol)
    mediation, _new = report_create(
        officer=officer,
        data={
            "uuid": uuid.uuid4(),
            "activity_type": "kegiatan-desa",
            "village": village.code,
            "occurred_at": (now - dt.timedelta(hours=5)).astimezone(zone),
            "latitude": village.centroid_lat,
            "longitude": village.centroid_lng,
            "narrative": "Musyawarah di balai desa bersama Kepala Desa tentang jadwal ronda "
            "malam dan iuran keamanan menjelang akhir tahun.",
            "partners": ["village_head"],
            "partner_records": [head.pk],
            "participants": 30,
        },
    )
    refresh(mediation)
    partner_note_file(
        user=accounts["babinsa"],
        village=village,
        data={
            "text": "Ada rencana pertandingan sepak bola antarkampung Minggu depan; tahun lalu "
            "berakhir ricuh. Perlu pengamanan bersama.",
            "aspect": "security",
            "urgency": "medium",
        },
    )
    directive_issue(
        issuer=kapolsek,
        unit=officer.unit,
        title="Siaga banjir: ronda bersama tiga pilar",
        body="Musim hujan: periksa saluran dan tanggul bersama Babinsa dan Kepala Desa, "
        "catat titik rawan genangan.",
        due_date=None,
        to_partners=True,
    )
