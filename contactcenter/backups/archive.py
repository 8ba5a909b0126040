"""A backup: a consistent copy of the database and the media files, with a manifest of their checksums.

A backup is a folder::

    manifest.json        what the backup is, and the SHA-256 and size of every other file in the folder
    database.pgdump      PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot of the database)
    database.sqlite3     SQLite (the embedded default): a copy made with SQLite's online backup API
    media/...            every file of the media storage (complaint photos, answer letters), as stored

The database is copied first and the media after it: photos are only ever added or removed, never changed,
so every photo the copied database names was still in the storage when the media was read (one removed by
retention in between is reported and left out). The manifest is written last, under its own name only once
complete, so a folder without one is not a backup. ``backup_restore`` reads every file and compares it with
the manifest before it changes anything, and restores only into an empty database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore refused, with what to do about it; nothing was changed."""


@dataclass
class BackupResult:
    directory: Path
    manifest: dict
    manifest_sha256: str
    skipped: list[str] = field(default_factory=list)

    @property
    def media_files(self) -> int:
        return sum(1 for name in self.manifest["files"] if name.startswith(f"{MEDIA}/"))


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    media_written: int
    media_present: int


def sha256_of_stream(stream, copy=None) -> tuple[str, int]:
    """The SHA-256 and the size of what a binary stream holds, read in chunks; written to ``copy`` on the way."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if copy is not None:
            copy.write(chunk)
    return digest.hexdigest(), size


def sha256_of(path: Path) -> str:
    with path.open("rb") as stream:
        return sha256_of_stream(stream)[0]


def _storage_files(storage, prefix: str = ""):
    """Every file name of a storage, through its API only (so that S3 storage works the same)."""
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:  # a file system storage whose root was never created: no media yet
        return
    for name in sorted(files):
        yield f"{prefix}/{name}" if prefix else name
    for directory in sorted(directories):
        yield from _storage_files(storage, f"{prefix}/{directory}" if prefix else directory)


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite only, not {vendor}.")
    return vendor


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for the connection Django uses, so that no password appears on a command line."""
    settings = connections[using].settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is not installed (it comes with PostgreSQL's client programs); {what}.")
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}; {what}.")


def _copy_database(using: str, target: Path) -> None:
    vendor = _vendor(using)
    if vendor == "postgresql":
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            env=_pg_environment(using),
            what="no backup was written",
        )
        return
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _applied_migrations(using: str) -> dict[str, str]:
    """The last migration applied of each app: what code the copy belongs to (for the notes of an upgrade)."""
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        last[app] = max(last.get(app, ""), name)
    return dict(sorted(last.items()))


def _prepare_target(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise BackupError(f"{directory} is a file, not a folder; nothing was written.")
    if directory.is_dir() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; give a new or an empty folder (nothing was written).")
    if not directory.parent.is_dir():
        raise BackupError(f"The folder {directory.parent} does not exist; nothing was written.")
    directory.mkdir(exist_ok=True)


def backup_write(*, directory: Path, using: str = "default", storage=None) -> BackupResult:
    """Copy the database and the media files into ``directory`` (new or empty) with a manifest."""
    storage = storage or default_storage
    directory = Path(directory)
    vendor = _vendor(using)
    if connections[using].in_atomic_block:
        # pg_dump reads from its own connection, and SQLite's backup would wait for this transaction's lock.
        raise BackupError("A backup copies what is committed: run it outside a transaction; nothing was written.")
    _prepare_target(directory)
    try:
        files: dict[str, dict] = {}
        database = DATABASE_FILES[vendor]
        _copy_database(using, directory / database)
        files[database] = {"sha256": sha256_of(directory / database), "size": (directory / database).stat().st_size}
        skipped = []
        for name in _storage_files(storage):
            target = directory / MEDIA / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with storage.open(name, "rb") as source, target.open("wb") as copy:
                    digest, size = sha256_of_stream(source, copy)
            except FileNotFoundError:  # removed (by retention) after it was listed
                target.unlink(missing_ok=True)
                skipped.append(name)
                continue
            files[f"{MEDIA}/{name}"] = {"sha256": digest, "size": size}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": vendor, "file": database},
            "migrations": _applied_migrations(using),
            "files": files,
        }
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        partial = directory / f"{MANIFEST}.partial"
        partial.write_text(text)
        partial.rename(directory / MANIFEST)
    except BaseException:
        for child in directory.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return BackupResult(
        directory=directory,
        manifest=manifest,
        manifest_sha256=hashlib.sha256(text.encode()).hexdigest(),
        skipped=skipped,
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def backup_verify(directory: Path) -> dict:
    """The manifest of the backup in ``directory``, once every file matches it (and no file is unknown)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a folder; nothing was restored.")
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(
            f"{directory} has no {MANIFEST}: it is not a backup, or one that did not finish; nothing was restored."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{directory / MANIFEST} is not readable JSON; nothing was restored.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{directory / MANIFEST} is not a backup manifest of format {FORMAT}; nothing was restored.")
    files = manifest.get("files")
    database = manifest.get("database") or {}
    if (
        not isinstance(files, dict)
        or database.get("vendor") not in DATABASE_FILES
        or database.get("file") != DATABASE_FILES[database["vendor"]]
        or database["file"] not in files
    ):
        raise BackupError(f"{directory / MANIFEST} does not describe a database copy; nothing was restored.")
    problems = []
    for name, expected in sorted(files.items()):
        if not _safe_name(name) or not (name == database["file"] or name.startswith(f"{MEDIA}/")):
            problems.append(f"{name}: a name outside the backup")
            continue
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif not isinstance(expected, dict) or sha256_of(path) != expected.get("sha256"):
            problems.append(f"{name}: its content does not match its checksum")
    known = {MANIFEST, *files}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.relative_to(directory).as_posix() not in known:
            problems.append(f"{path.relative_to(directory).as_posix()}: not in the manifest")
    if problems:
        listed = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise BackupError(f"The backup was changed or damaged ({listed}); nothing was restored.")
    return manifest


def _media_to_write(directory: Path, manifest: dict, storage) -> tuple[list[str], int]:
    """The media names to write, and how many are in the storage already with the same content; a name that is
    there with other content refuses the restore."""
    to_write, present, conflicts = [], 0, []
    for name, expected in sorted(manifest["files"].items()):
        if not name.startswith(f"{MEDIA}/"):
            continue
        stored = name.removeprefix(f"{MEDIA}/")
        if not storage.exists(stored):
            to_write.append(stored)
            continue
        with storage.open(stored, "rb") as stream:
            digest = sha256_of_stream(stream)[0]
        if digest == expected["sha256"]:
            present += 1
        else:
            conflicts.append(stored)
    if conflicts:
        raise BackupError(
            f"The media storage already holds {len(conflicts)} file(s) of the backup with other content "
            f"(first: {conflicts[0]}); restore into an empty media storage. Nothing was restored."
        )
    return to_write, present


def backup_restore(*, directory: Path, using: str = "default", storage=None) -> RestoreResult:
    """Restore the backup in ``directory`` into the (empty) database ``using`` and the media storage."""
    storage = storage or default_storage
    directory = Path(directory)
    manifest = backup_verify(directory)
    vendor = _vendor(using)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The backup holds a {manifest['database']['vendor']} database and this one is {vendor}; "
            "nothing was restored."
        )
    connection = connections[using]
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables); restore "
            "needs an empty database (create a new one, or drop this one's tables). Nothing was restored."
        )
    to_write, present = _media_to_write(directory, manifest, storage)
    # The media first: writing it again is harmless, so a restore that fails in the database can be run again.
    for name in to_write:
        with (directory / MEDIA / name).open("rb") as stream:
            saved = storage.save(name, File(stream, name=name))
        if saved != name:
            storage.delete(saved)
            raise BackupError(f"The media storage stored {name} as {saved}; the database would not find it.")
    database = directory / manifest["database"]["file"]
    if vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(database),
            ],
            env={**_pg_environment(using), "PGOPTIONS": "--client-min-messages=warning"},
            what="the database was left as it was (the restore runs in one transaction)",
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    return RestoreResult(
        manifest=manifest,
        tables=len(connection.introspection.table_names()),
        media_written=len(to_write),
        media_present=present,
    )
