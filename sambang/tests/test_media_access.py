"""Uploaded files are served only to readers of the record they belong to, whatever DEBUG
says: photos of reports and of residents' reports by scope, downloads to their owner,
officers' portraits to anyone; a file no record holds to nobody."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import clear_url_caches

from sambang.exports.models import ExportJob
from sambang.fieldwork.models import ActivityReport, ReportPhoto
from sambang.personnel.models import Role
from sambang.public.models import CitizenAttachment, CitizenReport
from sambang.testing.world import World
from sambang.tests.scope_specimens import Specimens, build_specimens
from sambang.tests.scope_table import VISIBLE_UNITS

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0not-really-a-photo\xff\xd9"


def _photo(report: ActivityReport) -> ReportPhoto:
    photo = ReportPhoto(
        uuid=uuid.uuid4(),
        report=report,
        sha256="0" * 64,
        content_type="image/jpeg",
        size=len(JPEG),
        width=1,
        height=1,
        phash=0,
        phash_q0=0,
        phash_q1=0,
        phash_q2=0,
        phash_q3=0,
    )
    photo.image.save("p.jpg", ContentFile(JPEG), save=False)
    photo.thumbnail.save("t.jpg", ContentFile(JPEG), save=False)
    photo.save()
    return photo


def _attachment(report: CitizenReport) -> CitizenAttachment:
    attachment = CitizenAttachment(report=report, content_type="image/jpeg", size=len(JPEG))
    attachment.image.save("a.jpg", ContentFile(JPEG), save=False)
    attachment.thumbnail.save("a-t.jpg", ContentFile(JPEG), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def specimens(world: World) -> Specimens:
    return build_specimens(world)


def _url(name: str | None) -> str:
    return f"/media/{name}"


def test_photos_and_downloads_are_served_by_scope_only(world: World, specimens: Specimens) -> None:
    photos = {
        key: _photo(ActivityReport.objects.get(uuid=values["uuid"]))
        for key, values in specimens.values["report"].items()
    }
    attachments = {
        key: _attachment(CitizenReport.objects.get(tracking_code=values["code"]))
        for key, values in specimens.values["citizen"].items()
    }
    downloads = {
        role: ExportJob.objects.get(pk=values["pk"])
        for role, values in specimens.values["export"].items()
    }
    wrong = []
    for role in (Role.OFFICER, Role.POLSEK, Role.POLRES, Role.POLDA):
        client = Client()
        client.force_login(world.users[role])
        seen = VISIBLE_UNITS[role] or {"polsek_a1a"}  # the officer user's own work
        for kind, files in (("report", photos), ("citizen", attachments)):
            for key, record in files.items():
                for name in (record.image.name, record.thumbnail.name):
                    answer = client.get(_url(name))
                    expected = 200 if key in seen else 404
                    if answer.status_code != expected:
                        wrong.append(f"{role} {kind} of {key}: {answer.status_code}")
                    elif expected == 200 and answer.getvalue() != JPEG:
                        wrong.append(f"{role} {kind} of {key}: not the file")
        for owner, job in downloads.items():
            answer = client.get(_url(job.file.name))
            if answer.status_code != (200 if owner == role else 404):
                wrong.append(f"{role} download of {owner}: {answer.status_code}")
    assert not wrong, "\n".join(wrong)
    anonymous = Client()
    held_files: list[ReportPhoto | CitizenAttachment] = [*photos.values(), *attachments.values()]
    for held in held_files:
        assert anonymous.get(_url(held.image.name)).status_code == 404
    assert anonymous.get(_url(downloads[Role.OFFICER].file.name)).status_code == 404


def test_a_portrait_is_public_and_a_file_no_record_holds_is_not(world: World) -> None:
    officer = world.officers["polsek_a1a"]
    officer.photo.save("portrait.jpg", ContentFile(JPEG), save=True)
    assert Client().get(_url(officer.photo.name)).status_code == 200
    stray = default_storage.save("reports/stray.jpg", ContentFile(JPEG))
    admin = Client()
    admin.force_login(world.users[Role.NATIONAL])
    assert admin.get(_url(stray)).status_code == 404
    assert admin.get(_url("../sambang.sqlite3")).status_code == 404
    assert admin.get(_url("exports/../officers/portrait.jpg")).status_code == 404


@pytest.fixture
def debug_urls(settings: object) -> Iterator[None]:
    """The URL configuration as the development server (DEBUG on) loads it."""
    from sambang.config import urls

    settings.DEBUG = True  # type: ignore[attr-defined]
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.DEBUG = False  # type: ignore[attr-defined]
    importlib.reload(urls)
    clear_url_caches()


def test_the_development_server_serves_no_file_without_the_checks(
    world: World, specimens: Specimens, debug_urls: None
) -> None:
    # The Polres supervisor's download: any signed-in user fetched it by its name.
    download = ExportJob.objects.get(pk=specimens.values["export"][Role.POLRES]["pk"])
    officer = Client()
    officer.force_login(world.users[Role.OFFICER])
    assert officer.get(_url(download.file.name)).status_code == 404
    assert Client().get(_url(download.file.name)).status_code == 404
