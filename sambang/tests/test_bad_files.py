"""Files that are not photos — whatever their name or content type says — are refused
for the field, and nothing of them reaches media storage."""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.core.management import call_command
from django.test import Client, override_settings
from PIL import Image, ImageFile
from rest_framework.test import APIClient

from sambang.fieldwork.models import ActivityReport, ReportPhoto
from sambang.fieldwork.photos import MAX_PIXELS
from sambang.personnel.models import Education, Officer, Rank, Role
from sambang.public.models import CitizenAttachment, CitizenReport
from sambang.testing.bad_inputs import BAD_FILES, reencoded_files
from sambang.testing.fieldwork import photo_bytes, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

# Above the 50-megapixel JPEG of the catalogue (0.3 MB): it must be refused for its pixels.
SMALL_LIMIT = 400_000


def bad_files() -> list[tuple[str, str, str, bytes]]:
    """The catalogue's files, a photo cut short, and a real photo over a small limit."""
    photo = photo_bytes(7, size=(4000, 3000))
    assert len(photo) > SMALL_LIMIT
    return [
        *BAD_FILES,
        ("a truncated JPEG", "photo.jpg", "image/jpeg", photo[: len(photo) // 3]),
        ("a photo over the size limit", "photo.jpg", "image/jpeg", photo),
    ]


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def media(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=tmp_path, SAMBANG_PHOTO_MAX_BYTES=SMALL_LIMIT):
        yield tmp_path


@pytest.fixture
def officer_api(world: World) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    return client


def test_each_bad_file_is_a_field_error_and_stores_nothing(
    world: World, officer_api: APIClient, media: Path
) -> None:
    payload = report_payload(world)
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    url = f"/api/v1/reports/{payload['uuid']}/photos"
    failures = []
    for label, name, content_type, data in bad_files():
        upload = SimpleUploadedFile(name, data, content_type=content_type)
        response = officer_api.put(f"{url}/{uuid.uuid4()}", {"file": upload}, format="multipart")
        if response.status_code not in (400, 413, 415, 422):
            failures.append(f"{label}: {response.status_code} {response.content[:300]!r}")
        elif "file" not in response.json()["error"]["fields"]:
            failures.append(f"{label}: the error does not name the file: {response.json()}")
    assert not failures, "\n".join(failures)
    assert ReportPhoto.objects.count() == 0
    assert stored_files(media) == []
    # The same request with a real photo is stored: the check above can fail.
    good = SimpleUploadedFile("ok.jpg", photo_bytes(1), content_type="image/jpeg")
    response = officer_api.put(f"{url}/{uuid.uuid4()}", {"file": good}, format="multipart")
    assert response.status_code == 201, response.json()
    assert ReportPhoto.objects.count() == 1 and stored_files(media) != []


def test_bad_files_on_the_report_form_cost_the_photo_never_the_report(
    world: World, media: Path
) -> None:
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    payload = report_payload(world)
    values = {
        k: v for k, v in payload.items() if k not in ("partners", "occurred_at") and v is not None
    }
    values["occurred_at"] = payload["occurred_at"][:16]
    files = [SimpleUploadedFile(n, d, content_type=t) for _l, n, t, d in bad_files()]
    response = client.post("/field/reports/new/", {**values, "photos": files}, follow=True)
    assert response.status_code == 200
    assert ActivityReport.objects.count() == 1
    assert ReportPhoto.objects.count() == 0
    assert stored_files(media) == []
    warnings = [str(m) for m in response.context["messages"]]
    assert len([w for w in warnings if "photo.jpg" in w or "photo.png" in w]) >= len(files) - 1


def test_bad_files_with_a_residents_report_are_listed_and_not_kept(
    world: World, media: Path
) -> None:
    village = world.villages["polsek_a1a"].code
    files = [SimpleUploadedFile(n, d, content_type=t) for _l, n, t, d in bad_files()[:3]]
    response = Client().post(
        f"/lapor/{village}/",
        {"category": "crime", "description": "Motor dicuri.", "anonymous": "on", "photos": files},
    )
    assert response.status_code == 303
    assert CitizenReport.objects.count() == 1
    assert CitizenAttachment.objects.count() == 0
    assert stored_files(media) == []


# --- every photo route ---------------------------------------------------------------------
#
# The same attacks on each of the routes that take a photo: the officer's API and his three
# report pages, the residents' form and API (no account), and the officer's photo in the
# admin. A route sends files (one request, or one each where the route takes one) and says
# where what it stored is.

Sent = list[tuple[int, str]]  # (status, what the sender reads) for each request


def _text(response: Any) -> str:
    return response.content.decode(errors="replace")


def _form_values(world: World) -> dict[str, Any]:
    payload = report_payload(world)
    values = {
        k: v for k, v in payload.items() if k not in ("partners", "occurred_at") and v is not None
    }
    values["occurred_at"] = payload["occurred_at"][:16]
    return values


def _filed_report(world: World) -> str:
    payload = report_payload(world)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    assert client.post("/api/v1/reports/", payload, format="json").status_code == 201
    return str(payload["uuid"])


def _officer_page(world: World) -> Client:
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    return client


def _api_photo(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    url = f"/api/v1/reports/{_filed_report(world)}/photos"
    sent = []
    for upload in files:
        response = client.put(
            f"{url}/{uuid.uuid4()}", {"file": upload}, format="multipart", **extra
        )
        sent.append((response.status_code, _text(response)))
    return sent


def _report_new(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    response = _officer_page(world).post(
        "/field/reports/new/", {**_form_values(world), "photos": files}, follow=True, **extra
    )
    return [(response.status_code, _text(response))]


def _report_edit(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    report = _filed_report(world)
    values = {**_form_values(world), "uuid": report, "photos": files}
    response = _officer_page(world).post(
        f"/field/reports/{report}/edit/", values, follow=True, **extra
    )
    return [(response.status_code, _text(response))]


def _report_photos(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    report = _filed_report(world)
    response = _officer_page(world).post(
        f"/field/reports/{report}/photos/", {"photos": files}, follow=True, **extra
    )
    return [(response.status_code, _text(response))]


def _residents_form(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    village = world.villages["polsek_a1a"].code
    response = Client(REMOTE_ADDR=f"198.51.100.{uuid.uuid4().int % 250 + 1}").post(
        f"/lapor/{village}/",
        {"category": "crime", "description": "Motor dicuri.", "anonymous": "on", "photos": files},
        follow=True,
        **extra,
    )
    # Sent, the form redirects (303) to the page that shows the code and the photos refused.
    status = response.redirect_chain[0][1] if response.redirect_chain else response.status_code
    return [(status, _text(response))]


def _residents_api(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    village = world.villages["polsek_a1a"].code
    response = APIClient(REMOTE_ADDR=f"203.0.113.{uuid.uuid4().int % 250 + 1}").post(
        "/api/v1/public/citizen-reports",
        {"category": "crime", "description": "Motor dicuri.", "village": village, "photos": files},
        format="multipart",
        **extra,
    )
    return [(response.status_code, _text(response))]


def _officer_admin(world: World, files: list[SimpleUploadedFile], **extra: Any) -> Sent:
    admin = world.users[Role.ADMIN]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    officer = Officer.objects.create(
        nrp=f"{uuid.uuid4().int % 10**8:08d}",
        name="Brigadir Foto",
        rank=Rank.BRIPKA,
        unit=world.units["polsek_a1a"],
        education=Education.SMA,
    )
    values = {
        "nrp": officer.nrp,
        "name": officer.name,
        "rank": officer.rank,
        "unit": officer.unit_id,
        "education": officer.education,
        "trainings": "[]",
        "other_duties": "[]",
        "status": officer.status,
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    sent = []
    for upload in files:
        response = client.post(
            f"/admin/personnel/officer/{officer.pk}/change/", {**values, "photo": upload}, **extra
        )
        sent.append((response.status_code, _text(response)))
    return sent


@dataclass(frozen=True)
class PhotoRoute:
    name: str
    field: str
    most: int  # photos one request may carry
    send: Callable[..., Sent]
    one_a_request: bool = False

    def __str__(self) -> str:
        return self.name


PHOTO_ROUTES = [
    PhotoRoute("API: PUT a report's photo", "file", 1, _api_photo, one_a_request=True),
    PhotoRoute("page: a new report", "photos", 10, _report_new),
    PhotoRoute("page: a report edited", "photos", 10, _report_edit),
    PhotoRoute("page: photos added to a report", "photos", 10, _report_photos),
    PhotoRoute("page: a resident's report", "photos", 3, _residents_form),
    PhotoRoute("API: a resident's report", "photos", 3, _residents_api),
    PhotoRoute("admin: an officer's photo", "photo", 1, _officer_admin, one_a_request=True),
]


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every picture Pillow decodes while the test runs."""
    sizes: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def recording_load(image: ImageFile.ImageFile) -> Any:
        sizes.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return sizes


@pytest.mark.parametrize("route", PHOTO_ROUTES, ids=str)
def test_every_photo_route_refuses_every_bad_file_by_name_and_decodes_no_bomb(
    world: World, media: Path, decoded: list[tuple[int, int]], route: PhotoRoute
) -> None:
    files = [
        SimpleUploadedFile(f"bad{i}-{name}", data, content_type=content_type)
        for i, (_label, name, content_type, data) in enumerate(bad_files())
    ]
    sent = route.send(world, files)
    assert all(status < 500 for status, _text in sent), sent
    failures = []
    if route.one_a_request:
        for (label, *_rest), (status, text) in zip(bad_files(), sent, strict=True):
            if route.name.startswith("API") and (
                status not in (400, 413) or route.field not in json.loads(text)["error"]["fields"]
            ):
                failures.append(f"{label}: {status} {text[:200]}")
            if route.name.startswith("admin") and (status != 200 or "errorlist" not in text):
                failures.append(f"{label}: {status}, no error on the form")
    else:
        text = " ".join(text for _status, text in sent)
        failures = [f"{f.name} is not named" for f in files if str(f.name) not in text]
    assert not failures, "\n".join(failures)
    assert stored_files(media) == []
    # A 50-megapixel picture is refused from its header: nothing that large is ever decoded.
    assert all(w * h <= MAX_PIXELS for w, h in decoded), decoded


@pytest.mark.parametrize("route", PHOTO_ROUTES, ids=str)
def test_every_photo_route_stores_a_new_picture_never_the_file_sent(
    world: World, media: Path, route: PhotoRoute
) -> None:
    sent_files = reencoded_files()
    files = [SimpleUploadedFile(n, d, content_type=t) for _l, n, t, d, _m in sent_files]
    for start in range(0, len(files), route.most):
        sent = route.send(world, files[start : start + route.most])
        assert all(status in (200, 201, 302, 303) for status, _text in sent), sent
    stored = stored_files(media)
    assert len([p for p in stored if "thumbs" not in p.parts]) >= len(files) or (
        route.name.startswith("admin") and stored
    ), stored
    for path in stored:
        data = path.read_bytes()
        assert data not in [d for _l, _n, _t, d, _m in sent_files]
        leaks = [m for *_rest, markers in sent_files for m in markers if m in data]
        assert not leaks, f"{path.name} keeps {leaks}"
        image = Image.open(path)
        assert (image.format, dict(image.getexif()), image.info.get("comment")) == (
            "JPEG",
            {},
            None,
        )
    if route.name.startswith(("API: PUT", "page: a new", "page: a report", "page: photos")):
        # What the integrity checks read from EXIF was kept, as fields, before it was dropped.
        phone = ReportPhoto.objects.exclude(latitude=None).get()
        assert phone.taken_at is not None and phone.latitude == pytest.approx(-6.2346, abs=1e-3)


@pytest.mark.parametrize("route", PHOTO_ROUTES, ids=str)
def test_every_photo_route_refuses_a_body_over_its_limit_before_reading_it(
    world: World, media: Path, route: PhotoRoute
) -> None:
    # The body claims a gigabyte: reading it would fail (the test client holds a few bytes).
    files = [SimpleUploadedFile("ok.jpg", photo_bytes(1), content_type="image/jpeg")]
    sent = route.send(world, files, CONTENT_LENGTH=str(10**9))
    assert [status for status, _text in sent] == [413], sent
    text = sent[0][1]
    if route.name.startswith("API"):
        assert route.field in json.loads(text)["error"]["fields"]
    assert "1000.0 MB" in text
    assert stored_files(media) == []


@pytest.mark.parametrize("route", PHOTO_ROUTES[4:6], ids=str)
def test_photos_from_an_address_over_its_limit_are_dropped_unread(
    world: World, media: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, route: PhotoRoute
) -> None:
    settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR = 1
    settings.SAMBANG_TRUSTED_PROXIES = 0
    kept: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        receive = handler.receive_data_chunk

        def counting(self: Any, raw_data: bytes, start: int, receive: Any = receive) -> Any:
            kept.append(len(raw_data))
            return receive(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    photo = photo_bytes(3)
    address = {"REMOTE_ADDR": "192.0.2.55"}
    first = route.send(world, [SimpleUploadedFile("a.jpg", photo, "image/jpeg")], **address)
    assert first[0][0] in (201, 303) and sum(kept) >= len(photo)
    kept.clear()
    second = route.send(world, [SimpleUploadedFile("b.jpg", photo, "image/jpeg")], **address)
    assert second[0][0] == 429
    assert kept == []  # none of the second photo was kept, not even in memory for a while
    assert CitizenAttachment.objects.count() == 1
    if route.name.startswith("page"):
        assert "Motor dicuri." in second[0][1]  # the text typed is shown again


def test_photos_stored_as_sent_before_are_re_encoded_by_the_command(
    world: World, media: Path
) -> None:
    """Photos kept byte for byte by an earlier release (here: stored files overwritten with
    what a phone sent) are stored again without metadata by ``sambang photos clean``."""
    for route in (PHOTO_ROUTES[0], PHOTO_ROUTES[4], PHOTO_ROUTES[6]):
        good = SimpleUploadedFile("ok.jpg", photo_bytes(3), content_type="image/jpeg")
        [(status, _text)] = route.send(world, [good])
        assert status in (200, 201, 302, 303)
    legacy = reencoded_files()
    files = [
        *(row.image for row in ReportPhoto.objects.all()),
        *(row.image for row in CitizenAttachment.objects.all()),
        *(row.photo for row in Officer.objects.exclude(photo="")),
    ]
    assert len(files) == 3
    for file, (_label, _name, _type, data, _markers) in zip(files, legacy, strict=False):
        Path(file.path).write_bytes(data)

    def clean(*args: str) -> str:
        out = io.StringIO()
        call_command("photos", "clean", *args, stdout=out)
        return out.getvalue()

    trial = clean("--dry-run")
    assert "report photos: 1 examined, 1 to re-encode" in trial, trial
    assert "residents' photos: 1 examined, 1 to re-encode" in trial
    assert "officers' portraits: 1 examined, 1 to re-encode" in trial
    assert all(
        Path(f.path).read_bytes() == d for f, (*_, d, _m) in zip(files, legacy, strict=False)
    )
    done = clean()
    assert "report photos: 1 examined, 1 re-encoded" in done, done
    for path in stored_files(media):
        data = path.read_bytes()
        leaks = [m for *_rest, markers in legacy for m in markers if m in data]
        assert not leaks, f"{path.name} keeps {leaks}"
        image = Image.open(path)
        assert (image.format, dict(image.getexif()), image.info.get("comment")) == (
            "JPEG",
            {},
            None,
        )
    photo = ReportPhoto.objects.get()
    assert (photo.size, photo.content_type) == (Path(photo.image.path).stat().st_size, "image/jpeg")
    # The officer still sees the photo, through the checked media route.
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    assert client.get(photo.image.url).status_code == 200
    assert "0 re-encoded" in clean() and "1 re-encoded" not in clean()


def test_every_route_refuses_a_body_over_its_limit_before_reading_it(db: None) -> None:
    """Any route of the URL configuration, any body method, signed in or not: a body larger
    than the route may take is a 413 before any of it is read (the test client holds a few
    bytes; reading a gigabyte would fail)."""
    from sambang.tests.test_route_coverage import routes

    values = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "str": "x", "path": "x"}
    tried, wrong = 0, []
    for route in routes():
        if re.search(r"[\^$(\\]", route.pattern):
            continue  # a regular expression (the admin's few): its neighbours are tried
        path = "/" + re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: values.get(m[1] or "str", "x"), route.pattern
        )
        for method in ("post", "put", "patch"):
            tried += 1
            answer = getattr(Client(), method)(
                path, b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(10**9)
            )
            if answer.status_code != 413:
                wrong.append(f"{method.upper()} {path}: {answer.status_code}")
    assert tried > 300
    assert not wrong, "\n".join(wrong)
