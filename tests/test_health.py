"""/health/ and /health/ready/: JSON without a login, whatever the Host header; ready names what is down."""

import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from contactcenter.deadlines.models import ScanStatus
from contactcenter.deadlines.scan import scan_deadlines
from tests.smtp import free_port


@pytest.fixture
def scanned(db):
    """A scan that has just finished."""
    scan_deadlines()
    return ScanStatus.last()


def ready(client, **extra):
    response = client.get("/health/ready/", **extra)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_live_answers_without_a_login_nor_a_known_host(client):
    response = client.get("/health/", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_ready_when_everything_answers(client, scanned):
    status, body = ready(client, HTTP_HOST="10.1.2.3")
    assert (status, body["status"], body["down"]) == (200, "ok", [])
    assert body["checks"] == {"database": "ok", "broker": "ok", "media": "ok", "scan": "ok"}


def test_ready_leaves_no_file_in_the_media_storage(client, scanned, media):
    ready(client)
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_a_broker_on_a_closed_port_is_down(client, scanned, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1}
    status, body = ready(client)
    assert (status, body["status"], body["down"]) == (503, "down", ["broker"])
    assert body["checks"]["database"] == "ok"


def _make_read_only(path):
    path.chmod(0o555)
    probe = path / "probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return None
    probe.unlink()
    # root writes into a mode-555 folder: make it immutable instead.
    subprocess.run(["chattr", "+i", str(path)], check=True)
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_media_storage_is_down(client, scanned, media):
    undo = _make_read_only(media)
    try:
        status, body = ready(client)
    finally:
        if undo:
            undo()
        media.chmod(0o755)
    assert (status, body["down"]) == (503, ["media"])


def test_a_media_root_that_is_not_a_folder_is_down(client, scanned, settings, tmp_path):
    (tmp_path / "a-file").write_text("")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    status, body = ready(client)
    assert (status, body["down"]) == (503, ["media"])


def test_a_scan_older_than_three_minutes_is_down(client, scanned):
    with time_machine.travel(scanned.finished_at + timedelta(seconds=179)):
        assert ready(client)[0] == 200
    with time_machine.travel(scanned.finished_at + timedelta(seconds=181)):
        status, body = ready(client)
    assert (status, body["down"]) == (503, ["scan"])


def test_no_scan_ever_is_down(client, db):
    status, body = ready(client)
    assert (status, body["down"]) == (503, ["scan"])


def test_the_scan_records_when_it_finished_and_how_long_it_took(db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        scan_deadlines()
        first = ScanStatus.last().finished_at
        traveller.shift(60)
        scan_deadlines()
    status = ScanStatus.last()
    assert ScanStatus.objects.count() == 1
    assert status.finished_at - first == timedelta(seconds=60)
    assert status.duration_seconds is not None and status.duration_seconds >= 0


def test_other_methods_go_on_to_the_pages(client, db):
    assert client.post("/health/").status_code != 200


def test_a_database_on_a_closed_port_is_down(tmp_path):
    """A real refusal: a process of its own whose database is a PostgreSQL address nobody listens on."""
    import json
    import os
    import sys

    from tests.test_settings import ROOT

    show = "import json; from contactcenter.health import readiness; print(json.dumps(readiness()))"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/nothing", VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    checks = json.loads(result.stdout.strip().splitlines()[-1])
    assert checks["database"] == "down" and checks["media"] == "ok"
