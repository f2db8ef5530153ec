"""Files that are not photos — whatever their name or content type says — are refused
for the field, and nothing of them reaches media storage."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.test import APIClient

from sambang.fieldwork.models import ActivityReport, ReportPhoto
from sambang.personnel.models import Role
from sambang.public.models import CitizenAttachment, CitizenReport
from sambang.testing.bad_inputs import BAD_FILES
from sambang.testing.fieldwork import photo_bytes, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

SMALL_LIMIT = 50_000


def bad_files() -> list[tuple[str, str, str, bytes]]:
    """The catalogue's files, a photo cut short, and a real photo over a small limit."""
    photo = photo_bytes(7, size=(1600, 1200))
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
    assert response.status_code == 201
    assert CitizenReport.objects.count() == 1
    assert CitizenAttachment.objects.count() == 0
    assert stored_files(media) == []
