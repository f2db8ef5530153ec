"""Fixtures for field-work tests: API clients per role and a quick way to file reports."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from sambang.fieldwork import processing, services
from sambang.fieldwork.api.reports import ReportWriteSerializer
from sambang.fieldwork.models import ActivityReport
from sambang.personnel.models import Role
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World

ClientFor = Callable[[str], APIClient]


@pytest.fixture
def client_for(world: World) -> ClientFor:
    """An API client signed in with the token of the world's user of a role."""

    def make(role: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return client

    return make


@pytest.fixture
def officer_api(client_for: ClientFor) -> APIClient:
    return client_for(Role.OFFICER)


@pytest.fixture
def file_report(world: World) -> Callable[..., ActivityReport]:
    """File a report through the service as the officer of a Polsek (default: POLSEK-A1A)."""

    def make(unit_key: str = "polsek_a1a", **overrides: Any) -> ActivityReport:
        payload = report_payload(world, unit_key, **overrides)
        payload["uuid"] = uuid.UUID(payload["uuid"])
        data = ReportWriteSerializer(data=payload)
        data.is_valid(raise_exception=True)
        report, _ = services.report_create(
            officer=world.officers[unit_key], data=data.validated_data
        )
        processing.process_pending()  # the worker checks it
        report.refresh_from_db()
        return report

    return make


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, data, content_type=content_type)}


@pytest.fixture
def decoded_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every picture Pillow decodes during the test, in order."""
    from PIL import ImageFile

    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def recording_load(image: ImageFile.ImageFile) -> object:
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return decoded
