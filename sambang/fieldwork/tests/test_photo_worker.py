"""A report's photo is stored as sent by the request (its header checked) and decoded by the
worker: nothing of the file as sent is ever served, and it is gone once decoded."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, TestCase, override_settings
from PIL import Image, ImageChops, ImageOps, ImageStat
from rest_framework.test import APIClient

from sambang.fieldwork import processing
from sambang.fieldwork.models import ActivityReport, PhotoState, ReportPhoto
from sambang.personnel.models import Role
from sambang.testing.fieldwork import photo_bytes, report_payload
from sambang.testing.world import World

from .conftest import ClientFor, upload

pytestmark = pytest.mark.django_db


def stored(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def broken_png() -> bytes:
    """A PNG whose header and end are whole but whose picture data is damaged: only
    decoding finds it."""
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 48), bytes(range(256)) * 36).save(out, "PNG")
    data = bytearray(out.getvalue())
    start = data.index(b"IDAT") + 8
    data[start : start + 16] = b"\x00" * 16
    return bytes(data)


@pytest.mark.worker_behind
def test_the_request_stores_the_file_as_sent_and_serves_none_of_it(
    world: World,
    officer_api: APIClient,
    client_for: ClientFor,
    media: Path,
    decoded_sizes: list[tuple[int, int]],
) -> None:
    payload = report_payload(world)
    assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
    url = f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}"
    data = photo_bytes(4, size=(4032, 3024), position=(payload["latitude"], payload["longitude"]))
    response = officer_api.put(url, upload(data), format="multipart")
    assert response.status_code == 201, response.json()
    assert decoded_sizes == []  # the request decoded no pixel (the worker has not run)
    assert response.json()["state"] == "received"
    [sent] = stored(media)
    assert sent.startswith("incoming/") and (media / sent).read_bytes() == data

    # Nobody reads the file as sent (it still has its GPS position): not the officer, not
    # the supervisor; the report's page says the photo is being processed.
    for role in (Role.OFFICER, Role.POLSEK):
        assert client_for(role).get(f"/media/{sent}").status_code == 404
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    html = page.get(f"/field/reports/{payload['uuid']}/").content.decode()
    assert 'data-photo-state="received"' in html and "Photo received, being processed" in html

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert processing.process_pending() == 1
    photo = ReportPhoto.objects.get()
    assert photo.state == PhotoState.READY
    assert (photo.width, photo.height) == (2016, 1512)  # decoded at 1/2 (libjpeg's draft)
    assert photo.latitude == pytest.approx(payload["latitude"], abs=1e-4)
    names = stored(media)
    assert not any(n.startswith("incoming/") for n in names)  # the file as sent is gone
    assert {photo.image.name, photo.thumbnail.name} == set(names)
    assert (media / str(photo.image.name)).read_bytes() != data
    report = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()
    assert report["photos"][0]["url"].endswith(photo.image.name)


@pytest.mark.worker_behind
@pytest.mark.parametrize(("orientation", "upright"), [(1, (640, 480)), (6, (480, 640))])
def test_a_photo_is_stored_turned_as_its_camera_says_without_its_metadata(
    world: World, officer_api: APIClient, media: Path, orientation: int, upright: tuple[int, int]
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    data = photo_bytes(
        7, position=(payload["latitude"], payload["longitude"]), orientation=orientation
    )
    response = officer_api.put(
        f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}", upload(data), format="multipart"
    )
    assert response.status_code == 201, response.json()
    with TestCase.captureOnCommitCallbacks(execute=True):
        processing.process_pending()
    photo = ReportPhoto.objects.get()
    assert (photo.width, photo.height) == upright
    assert photo.latitude == pytest.approx(payload["latitude"], abs=1e-4)
    with Image.open(media / str(photo.image.name)) as kept:
        assert kept.size == upright
        assert not kept.getexif() and not kept.info.get("exif")  # no position, no tag
        seen = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        difference = ImageChops.difference(kept.convert("RGB"), seen.convert("RGB"))
        assert max(ImageStat.Stat(difference).mean) < 8  # the same picture, re-encoded


@pytest.mark.worker_behind
def test_a_photo_only_decoding_finds_damaged_is_marked_unreadable_and_the_report_says_so(
    world: World, officer_api: APIClient, media: Path
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    response = officer_api.put(
        f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}",
        upload(broken_png(), "photo.png", "image/png"),
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    with TestCase.captureOnCommitCallbacks(execute=True):
        processing.process_pending()
    photo = ReportPhoto.objects.get()
    assert photo.state == PhotoState.UNREADABLE
    assert stored(media) == []  # nothing of it is kept
    report = ActivityReport.objects.get(uuid=payload["uuid"])
    assert not report.pending  # the report is assessed without it
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    html = page.get(f"/field/reports/{payload['uuid']}/").content.decode()
    assert 'data-photo-state="unreadable"' in html and "add it again" in html


def test_a_photo_with_bytes_after_its_end_is_accepted_one_cut_short_is_not(
    world: World, officer_api: APIClient, media: Path
) -> None:
    payload = report_payload(world)
    officer_api.post("/api/v1/reports/", payload, format="json")
    photo = photo_bytes(5, size=(1600, 1200))
    cases = [
        ("a motion photo: a video after the picture", photo + b"ftypmp42" + bytes(5000), 201),
        ("cut short", photo[: len(photo) - 40], 400),
        ("a PNG cut short", _png()[:-12], 400),
        ("a WebP cut short", _webp()[:-100], 400),
        ("a whole WebP", _webp(), 201),
    ]
    for label, data, status in cases:
        response = officer_api.put(
            f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}",
            upload(data),
            format="multipart",
        )
        assert response.status_code == status, (label, response.json())
        if status == 400:  # a WebP cut short may not even open: "not a photo"
            message = response.json()["error"]["fields"]["file"][0]
            assert "cut short" in message or "WebP" in label, (label, message)
    states = ReportPhoto.objects.values_list("state", flat=True)
    assert sorted(states) == ["ready", "ready"]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _webp() -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(photo_bytes(6))).save(out, "WEBP", quality=80)
    return out.getvalue()
