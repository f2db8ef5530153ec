"""`sambang backup` and `sambang restore`, run as an operator runs them: a backup of a
database with reports and photos comes back whole in an empty database and empty media
storage; a database that holds data is refused; a damaged archive changes nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.databases import committed_database, database_url, other_database
from sambang.testing.fieldwork import photo_bytes, report_payload
from sambang.testing.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)  # the CLI runs in other processes

SAMBANG = str(Path(sys.executable).parent / "sambang")


@dataclass
class Site:
    """A database and a media folder, as the CLI is pointed at them."""

    url: str
    settings: dict[str, Any]
    media: Path

    def sambang(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media)}
        return subprocess.run(
            [SAMBANG, *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def tables(self) -> dict[str, int]:
        """Rows per table, read with a connection of the test's own (not the command's)."""
        with other_database(self.settings) as database, database.cursor() as cursor:
            counts = {}
            for table in database.introspection.table_names(cursor):
                cursor.execute(f"SELECT count(*) FROM {database.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            return counts

    def report_uuids(self) -> set[str]:
        with other_database(self.settings) as database, database.cursor() as cursor:
            cursor.execute("SELECT uuid FROM fieldwork_activityreport")
            return {str(uuid.UUID(str(value))) for (value,) in cursor.fetchall()}

    def files(self) -> dict[str, bytes]:
        if not self.media.exists():
            return {}
        return {
            str(path.relative_to(self.media)): path.read_bytes()
            for path in sorted(self.media.rglob("*"))
            if path.is_file()
        }


@pytest.fixture
def source(tmp_path: Path, settings: Any) -> Iterator[Site]:
    """The test database, committed where the CLI sees it, and its media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with committed_database(tmp_path) as url:
        yield Site(url, dict(connection.settings_dict), tmp_path / "media")


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Site]:
    """A new, empty database (a new SQLite file, or a PostgreSQL database created for the
    test and dropped after it) and an empty media folder."""
    media = tmp_path / "restored-media"
    if connection.vendor == "sqlite":
        settings = {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        yield Site(database_url(settings), settings, media)
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    settings = {**connection.settings_dict, "NAME": name}
    server = {
        key: value
        for key, value in {
            "host": settings.get("HOST"),
            "port": settings.get("PORT"),
            "user": settings.get("USER"),
            "password": settings.get("PASSWORD"),
        }.items()
        if value
    }
    with closing(psycopg.connect(dbname="postgres", autocommit=True, **server)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield Site(database_url(settings), settings, media)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reports_with_photos(world: World, count: int) -> list[str]:
    """Reports filed through the API as the officer does, each with a photo (and the
    thumbnail the server makes)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    uuids = []
    for number in range(count):
        payload = report_payload(world)
        assert client.post("/api/v1/reports/", payload, format="json").status_code == 201
        photo = SimpleUploadedFile("photo.jpg", photo_bytes(number), content_type="image/jpeg")
        url = f"/api/v1/reports/{payload['uuid']}/photos/{uuid.uuid4()}"
        assert client.put(url, {"file": photo}, format="multipart").status_code == 201
        uuids.append(payload["uuid"])
    return uuids


def backup_of(source: Site, tmp_path: Path) -> Path:
    archive = tmp_path / "sambang.backup.tar"
    done = source.sambang("backup", str(archive))
    assert done.returncode == 0, done.stderr
    assert "Wrote" in done.stdout
    return archive


def test_a_backup_restored_into_an_empty_database_holds_every_row_and_every_file(
    source: Site, target: Site, tmp_path: Path
) -> None:
    world = build_world()
    reports = reports_with_photos(world, 3)
    archive = backup_of(source, tmp_path)
    assert not list(tmp_path.glob("*.partial"))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["engine"] == connection.vendor
    assert ["audit", "0001_create_audit_log"] in manifest["migrations"]
    assert manifest["tables"]["fieldwork_activityreport"] == 3
    assert len(manifest["media"]) == 6  # three photos and their thumbnails

    done = target.sambang("restore", str(archive))

    assert done.returncode == 0, done.stderr
    assert "all match the manifest" in done.stdout
    source_tables = source.tables()
    assert target.tables() == source_tables
    assert source_tables["personnel_user"] == len(world.users)
    assert target.report_uuids() == set(reports) == source.report_uuids()
    assert target.files() == source.files()
    assert len(target.files()) == 6


def test_a_database_that_holds_data_is_refused_unless_replace_is_asked(
    source: Site, target: Site, tmp_path: Path
) -> None:
    world = build_world()
    reports_with_photos(world, 1)
    archive = backup_of(source, tmp_path)
    assert target.sambang("restore", str(archive)).returncode == 0
    before = target.tables()

    again = target.sambang("restore", str(archive))

    assert again.returncode != 0
    assert "already holds" in again.stderr
    assert "--replace" in again.stderr
    assert target.tables() == before
    replaced = target.sambang("restore", "--replace", str(archive))
    assert replaced.returncode == 0, replaced.stderr
    assert target.tables() == before
    assert target.files() == source.files()


def rewritten(archive: Path, to: Path, change: Any) -> Path:
    """A copy of the archive with one member's bytes changed by ``change(name, data)``."""
    with tarfile.open(archive) as old, tarfile.open(to, "w", format=tarfile.PAX_FORMAT) as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())  # type: ignore[union-attr]
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return to


def test_a_damaged_or_truncated_archive_is_refused_and_changes_nothing(
    source: Site, target: Site, tmp_path: Path
) -> None:
    world = build_world()
    reports_with_photos(world, 1)
    archive = backup_of(source, tmp_path)
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(data[: len(data) // 2])

    def flip_a_byte(name: str, content: bytes) -> bytes:
        if not name.startswith("media/"):
            return content
        return content[:100] + bytes([content[100] ^ 0xFF]) + content[101:]

    corrupted = rewritten(archive, tmp_path / "corrupted.tar", flip_a_byte)
    checked = target.sambang("restore", "--dry-run", str(archive))
    assert checked.returncode == 0, checked.stderr
    assert "is sound" in checked.stdout
    assert (target.tables(), target.files()) == ({}, {})

    for bad, reason in ((truncated, "truncated"), (corrupted, "does not match its checksum")):
        done = target.sambang("restore", str(bad))
        assert done.returncode != 0
        assert "damaged or incomplete" in done.stderr
        assert reason in done.stderr, done.stderr
        assert "nothing was changed" in done.stderr
        assert target.tables() == {}
        assert target.files() == {}


def test_a_restore_that_does_not_match_the_manifest_fails_and_says_where(
    source: Site, target: Site, tmp_path: Path
) -> None:
    """The comparison after a restore is real: a manifest that claims one report more than the
    archive holds makes the restore end in an error naming the table."""
    world = build_world()
    reports_with_photos(world, 2)
    archive = backup_of(source, tmp_path)

    def claim_one_more(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["tables"]["fieldwork_activityreport"] += 1
        return json.dumps(manifest).encode()

    lying = rewritten(archive, tmp_path / "lying.tar", claim_one_more)

    done = target.sambang("restore", str(lying))

    assert done.returncode != 0
    assert "table fieldwork_activityreport has 2 rows, the manifest says 3" in done.stderr
    assert "1 differences from the manifest" in done.stderr
