"""Media in an S3-compatible bucket (production): photos are stored there, private, and
the app links to them with signed URLs that work."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from sambang.testing.fieldwork import photo_bytes, report_payload
from sambang.testing.s3 import CREDENTIALS, Bucket, s3_bucket
from sambang.testing.world import World

from .conftest import upload


@pytest.fixture
def bucket(monkeypatch: pytest.MonkeyPatch) -> Iterator[Bucket]:
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    with s3_bucket() as bucket:
        yield bucket


def s3_storage(bucket: Bucket) -> dict[str, Any]:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket.name,
            "endpoint_url": bucket.endpoint_url,
            "location": "media",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


@pytest.mark.django_db
def test_a_report_photo_is_kept_in_the_bucket_and_shown_by_a_signed_link(
    world: World, officer_api: APIClient, bucket: Bucket, settings: Any
) -> None:
    with override_settings(STORAGES={**settings.STORAGES, "default": s3_storage(bucket)}):
        payload = report_payload(world)
        assert officer_api.post("/api/v1/reports/", payload, format="json").status_code == 201
        data = photo_bytes(5)
        url = f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}"
        assert officer_api.put(url, upload(data), format="multipart").status_code == 201
        photo = officer_api.get(f"/api/v1/reports/{payload['uuid']}").json()["photos"][0]

    keys = bucket.keys()
    assert len(keys) == 2  # the photo and its thumbnail
    assert all(key.startswith("media/reports/") for key in keys)
    link = photo["thumbnail_url"]
    assert link.startswith(f"{bucket.endpoint_url}/{bucket.name}/media/reports/")
    assert "Signature=" in link or "X-Amz-Signature=" in link
    with urllib.request.urlopen(link) as response:  # noqa: S310 (loopback test server)
        assert response.read()[:3] == b"\xff\xd8\xff"  # a JPEG thumbnail
    unsigned = link.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned)  # noqa: S310
    assert refused.value.code == 403


def test_the_settings_send_media_to_the_bucket_named_in_the_environment(
    bucket: Bucket, tmp_path: Path
) -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sambang.config.settings.local",
        "SAMBANG_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SAMBANG_S3_BUCKET": bucket.name,
        "SAMBANG_S3_ENDPOINT_URL": bucket.endpoint_url,
        "SAMBANG_S3_PREFIX": "uploads",
    }
    script = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.save('officers/a.txt', ContentFile(b'hello')))"
    )
    result = subprocess.run(
        [sys.executable, "-m", "sambang", "shell", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert bucket.keys() == ["uploads/officers/a.txt"]
    assert not (tmp_path / "media").exists()
