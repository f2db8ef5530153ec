"""Each integrity signal, true and false, through the API the officer's phone uses."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

import pytest
from PIL import Image
from rest_framework.test import APIClient

from sambang.fieldwork.models import ActivityReport
from sambang.territory.services import boundaries_import
from sambang.testing.fieldwork import household, photo_bytes, report_payload
from sambang.testing.world import World

from .conftest import upload

pytestmark = pytest.mark.django_db


def polsek_page(world: World, path: str) -> str:
    """A page as the Polsek A1A supervisor sees it."""
    from django.test import Client

    client = Client()
    client.force_login(world.users["polsek"])
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


WIB = dt.timezone(dt.timedelta(hours=7))


def signal(body: dict[str, Any], code: str) -> dict[str, Any] | None:
    return next((s for s in body["integrity"]["signals"] if s["code"] == code), None)


def status_of(body: dict[str, Any], code: str) -> str | None:
    found = signal(body, code)
    return found["status"] if found else None


def file(api: APIClient, world: World, **overrides: Any) -> dict[str, Any]:
    """File a report and read it back once the worker has checked it."""
    response = api.post("/api/v1/reports/", report_payload(world, **overrides), format="json")
    assert response.status_code == 201, response.json()
    return api.get(f"/api/v1/reports/{response.json()['uuid']}").json()


def add_photo(api: APIClient, body: dict[str, Any], data: bytes) -> dict[str, Any]:
    response = api.put(
        f"/api/v1/reports/{body['uuid']}/photos/{uuid.uuid4()}", upload(data), format="multipart"
    )
    assert response.status_code == 201, response.json()
    return api.get(f"/api/v1/reports/{body['uuid']}").json()


def centre(world: World) -> tuple[float, float]:
    """The centroid of the officer's village."""
    village = world.villages["polsek_a1a"]
    assert village.centroid_lat is not None and village.centroid_lng is not None
    return village.centroid_lat, village.centroid_lng


def square_outline(world: World, half_side_deg: float = 0.01) -> tuple[float, float]:
    """Give the officer's village a square outline around its centroid; return the centre."""
    village = world.villages["polsek_a1a"]
    lat, lng = centre(world)
    d = half_side_deg
    ring = [
        [lng - d, lat - d],
        [lng + d, lat - d],
        [lng + d, lat + d],
        [lng - d, lat + d],
        [lng - d, lat - d],
    ]
    feature = {
        "type": "Feature",
        "properties": {"code": village.code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    boundaries_import(data=json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return lat, lng


class TestGps:
    def test_a_fix_inside_the_outline_passes(self, world: World, officer_api: APIClient) -> None:
        lat, lng = square_outline(world)
        body = file(officer_api, world, latitude=lat + 0.005, longitude=lng)
        assert status_of(body, "gps") == "pass"
        assert "inside the village boundary" in signal(body, "gps")["reason"]  # type: ignore[index]

    def test_a_fix_just_outside_the_outline_warns(
        self, world: World, officer_api: APIClient
    ) -> None:
        lat, lng = square_outline(world)
        body = file(officer_api, world, latitude=lat + 0.0125, longitude=lng)  # ~280 m out
        assert status_of(body, "gps") == "warn"

    def test_a_fix_far_outside_the_outline_fails(
        self, world: World, officer_api: APIClient
    ) -> None:
        lat, lng = square_outline(world)
        body = file(officer_api, world, latitude=lat + 0.1, longitude=lng)  # ~10 km out
        assert status_of(body, "gps") == "fail"
        assert body["integrity"]["level"] == "doubtful"

    def test_without_an_outline_the_centroid_decides(
        self, world: World, officer_api: APIClient
    ) -> None:
        lat, _ = centre(world)
        near = file(officer_api, world, latitude=lat + 0.01)  # ~1.1 km
        far = file(officer_api, world, latitude=lat + 0.2)  # ~22 km
        assert (status_of(near, "gps"), status_of(far, "gps")) == ("pass", "fail")

    def test_a_report_without_a_fix_warns(self, world: World, officer_api: APIClient) -> None:
        body = file(officer_api, world, latitude=None, longitude=None, accuracy_m=None)
        assert status_of(body, "gps") == "warn"
        assert status_of(body, "accuracy") is None


def test_poor_accuracy_warns(world: World, officer_api: APIClient) -> None:
    assert status_of(file(officer_api, world, accuracy_m=15), "accuracy") == "pass"
    assert status_of(file(officer_api, world, accuracy_m=900), "accuracy") == "warn"


def test_a_report_sent_days_late_warns(world: World, officer_api: APIClient) -> None:
    late = (dt.datetime.now(WIB) - dt.timedelta(days=4)).isoformat()
    assert status_of(file(officer_api, world), "sent") == "pass"
    body = file(officer_api, world, occurred_at=late)
    assert status_of(body, "sent") == "warn"
    assert "hours after" in signal(body, "sent")["reason"]  # type: ignore[index]


class TestTimeOfDay:
    """Work done at night is remarked on, unless it is work often done at night."""

    @staticmethod
    def yesterday_at(hour: int, minute: int, zone: dt.tzinfo = WIB) -> str:
        day = dt.datetime.now(zone).date() - dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(hour, minute), zone).isoformat()

    def test_a_household_visit_at_half_past_two_at_night_warns(
        self, world: World, officer_api: APIClient
    ) -> None:
        body = file(
            officer_api,
            world,
            activity_type="pelayanan-polisi",
            outcome="Laporan kehilangan dibuat.",
            occurred_at=self.yesterday_at(10, 0),
        )
        assert status_of(body, "hour") is None  # by day there is nothing to say
        assert body["integrity"]["level"] == "verified"

        body = file(
            officer_api,
            world,
            activity_type="dds",
            household=household(),
            participants=None,
            occurred_at=self.yesterday_at(2, 30),
            narrative="Sambang ke rumah warga yang baru pindah dan memberi nomor telepon Polsek.",
        )
        night = signal(body, "hour")
        assert night is not None and night["status"] == "warn"
        assert night["reason"] == (
            "Done at 2:30 a.m. WIB, at night: this kind of work is usually done by day."
        )
        assert body["integrity"]["level"] == "plausible"
        officer_api.cookies["django_language"] = "id"
        indonesian = officer_api.get(f"/api/v1/reports/{body['uuid']}").json()
        assert signal(indonesian, "hour")["reason"].startswith(  # type: ignore[index]
            "Dilakukan pukul 2.30 WIB, malam hari"
        )

    def test_a_night_watch_patrol_at_night_is_not_held_against_the_officer(
        self, world: World, officer_api: APIClient
    ) -> None:
        body = file(
            officer_api,
            world,
            activity_type="pembinaan-siskamling",
            occurred_at=self.yesterday_at(2, 30),
        )
        night = signal(body, "hour")
        assert night is not None and night["status"] == "pass"
        assert "when this kind of work often is" in night["reason"]

    def test_the_night_is_the_units_own(self, world: World, officer_api: APIClient) -> None:
        """22.30 in Makassar is 21.30 in Jakarta: night for a unit on Central Indonesia Time."""
        from sambang.organization.models import Unit

        Unit.objects.filter(pk=world.units["polsek_a1a"].pk).update(timezone="Asia/Makassar")
        body = file(
            officer_api,
            world,
            activity_type="penyuluhan",
            occurred_at=self.yesterday_at(21, 30),
        )
        night = signal(body, "hour")
        assert night is not None and night["status"] == "warn"
        assert "10:30 p.m. WITA" in night["reason"]

    def test_administrators_say_which_work_is_done_at_night(
        self, world: World, officer_api: APIClient
    ) -> None:
        from sambang.fieldwork.models import ActivityType

        ActivityType.objects.filter(code="penyuluhan").update(night_work=True)
        body = file(
            officer_api,
            world,
            activity_type="penyuluhan",
            occurred_at=self.yesterday_at(23, 15),
        )
        assert status_of(body, "hour") == "pass"


class TestPhotoTimeAndPlace:
    def test_a_photo_taken_at_the_activity_passes(
        self, world: World, officer_api: APIClient
    ) -> None:
        body = file(officer_api, world)
        lat, lng = centre(world)
        taken = dt.datetime.now(WIB) - dt.timedelta(minutes=55)
        body = add_photo(
            officer_api,
            body,
            photo_bytes(10, taken_at=taken, position=(lat, lng)),
        )
        assert (status_of(body, "photo_time"), status_of(body, "photo_place")) == ("pass", "pass")

    def test_an_old_photo_fails(self, world: World, officer_api: APIClient) -> None:
        body = file(officer_api, world)
        taken = dt.datetime.now(WIB) - dt.timedelta(days=20)
        body = add_photo(officer_api, body, photo_bytes(11, taken_at=taken))
        assert status_of(body, "photo_time") == "fail"
        assert body["integrity"]["level"] == "doubtful"

    def test_a_photo_without_a_capture_time_warns(
        self, world: World, officer_api: APIClient
    ) -> None:
        body = add_photo(officer_api, file(officer_api, world), photo_bytes(12))
        assert status_of(body, "photo_time") == "warn"

    def test_a_photo_taken_elsewhere_fails(self, world: World, officer_api: APIClient) -> None:
        lat, lng = centre(world)
        body = file(officer_api, world)
        body = add_photo(
            officer_api,
            body,
            photo_bytes(13, position=(lat + 0.05, lng)),
        )
        assert status_of(body, "photo_place") == "fail"


class TestTravel:
    def test_impossible_travel_between_reports_fails(
        self, world: World, officer_api: APIClient
    ) -> None:
        lat, _lng = centre(world)
        now = dt.datetime.now(WIB)
        file(
            officer_api,
            world,
            occurred_at=(now - dt.timedelta(minutes=70)).isoformat(),
            latitude=lat + 0.27,
        )
        body = file(officer_api, world, occurred_at=(now - dt.timedelta(minutes=60)).isoformat())
        assert status_of(body, "travel") == "fail"  # 30 km in 10 minutes
        assert "km/h" in signal(body, "travel")["reason"]  # type: ignore[index]

    def test_possible_travel_passes(self, world: World, officer_api: APIClient) -> None:
        lat, _lng = centre(world)
        now = dt.datetime.now(WIB)
        file(
            officer_api,
            world,
            occurred_at=(now - dt.timedelta(hours=3)).isoformat(),
            latitude=lat + 0.27,
        )
        body = file(officer_api, world, occurred_at=(now - dt.timedelta(hours=1)).isoformat())
        assert status_of(body, "travel") == "pass"  # 30 km in two hours

    def test_a_report_sent_late_is_checked_against_the_next_one_too(
        self, world: World, officer_api: APIClient
    ) -> None:
        lat, _lng = centre(world)
        now = dt.datetime.now(WIB)
        file(officer_api, world, occurred_at=(now - dt.timedelta(minutes=60)).isoformat())
        body = file(
            officer_api,
            world,
            occurred_at=(now - dt.timedelta(minutes=65)).isoformat(),
            latitude=lat + 0.27,
        )
        assert status_of(body, "travel") == "fail"


class TestPhotoReuse:
    def test_the_same_photo_in_another_report_fails(
        self, world: World, officer_api: APIClient
    ) -> None:
        data = photo_bytes(20)
        first = add_photo(officer_api, file(officer_api, world), data)
        second = add_photo(
            officer_api,
            file(
                officer_api,
                world,
                narrative="Patroli dialogis bersama warga di pos kamling membahas keamanan lingkungan.",
            ),
            data,
        )
        assert status_of(first, "photo_reuse") == "pass"
        assert status_of(second, "photo_reuse") == "fail"

    def test_a_resaved_smaller_copy_is_still_found(
        self, world: World, officer_api: APIClient
    ) -> None:
        data = photo_bytes(21)
        add_photo(officer_api, file(officer_api, world), data)
        image = Image.open(io.BytesIO(data)).resize((500, 375))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=60)
        second = add_photo(
            officer_api,
            file(
                officer_api,
                world,
                narrative="Sosialisasi pencegahan narkoba kepada pemuda karang taruna di aula desa.",
            ),
            out.getvalue(),
        )
        assert status_of(second, "photo_reuse") == "fail"

    def test_different_photos_pass(self, world: World, officer_api: APIClient) -> None:
        add_photo(officer_api, file(officer_api, world), photo_bytes(22))
        second = add_photo(
            officer_api,
            file(
                officer_api,
                world,
                narrative="Sosialisasi pencegahan narkoba kepada pemuda karang taruna di aula desa.",
            ),
            photo_bytes(23),
        )
        assert status_of(second, "photo_reuse") == "pass"

    def test_a_report_that_needs_a_photo_warns_without_one(
        self, world: World, officer_api: APIClient
    ) -> None:
        assert status_of(file(officer_api, world), "photo") == "warn"
        no_photo_type = file(
            officer_api, world, activity_type="pelayanan-polisi", outcome="Selesai."
        )
        assert status_of(no_photo_type, "photo") is None


class TestText:
    NARRATIVE = (
        "Kunjungan ke rumah warga di RT 05 untuk membahas keamanan lingkungan dan jadwal "
        "ronda malam yang mulai jarang dilaksanakan oleh pemuda setempat."
    )

    def colleague_report(self, world: World) -> ActivityReport:
        from sambang.fieldwork import processing, services
        from sambang.fieldwork.api.reports import ReportWriteSerializer

        assert world.colleague is not None and world.colleague_village is not None
        payload = report_payload(
            world, village=world.colleague_village.code, narrative=self.NARRATIVE
        )
        data = ReportWriteSerializer(data=payload)
        data.is_valid(raise_exception=True)
        report = services.report_create(officer=world.colleague, data=data.validated_data)[0]
        processing.process_pending()  # the worker checks it
        report.refresh_from_db()
        return report

    def test_text_copied_from_a_colleague_fails_even_with_a_word_changed(
        self, world: World, officer_api: APIClient
    ) -> None:
        original = self.colleague_report(world)
        body = file(officer_api, world, narrative=self.NARRATIVE.replace("pemuda", "remaja"))
        assert status_of(body, "text_copy") == "fail"
        assert body["integrity"]["level"] == "doubtful"
        assert ActivityReport.objects.get(pk=original.pk).integrity_level != "doubtful"

    def test_the_officers_own_earlier_text_pasted_again_fails(
        self, world: World, officer_api: APIClient
    ) -> None:
        file(officer_api, world, narrative=self.NARRATIVE)
        body = file(officer_api, world, narrative=self.NARRATIVE + " Situasi aman.")
        assert status_of(body, "text_copy") == "fail"

    @pytest.mark.parametrize("unit_key", ["polsek_a1b", "polsek_a2a"])
    def test_a_copy_from_another_unit_of_the_polda_fails(
        self, world: World, officer_api: APIClient, file_report: Any, unit_key: str
    ) -> None:
        """A sibling Polsek, or a Polsek of another Polres: copies are sought in the Polda."""
        original = file_report(unit_key, narrative=self.NARRATIVE)
        body = file(officer_api, world, narrative=self.NARRATIVE + " xk7")
        copy = signal(body, "text_copy")
        assert copy is not None and copy["status"] == "fail"
        assert copy["params"]["same_officer"] is False
        # The officer may not open a report of another unit: it is named as outside his scope.
        assert copy["report"] == {"uuid": None, "visible": False}
        assert ActivityReport.objects.get(pk=original.pk).integrity_level != "doubtful"

    def test_a_copy_in_another_polda_is_not_compared(
        self, world: World, officer_api: APIClient, file_report: Any
    ) -> None:
        file_report("polsek_b1a", narrative=self.NARRATIVE)
        body = file(officer_api, world, narrative=self.NARRATIVE)
        assert status_of(body, "text_copy") == "pass"

    SCHOOL = (
        "Melaksanakan penyuluhan kamtibmas di {school} tentang bahaya narkoba kepada {n} siswa "
        "kelas {grades}. Bertindak sebagai narasumber {speaker}, didampingi {companion}. "
        "Kegiatan berjalan aman dan lancar."
    )
    SCHOOLS = [
        ("SDN Setu 03", 120, "IV sampai VI", "Bripka Ahmad", "kepala sekolah Ibu Sri"),
        ("SMPN 2 Cikarang Barat", 86, "VII dan VIII", "Aipda Joko", "guru BK Bapak Slamet"),
        ("MI Al-Hidayah Telajung", 64, "V dan VI", "Brigpol Yusuf", "wali kelas Ibu Lilis"),
        ("SMPN 4 Tarumajaya", 210, "IX", "Bripka Hendra", "wakil kepala sekolah Bapak Agus"),
        ("SDN Kalijaya 01", 95, "IV sampai VI", "Aiptu Rahmat", "kepala sekolah Ibu Dewi"),
    ]
    HOUSEHOLD = (
        "Melaksanakan DDS ke rumah {head} di RT {rt}/RW {rw}. Warga menyampaikan keluhan "
        "tentang pencurian sepeda motor pada malam hari. Kami memberikan himbauan agar "
        "mengunci ganda kendaraan."
    )
    HOUSEHOLDS = [
        ("Bapak Darmawan", "03", "05"),
        ("Ibu Siti", "07", "02"),
        ("keluarga Hasan", "11", "04"),
        ("Ibu Ratna", "01", "09"),
        ("Bapak Teguh", "06", "06"),
    ]

    @pytest.mark.parametrize("formula", ["school", "household"])
    def test_one_formula_with_other_specifics_is_not_a_copy(
        self, world: World, officer_api: APIClient, file_report: Any, formula: str
    ) -> None:
        """The same programme at many schools, the same concern in many households, by
        officers of the same Polres and by the same officer: routine, not copies."""
        if formula == "school":
            texts = [
                self.SCHOOL.format(school=a, n=b, grades=c, speaker=d, companion=e)
                for a, b, c, d, e in self.SCHOOLS
            ]
        else:
            texts = [self.HOUSEHOLD.format(head=h, rt=rt, rw=rw) for h, rt, rw in self.HOUSEHOLDS]
        reports = [
            file_report(unit, narrative=text)
            for unit, text in zip(
                ["polsek_a1b", "polsek_a2a", "polsek_a1b", "polsek_a1a"], texts, strict=False
            )
        ]
        body = file(officer_api, world, narrative=texts[-1])
        assert status_of(body, "text_copy") == "pass", signal(body, "text_copy")
        for report in reports:
            report.refresh_from_db()
            copy = next(s for s in report.integrity_signals if s["code"] == "text_copy")
            assert copy["status"] == "pass", (report.narrative, copy)

    def test_a_copy_of_routine_text_keeps_its_specifics_and_fails(
        self, world: World, officer_api: APIClient, file_report: Any
    ) -> None:
        """The school, speaker and head count carry the information: a copy keeps them."""
        a, b, c, d, e = self.SCHOOLS[0]
        text = self.SCHOOL.format(school=a, n=b, grades=c, speaker=d, companion=e)
        file_report("polsek_a1b", narrative=text)
        body = file(officer_api, world, narrative=text.replace("Melaksanakan", "Melakukan"))
        assert status_of(body, "text_copy") == "fail"

    def test_the_copy_and_its_original_link_to_each_other(
        self, world: World, officer_api: APIClient, client_for: Any
    ) -> None:
        original = self.colleague_report(world)
        copy = file(officer_api, world, narrative=self.NARRATIVE + " Dokumentasi terlampir.")
        polsek = client_for("polsek")
        seen = polsek.get(f"/api/v1/reports/{copy['uuid']}").json()
        named = signal(seen, "text_copy")
        assert named is not None and named["report"] == {
            "uuid": str(original.uuid),
            "visible": True,
        }
        back = polsek.get(f"/api/v1/reports/{original.uuid}").json()
        assert back["integrity"]["copies"] == [{"uuid": copy["uuid"], "visible": True}]
        assert back["integrity"]["level"] != "doubtful"
        page = polsek_page(world, f"/field/reports/{original.uuid}/")
        assert f"/field/reports/{copy['uuid']}/" in page

    def test_a_backdated_copy_is_still_the_copy(
        self, world: World, officer_api: APIClient, client_for: Any
    ) -> None:
        """Copies are ordered by when Sambang got the text, not by the date the officer
        typed: dating a copy before its original does not make the original the copy."""
        original = self.colleague_report(world)
        earlier = (dt.datetime.now(WIB) - dt.timedelta(hours=30)).isoformat()
        body = file(officer_api, world, narrative=self.NARRATIVE, occurred_at=earlier)
        assert status_of(body, "text_copy") == "fail"
        original.refresh_from_db()
        assert original.integrity_level != "doubtful"
        back = client_for("polsek").get(f"/api/v1/reports/{original.uuid}").json()
        assert [c["uuid"] for c in back["integrity"]["copies"]] == [body["uuid"]]

    def test_an_edited_original_takes_back_what_its_copies_were_judged_by(
        self, world: World, officer_api: APIClient, file_report: Any
    ) -> None:
        """Levels can change: when the original's text is rewritten, the report that copied
        the old text is assessed again and is no longer a copy."""
        original = file_report("polsek_a1a", narrative=self.NARRATIVE)
        copy = self.colleague_report(world)
        assert copy.integrity_level == "doubtful"
        response = officer_api.patch(
            f"/api/v1/reports/{original.uuid}",
            {"narrative": "Mediasi dua keluarga yang berselisih soal batas pekarangan di RT 02."},
            format="json",
        )
        assert response.status_code == 200, response.json()
        copy.refresh_from_db()
        assert copy.integrity_level != "doubtful"

    def test_different_texts_pass(self, world: World, officer_api: APIClient) -> None:
        file(officer_api, world)
        body = file(
            officer_api,
            world,
            narrative="Membantu warga yang kehilangan dompet di pasar, membuat surat keterangan dan mengantar ke Polsek.",
        )
        assert status_of(body, "text_copy") == "pass"

    def test_random_text_fails(self, world: World, officer_api: APIClient) -> None:
        body = file(
            officer_api,
            world,
            narrative="qwkejr zmxncbv aoisud lkjqwe poiuzxc mnbvqw lkasjd qpwoei",
        )
        assert status_of(body, "language") == "fail"
        assert body["integrity"]["level"] == "doubtful"

    def test_indonesian_and_english_read_as_language(
        self, world: World, officer_api: APIClient
    ) -> None:
        assert status_of(file(officer_api, world), "language") == "pass"
        english = file(
            officer_api,
            world,
            narrative="Met the village head and the youth group to plan the night watch schedule for the rainy season.",
        )
        assert status_of(english, "language") == "pass"

    def test_a_very_short_text_warns(self, world: World, officer_api: APIClient) -> None:
        assert status_of(file(officer_api, world, narrative="Sambang warga."), "language") == "warn"


def test_a_report_with_nothing_to_doubt_is_verified(world: World, officer_api: APIClient) -> None:
    body = file(
        officer_api,
        world,
        activity_type="pelayanan-polisi",
        outcome="Laporan kehilangan dibuat.",
        participants=None,
    )
    assert body["integrity"]["level"] == "verified", body["integrity"]


def test_a_warning_makes_a_report_plausible(world: World, officer_api: APIClient) -> None:
    body = file(
        officer_api,
        world,
        accuracy_m=900,
        activity_type="pelayanan-polisi",
        outcome="Selesai dilayani.",
    )
    assert body["integrity"]["level"] == "plausible"


def test_a_residents_confirmation_verifies_a_visit(world: World, officer_api: APIClient) -> None:
    body = file(
        officer_api,
        world,
        activity_type="dds",
        household=household(),
        accuracy_m=900,
        participants=None,
    )
    assert body["integrity"]["level"] == "plausible"
    from sambang.fieldwork import selectors
    from sambang.fieldwork.models import HouseholdVisit

    token = selectors.visit_token(HouseholdVisit.objects.get(report__uuid=body["uuid"]))
    resident = APIClient(REMOTE_ADDR="10.20.30.40")  # the household's own phone and network
    response = resident.post(f"/api/v1/public/visits/{token}", {"rating": 5}, format="json")
    assert response.status_code == 201
    body = officer_api.get(f"/api/v1/reports/{body['uuid']}").json()
    assert status_of(body, "confirmed") == "pass"
    assert body["integrity"]["level"] == "verified"


def test_a_batch_assesses_every_report_as_one_by_one_would(
    world: World, officer_api: APIClient
) -> None:
    """``refresh_many`` (generated history, recomputations) stores what ``refresh`` stores for
    each report: the same level, signals and text bands, read in a few queries."""
    from sambang.fieldwork import integrity
    from sambang.fieldwork.models import (
        CopiedText,
        HouseholdVisit,
        ReportWord,
        VisitConfirmation,
        WordCount,
    )

    lat, lng = square_outline(world)
    now = dt.datetime.now(WIB)

    def at(minutes_ago: int, narrative: str, **overrides: Any) -> dict[str, Any]:
        when = (now - dt.timedelta(minutes=minutes_ago)).isoformat()
        return file(officer_api, world, occurred_at=when, narrative=narrative, **overrides)

    copied = at(300, TestText.NARRATIVE)
    at(240, TestText.NARRATIVE + " Situasi aman.")  # a copy
    far = at(200, "Patroli dialogis di pasar desa bersama Babinsa.", latitude=lat + 0.27)
    add_photo(officer_api, copied, photo_bytes(30))
    add_photo(officer_api, far, photo_bytes(30))  # the same photo again
    at(195, "Mediasi dua keluarga yang berselisih soal batas pekarangan.", latitude=lat)
    at(120, "Menghadiri rapat karang taruna tentang kegiatan olahraga.", latitude=lat + 0.0105)
    visit = at(
        90,
        "Sambang ke rumah warga yang baru pindah dan memberi nomor telepon Polsek.",
        activity_type="dds",
        household=household(),
        participants=None,
        accuracy_m=900,
    )
    VisitConfirmation.objects.create(
        visit=HouseholdVisit.objects.get(report__uuid=visit["uuid"]), rating=4
    )
    at(60, "Pelayanan surat kehilangan.", activity_type="pelayanan-polisi", outcome="Selesai.")
    at(30, "qwx zzv kkpt mmq rrt", longitude=lng + 0.001)
    assert world.colleague is not None and world.colleague_village is not None
    TestText().colleague_report(world)

    reports = list(ActivityReport.objects.order_by("id"))
    for report in reports:
        integrity.refresh(report)

    def stored() -> dict[Any, Any]:
        index = sorted(ReportWord.objects.values_list("report_id", "scope_id", "month", "word"))
        return {
            "reports": {
                r.pk: (r.integrity_level, r.integrity_signals, [w for w in index if w[0] == r.pk])
                for r in ActivityReport.objects.all()
            },
            "counts": sorted(
                WordCount.objects.filter(reports__gt=0).values_list(
                    "scope_id", "month", "word", "reports"
                )
            ),
            "copies": sorted(CopiedText.objects.values_list("report_id", "original_id")),
        }

    one_by_one = stored()
    failing = {
        s["code"]
        for _l, signals, _w in one_by_one["reports"].values()
        for s in signals
        if s["status"] == "fail"
    }
    assert failing >= {"text_copy", "photo_reuse", "travel", "language", "gps"}
    levels = {level for level, _signals, _words in one_by_one["reports"].values()}
    assert levels == {"verified", "plausible", "doubtful"}
    assert one_by_one["copies"]
    ActivityReport.objects.update(integrity_level="plausible", integrity_signals=[])
    for model in (ReportWord, WordCount, CopiedText):
        model.objects.all().delete()

    assert integrity.refresh_many([r.pk for r in reports]) == len(reports)
    assert stored() == one_by_one


class TestExplained:
    """A supervisor can mark a signal as explained, with a reason; it lifts from the count."""

    def copied(self, world: World, officer_api: APIClient) -> dict[str, Any]:
        TestText().colleague_report(world)  # a joint patrol: both wrote the same text
        body = file(officer_api, world, narrative=TestText.NARRATIVE)
        assert body["integrity"]["level"] == "doubtful"
        return body

    def test_an_explained_signal_no_longer_makes_the_report_doubtful(
        self, world: World, officer_api: APIClient, client_for: Any
    ) -> None:
        from sambang.audit.models import AuditEvent
        from sambang.evaluation.models import OfficerMonth

        body = self.copied(world, officer_api)
        polsek = client_for("polsek")
        response = polsek.post(
            f"/api/v1/reports/{body['uuid']}/signals/text_copy/explain",
            {"reason": "Patroli bersama dengan Bripka Colleague; satu laporan untuk berdua."},
            format="json",
        )
        assert response.status_code == 200, response.json()
        after = polsek.get(f"/api/v1/reports/{body['uuid']}").json()  # checked again
        assert after["integrity"]["level"] != "doubtful"
        explained = signal(after, "text_copy")
        assert explained is not None and explained["status"] == "fail"  # still shown
        assert explained["explained"] is True
        assert explained["explanation"]["reason"].startswith("Patroli bersama")
        event = AuditEvent.objects.get(action="update", detail__change="signal_explained")
        assert event.detail["code"] == "text_copy" and event.user == world.users["polsek"]
        # The evaluation counts it as trusted work now.
        month = OfficerMonth.objects.get(officer=world.officers["polsek_a1a"])
        assert month.doubtful == 0 and month.reports == 1

    def test_the_supervisor_explains_from_the_report_page(
        self, world: World, officer_api: APIClient
    ) -> None:
        body = self.copied(world, officer_api)
        page = polsek_page(world, f"/field/reports/{body['uuid']}/")
        assert "Explain this signal" in page
        from django.test import Client

        client = Client()
        client.force_login(world.users["polsek"])
        response = client.post(
            f"/field/reports/{body['uuid']}/signals/text_copy/explain/",
            {"reason": "Patroli bersama."},
            follow=True,
        )
        assert "Explained by" in response.content.decode()
        assert ActivityReport.objects.get(uuid=body["uuid"]).integrity_level != "doubtful"


def test_an_explanation_needs_a_reason_a_raised_signal_and_a_supervisor_in_scope(
    world: World, officer_api: APIClient, client_for: Any
) -> None:
    body = TestExplained().copied(world, officer_api)
    url = f"/api/v1/reports/{body['uuid']}/signals/{{code}}/explain"
    polsek = client_for("polsek")
    blank = polsek.post(url.format(code="text_copy"), {"reason": "  "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["error"]["fields"]
    passing = polsek.post(url.format(code="gps"), {"reason": "GPS ok."}, format="json")
    assert passing.status_code == 400 and "code" in passing.json()["error"]["fields"]
    reason = {"reason": "Patroli bersama."}
    # The officer cannot explain his own report; an administrator sees no field work.
    assert officer_api.post(url.format(code="text_copy"), reason, format="json").status_code == 403
    admin = client_for("admin")
    assert admin.post(url.format(code="text_copy"), reason, format="json").status_code == 404
    # The Polres above may.
    polres = client_for("polres")
    assert polres.post(url.format(code="text_copy"), reason, format="json").status_code == 200
