"""Backing up the database and the media into one archive, and restoring it, checked.

The archive is a plain tar file (photos are JPEG already, and pg_dump's custom format is
compressed), written in this order:

- ``database.sqlite3`` — a consistent copy made by SQLite's online backup API, or
  ``database.pgdump`` — ``pg_dump --format=custom`` taken in the same snapshot as the counts;
- ``media/<name>`` — every file of the default storage (local disk or an S3 bucket), read
  and written through Django's storage API;
- ``manifest.json`` last, once everything above is written: the engine, the applied
  migrations, the rows of every table, and the size and SHA-256 of the database dump and of
  every media file.

Nothing is held in memory but one chunk and the manifest. The archive is written under a
temporary name and renamed when complete, so a backup never looks finished when it is not.

A restore reads the whole archive and checks every checksum before it changes anything: a
damaged or truncated archive is refused with the database and the media left as they were.
It then loads the database (SQLite's backup API; ``pg_restore`` piped into ``psql`` in one
transaction), writes the media under their own names, and compares what is now in the
database and the storage with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "sambang-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why, for the operator."""


@dataclass
class MediaFile:
    name: str
    size: int
    sha256: str


@dataclass
class RestoreReport:
    """What a restore (or a check of the archive) found."""

    engine: str
    tables: int
    rows: int
    files: int
    bytes: int
    created_at: str
    restored: bool = False
    differences: list[str] = field(default_factory=list)


# --- listing the media ------------------------------------------------------------------


def storage_files(storage: Storage, top: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``top``, walking folders with ``listdir`` (the
    same on local disk and in an S3 bucket), in a stable order."""
    try:
        folders, files = storage.listdir(top)
    except FileNotFoundError:  # local storage whose folder was never created: no media yet
        return
    for name in sorted(files):
        yield posixpath.join(top, name) if top else name
    for folder in sorted(folders):
        yield from storage_files(storage, posixpath.join(top, folder) if top else folder)


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


def _sha256_of(handle: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


# --- the database ----------------------------------------------------------------------


def _engine() -> str:
    if connection.vendor not in DUMP_MEMBER:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %s.") % connection.vendor)
    return connection.vendor


def _postgres_env() -> dict[str, str]:
    """The environment for pg_dump, pg_restore and psql: the same server, database, user,
    password and TLS options as Django's connection."""
    from django.db.backends.postgresql.client import DatabaseClient

    settings = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment


def _program(name: str) -> str:
    """The full path of a PostgreSQL client program (installed with the server's version)."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(_("%s is not installed (Debian: postgresql-client).") % name)
    return found


def _run(command: list[str], *, what: str) -> None:
    done = subprocess.run(command, env=_postgres_env(), capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s failed: %(error)s") % {"what": what, "error": done.stderr.strip()[-2000:]}
        )


def _sqlite_state(database: sqlite3.Connection) -> tuple[dict[str, int], list[list[str]]]:
    tables = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {
        table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in tables
    }
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        migrations = [
            [app, name]
            for app, name in database.execute(
                "SELECT app, name FROM django_migrations ORDER BY app, name"
            )
        ]
    return counts, migrations


def _connection_state() -> tuple[dict[str, int], list[list[str]]]:
    """Rows per table and applied migrations, read through Django's connection."""
    with connection.cursor() as cursor:
        tables = sorted(
            name
            for name in connection.introspection.table_names(cursor)
            if not name.startswith("sqlite_")  # SQLite's own (statistics), not data
        )
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
        migrations: list[list[str]] = []
        if "django_migrations" in counts:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = [[app, name] for app, name in cursor.fetchall()]
    return counts, migrations


def _dump_database(engine: str, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Write the database to ``target``; the counts are those of exactly what was written."""
    if engine == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)  # one step: a consistent snapshot
            return _sqlite_state(copy)
    # One REPEATABLE READ transaction exports its snapshot to pg_dump, so the counts in the
    # manifest and the rows in the dump are the same moment of a live database.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = _connection_state()
        _run(
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            what="pg_dump",
        )
    return counts, migrations


# --- backup ----------------------------------------------------------------------------


def backup_write(
    *, path: Path, storage: Storage | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the database and every media file to the archive ``path``; return its manifest.

    The archive appears at ``path`` only once complete (it is written as ``path.partial``).
    """
    storage = storage or default_storage
    say = progress or (lambda _message: None)
    engine = _engine()
    path = path.resolve()
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".sambang-backup-") as work:
        dump = Path(work) / DUMP_MEMBER[engine]
        say(_("Copying the database…"))
        counts, migrations = _dump_database(engine, dump)
        with dump.open("rb") as handle:
            dump_size, dump_sha = _sha256_of(handle)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": {"member": dump.name, "size": dump_size, "sha256": dump_sha},
            "tables": counts,
            "migrations": migrations,
            "media": [],
        }
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            archive.add(dump, arcname=dump.name)
            say(_("Copying the media…"))
            for name in storage_files(storage):
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size, info.mtime = storage.size(name), int(time.time())
                with storage.open(name, "rb") as handle:
                    reader = _Hashing(handle)
                    archive.addfile(info, reader)
                manifest["media"].append(
                    {"name": name, "size": info.size, "sha256": reader.digest.hexdigest()}
                )
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
    partial.replace(path)
    return manifest


# --- reading an archive ----------------------------------------------------------------


@dataclass
class _Archive:
    tar: tarfile.TarFile
    manifest: dict[str, Any]
    dump: tarfile.TarInfo
    media: list[tuple[MediaFile, tarfile.TarInfo]]


def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(
        _("%(file)s is damaged or incomplete (%(reason)s); nothing was changed.")
        % {"file": path.name, "reason": reason}
    )


def _open_archive(path: Path) -> _Archive:
    """Open the archive and read its manifest, checking that it names every member."""
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 - closed by restore_read
        members = tar.getmembers()
    except FileNotFoundError as error:
        raise BackupError(_("No such file: %s") % path) from error
    except (tarfile.TarError, OSError, EOFError) as error:
        reason = _("it cannot be read as a tar file, perhaps truncated: %s") % (
            str(error) or type(error).__name__
        )
        raise _damaged(path, reason) from error
    by_name = {member.name: member for member in members}
    if MANIFEST not in by_name:
        tar.close()
        raise _damaged(path, _("it has no manifest; a backup writes it last"))
    try:
        manifest_file = tar.extractfile(by_name[MANIFEST])
        assert manifest_file is not None
        manifest = json.loads(manifest_file.read())
        if manifest.get("format") != FORMAT:
            raise ValueError(_("not a Sambang backup"))
        if manifest.get("version") != VERSION:
            raise ValueError(_("backup format version %s") % manifest.get("version"))
        database = manifest["database"]
        dump = by_name[database["member"]]
        media = [
            (
                MediaFile(item["name"], int(item["size"]), item["sha256"]),
                by_name[MEDIA_PREFIX + item["name"]],
            )
            for item in manifest["media"]
        ]
    except KeyError as error:
        tar.close()
        raise _damaged(path, _("the manifest names %s, which is missing") % error) from error
    except (ValueError, TypeError, AssertionError, tarfile.TarError, OSError, EOFError) as error:
        tar.close()
        raise _damaged(path, str(error)) from error
    expected = {MANIFEST, dump.name, *(MEDIA_PREFIX + item.name for item, _m in media)}
    extra = sorted(set(by_name) - expected)
    if extra:
        tar.close()
        raise _damaged(path, _("files the manifest does not name: %s") % ", ".join(extra[:5]))
    return _Archive(tar, manifest, dump, media)


def _check_member(archive: _Archive, member: tarfile.TarInfo, size: int, sha256: str) -> None:
    try:
        handle = archive.tar.extractfile(member)
        assert handle is not None
        actual_size, actual_sha = _sha256_of(handle)
    except (tarfile.TarError, OSError, EOFError, AssertionError) as error:
        raise BackupError(str(error)) from error
    if (actual_size, actual_sha) != (size, sha256):
        raise BackupError(_("%s does not match its checksum") % member.name)


def _check_archive(path: Path, archive: _Archive, say: Progress) -> None:
    """Read every member and compare it with the manifest: a bad archive changes nothing."""
    database = archive.manifest["database"]
    say(_("Checking the archive…"))
    try:
        _check_member(archive, archive.dump, int(database["size"]), database["sha256"])
        for item, member in archive.media:
            _check_member(archive, member, item.size, item.sha256)
    except BackupError as error:
        raise _damaged(path, str(error)) from error


# --- restore ---------------------------------------------------------------------------


def _unknown_migrations(applied: list[list[str]]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]


def _check_target(
    archive: _Archive, storage: Storage, *, replace: bool
) -> tuple[dict[str, int], list[str]]:
    """The tables already in the database and the media names already taken."""
    existing, _migrations = _connection_state()
    wanted = {item.name for item, _m in archive.media}
    taken = sorted(name for name in storage_files(storage) if name in wanted)
    if replace:
        return existing, taken
    if existing:
        raise BackupError(
            _(
                "The database already holds %(tables)d tables (%(rows)d rows). Restore into a "
                "new, empty database, or add --replace to drop what is there."
            )
            % {"tables": len(existing), "rows": sum(existing.values())}
        )
    if taken:
        raise BackupError(
            _(
                "The media storage already holds %(count)d of the archive's files (%(names)s). "
                "Restore into empty media storage, or add --replace to overwrite them."
            )
            % {"count": len(taken), "names": ", ".join(taken[:3])}
        )
    return existing, taken


def _restore_sqlite(archive: _Archive) -> None:
    target = Path(connection.settings_dict["NAME"])
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".sambang-restore-") as work:
        copy = Path(work) / "database.sqlite3"
        source = archive.tar.extractfile(archive.dump)
        assert source is not None
        with copy.open("wb") as handle:
            shutil.copyfileobj(source, handle, CHUNK)
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as loaded:
            # The backup API replaces the target's pages in one transaction of the target.
            loaded.backup(connection.connection)
    connection.close()


def _restore_postgres(archive: _Archive, *, replace: bool) -> None:
    """``pg_restore`` writes SQL (COPY for the rows) into ``psql``, which runs all of it in one
    transaction: a failure leaves the database as it was."""
    environment = _postgres_env()
    preamble = ["-c", "DROP SCHEMA public CASCADE", "-c", "CREATE SCHEMA public"] if replace else []
    connection.close()
    with tempfile.TemporaryFile() as restore_log, tempfile.TemporaryFile() as psql_log:
        restore = subprocess.Popen(  # noqa: S603
            [_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=restore_log,
            env=environment,
        )
        psql = subprocess.Popen(  # noqa: S603
            [
                _program("psql"),
                "--no-psqlrc",
                "--quiet",
                "-v",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                *preamble,
                "-f",
                "-",
            ],
            stdin=restore.stdout,
            stdout=subprocess.DEVNULL,
            stderr=psql_log,
            env=environment,
        )
        assert restore.stdout is not None and restore.stdin is not None
        restore.stdout.close()  # psql holds it now

        def feed() -> None:
            source = archive.tar.extractfile(archive.dump)
            assert source is not None and restore.stdin is not None
            try:
                shutil.copyfileobj(source, restore.stdin, CHUNK)
            except BrokenPipeError:
                pass  # pg_restore stopped early; its error is reported below
            finally:
                restore.stdin.close()

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        psql_status = psql.wait()
        restore_status = restore.wait()
        feeder.join()
        if psql_status != 0 or restore_status != 0:
            psql_log.seek(0)
            restore_log.seek(0)
            errors = (restore_log.read() + psql_log.read()).decode(errors="replace").strip()
            raise BackupError(
                _("The database restore failed and was rolled back: %s") % errors[-2000:]
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _restore_media(archive: _Archive, storage: Storage, taken: list[str], say: Progress) -> None:
    say(_("Writing the media…"))
    taken_set = set(taken)
    for item, member in archive.media:
        if item.name in taken_set:
            storage.delete(item.name)
        handle = archive.tar.extractfile(member)
        assert handle is not None
        saved = storage.save(item.name, File(handle, name=item.name))
        if saved != item.name:
            raise BackupError(
                _("The storage saved %(name)s as %(saved)s.") % {"name": item.name, "saved": saved}
            )


def _differences(archive: _Archive, storage: Storage) -> list[str]:
    """Every way the restored database and media differ from the manifest."""
    manifest = archive.manifest
    counts, migrations = _connection_state()
    found: list[str] = []
    for table, expected in sorted(manifest["tables"].items()):
        actual = counts.get(table)
        if actual is None:
            found.append(_("table %s is missing") % table)
        elif actual != expected:
            found.append(
                _("table %(table)s has %(actual)d rows, the manifest says %(expected)d")
                % {"table": table, "actual": actual, "expected": expected}
            )
    for table in sorted(set(counts) - set(manifest["tables"])):
        found.append(_("table %s is not in the manifest") % table)
    if migrations != manifest["migrations"]:
        found.append(_("the applied migrations differ from the manifest's"))
    for item, _member in archive.media:
        try:
            with storage.open(item.name, "rb") as handle:
                size, sha256 = _sha256_of(handle)
        except FileNotFoundError:
            found.append(_("media file %s is missing") % item.name)
            continue
        if (size, sha256) != (item.size, item.sha256):
            found.append(_("media file %s differs from the archive") % item.name)
    return found


def restore_read(
    *,
    path: Path,
    replace: bool = False,
    dry_run: bool = False,
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> RestoreReport:
    """Restore the archive ``path`` into this database (empty unless ``replace``) and the
    media storage, then compare both with the manifest. ``dry_run`` checks the archive and
    the target and changes nothing. Raises BackupError before any change when the archive
    is damaged, made for another engine or a newer Sambang, or the target is not empty."""
    storage = storage or default_storage
    say = progress or (lambda _message: None)
    engine = _engine()
    archive = _open_archive(path)
    with closing(archive.tar):
        manifest = archive.manifest
        if manifest["engine"] != engine:
            raise BackupError(
                _("This archive holds a %(theirs)s database; this one is %(ours)s.")
                % {"theirs": manifest["engine"], "ours": engine}
            )
        unknown = _unknown_migrations(manifest["migrations"])
        if unknown:
            raise BackupError(
                _("The archive was made by a newer Sambang (unknown migrations: %s).")
                % ", ".join(unknown[:5])
            )
        _existing, taken = _check_target(archive, storage, replace=replace)
        _check_archive(path, archive, say)
        report = RestoreReport(
            engine=engine,
            tables=len(manifest["tables"]),
            rows=sum(manifest["tables"].values()),
            files=len(archive.media),
            bytes=sum(item.size for item, _m in archive.media),
            created_at=manifest["created_at"],
        )
        if dry_run:
            return report
        say(_("Restoring the database…"))
        if engine == "sqlite":
            _restore_sqlite(archive)
        else:
            _restore_postgres(archive, replace=replace)
        _restore_media(archive, storage, taken, say)
        say(_("Comparing with the manifest…"))
        report.restored = True
        report.differences = _differences(archive, storage)
    return report
