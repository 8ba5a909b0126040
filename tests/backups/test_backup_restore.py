"""``manage.py backup DIR`` and ``manage.py restore DIR``: a seeded database and its photos come back whole
into a new database and an empty media storage; a changed backup, a database that is not empty and a folder
that is not a backup are refused with a message, and nothing is changed."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections

from complaints.models import ComplaintPage
from tests.complaints.sample_files import jpeg_bytes
from tests.factories import ComplaintFactory

ROOT = Path(__file__).resolve().parent.parent.parent


def row_counts(using: str = "default") -> dict[str, int]:
    """Every table's number of rows."""
    database = connections[using]
    with database.cursor() as cursor:
        counts = {}
        for table in database.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {database.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def photo_checksums() -> dict[int, tuple[str, str]]:
    """Every page photo's and thumbnail's SHA-256, read from the media storage."""
    return {
        page.pk: (
            sha256(Path(default_storage.path(page.image.name))),
            sha256(Path(default_storage.path(page.thumbnail.name))),
        )
        for page in ComplaintPage.objects.all()
    }


class NewDatabase:
    """An empty database of the run's kind, reached by its own connection (not Django's: the restore runs as
    the operator runs it, in a process of its own)."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            self.name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
            with connection._nodb_cursor() as cursor:  # outside the test's transaction, as the test runner does
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            settings_dict = connection.settings_dict
            self.url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{self.name}"
        else:
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "postgresql":
            settings_dict = connection.settings_dict
            with psycopg.connect(
                dbname=self.name, user=settings_dict["USER"], host=settings_dict["HOST"], port=settings_dict["PORT"]
            ) as db:
                return db.execute(sql).fetchall()
        with sqlite3.connect(self.path) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> list[str]:
        if self.vendor == "postgresql":
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return sorted(row[0] for row in self.query(sql))

    def row_counts(self) -> dict[str, int]:
        return {table: self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0] for table in self.tables()}

    def photo_checksums(self, media: Path) -> dict[int, tuple[str, str]]:
        rows = self.query("SELECT id, image, thumbnail FROM complaints_complaintpage")
        return {pk: (sha256(media / image), sha256(media / thumbnail)) for pk, image, thumbnail in rows}

    def drop(self):
        if self.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


@pytest.fixture
def new_database(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        database = NewDatabase(tmp_path)
    yield database
    with django_db_blocker.unblock():
        database.drop()


def restore(backup: Path, *, database: NewDatabase, media: Path):
    """``manage.py restore`` as an operator runs it, into ``database`` and the media folder ``media``."""
    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}}
    env = {**keep, "DATABASE_URL": database.url, "MEDIA_ROOT": str(media), "VAR_DIR": str(media.parent / "var")}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup)], cwd=ROOT, env=env, capture_output=True, text=True
    )


def seeded():
    call_command("seed_demo", stdout=StringIO())
    assert ComplaintPage.objects.count() >= 4


def round_trip(tmp_path, new_database):
    seeded()
    before_rows, before_photos = row_counts(), photo_checksums()
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    assert new_database.tables() == []
    result = restore(tmp_path / "backup", database=new_database, media=tmp_path / "restored-media")
    assert result.returncode == 0, result.stderr
    assert "Restored the backup" in result.stdout
    assert new_database.row_counts() == before_rows
    assert new_database.photo_checksums(tmp_path / "restored-media") == before_photos


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_seeded_postgresql_database_and_its_photos_come_back_whole(tmp_path, new_database):
    round_trip(tmp_path, new_database)


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_a_seeded_sqlite_database_and_its_photos_come_back_whole(tmp_path, new_database):
    round_trip(tmp_path, new_database)


@pytest.fixture
def backup(transactional_db, tmp_path, media):
    """A backup of a database with one photographed complaint."""
    complaint = ComplaintFactory()
    photo = jpeg_bytes()
    ComplaintPage.objects.create(
        complaint=complaint,
        position=1,
        image=default_storage.save("complaints/pages/page.jpg", ContentFile(photo)),
        thumbnail=default_storage.save("complaints/thumbnails/page.jpg", ContentFile(jpeg_bytes((80, 60)))),
        original_name="page.jpg",
        size=len(photo),
        width=320,
        height=240,
        sha256=hashlib.sha256(photo).hexdigest(),
    )
    assert any(media.rglob("*.jpg"))
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    return tmp_path / "backup"


def test_the_manifest_names_every_file_with_its_checksum(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    files = sorted(p.relative_to(backup).as_posix() for p in backup.rglob("*") if p.is_file())
    assert sorted([*manifest["files"], "manifest.json"]) == files
    database = manifest["database"]["file"]
    assert database in {"database.pgdump", "database.sqlite3"}
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((backup / name).read_bytes()).hexdigest()
    assert sum(name.startswith("media/complaints/pages/") for name in manifest["files"]) == 1


def restore_refused(backup, media, message):
    """The restore refuses with ``message`` and changes neither the database nor the media storage (the checks
    of the backup come before the look at the target, so the test database, not empty, stands for any)."""
    rows, files = row_counts(), sorted((path, path.read_bytes()) for path in media.rglob("*") if path.is_file())
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(backup))
    assert row_counts() == rows
    assert sorted((path, path.read_bytes()) for path in media.rglob("*") if path.is_file()) == files


def test_a_changed_photo_is_refused_before_anything_is_restored(backup, media):
    photo = next((backup / "media").rglob("*.jpg"))
    photo.write_bytes(photo.read_bytes()[:-1] + b"\x00")
    restore_refused(backup, media, r"changed or damaged .*does not match its checksum")


def test_a_changed_database_copy_is_refused(backup, media):
    database = next(backup.glob("database.*"))
    with database.open("ab") as stream:
        stream.write(b"tampered")
    restore_refused(backup, media, r"database\.\w+: its content does not match its checksum")


def test_a_missing_file_and_an_unknown_file_are_refused(backup, media):
    next((backup / "media").rglob("*.jpg")).unlink()
    (backup / "media" / "extra.jpg").write_bytes(b"not from the backup")
    restore_refused(backup, media, r"missing.*media/extra\.jpg: not in the manifest")


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(backup, media):
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["media/../../outside.txt"] = {"sha256": "0" * 64, "size": 0}
    (backup / "manifest.json").write_text(json.dumps(manifest))
    restore_refused(backup, media, "a name outside the backup")


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path, media, db):
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "database.pgdump").write_bytes(b"...")
    restore_refused(tmp_path / "half", media, "has no manifest.json: it is not a backup")


def test_a_missing_folder_is_refused(tmp_path, media, db):
    restore_refused(tmp_path / "nowhere", media, "is not a folder; nothing was restored")


def test_a_database_that_is_not_empty_is_refused_and_kept(backup, media):
    before = row_counts("default")
    files_before = sorted(media.rglob("*"))
    with pytest.raises(CommandError, match=r"is not empty \(\d+ tables\); restore needs an empty database"):
        call_command("restore", str(backup))
    assert row_counts("default") == before
    assert sorted(media.rglob("*")) == files_before


def test_a_photo_stored_with_other_content_refuses_the_restore(backup, tmp_path, new_database):
    name = next(n for n in json.loads((backup / "manifest.json").read_text())["files"] if n.startswith("media/"))
    name = name.removeprefix("media/")
    (tmp_path / "restored-media" / name).parent.mkdir(parents=True)
    (tmp_path / "restored-media" / name).write_bytes(b"another photo")
    result = restore(backup, database=new_database, media=tmp_path / "restored-media")
    assert result.returncode == 1
    assert "already holds 1 file(s) of the backup with other content" in result.stderr
    assert new_database.tables() == []
    assert (tmp_path / "restored-media" / name).read_bytes() == b"another photo"


def test_a_backup_is_refused_inside_a_transaction(db, tmp_path):
    with pytest.raises(CommandError, match="run it outside a transaction; nothing was written"):
        call_command("backup", str(tmp_path / "backup"))
    assert not (tmp_path / "backup").exists()


def test_a_backup_goes_only_into_a_new_or_empty_folder(transactional_db, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty; give a new or an empty folder"):
        call_command("backup", str(tmp_path / "full"))
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    with pytest.raises(CommandError, match="does not exist; nothing was written"):
        call_command("backup", str(tmp_path / "no" / "such" / "place"))
    assert not (tmp_path / "no").exists()
    (tmp_path / "empty").mkdir()
    call_command("backup", str(tmp_path / "empty"), stdout=StringIO())
    assert (tmp_path / "empty" / "manifest.json").is_file()
