"""The whole path with real processes: Celery beat schedules the scan, a worker runs it and sends the
alert, and the e-mail arrives at a real SMTP server. Needs PostgreSQL (shared by the processes) and Redis."""

import os
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from contactcenter.alerts.models import Alert
from contactcenter.deadlines import services

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # Its workers consume the shared broker's queues: one such test at a time (tests/test_celery.py).
    pytest.mark.xdist_group("shared_broker"),
    pytest.mark.django_db(transaction=True),
]


def start(tmp_path, name, *args, env):
    log = (tmp_path / f"{name}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "contactcenter", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def test_beat_and_worker_deliver_the_alert_of_a_clock_past_due(tmp_path, smtp_server, case, msk, people, policy):
    every_two_seconds, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    for name, task in [
        ("Scan deadlines", "contactcenter.deadlines.scan_deadlines"),
        ("Send alerts", "contactcenter.alerts.send_alerts"),
    ]:
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "interval": every_two_seconds})
    services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        due_at=timezone.now() - timedelta(minutes=1),
        opened_at=timezone.now() - timedelta(hours=1),
        owner=people["owner"],
    )
    db = connection.settings_dict
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "SITE_URL": "https://backoffice.example.com",
    }
    with ExitStack() as stack:
        for name, args in [
            ("worker", ["worker", "--pool", "solo", "--loglevel", "INFO", "--queues", "celery"]),
            ("scan", ["worker", "--pool", "solo", "--loglevel", "INFO", "--queues", "scan", "--hostname", "scan@%h"]),
            ("beat", ["beat", "--loglevel", "INFO", "--max-interval", "1", "--schedule", str(tmp_path / "beat")]),
        ]:
            process, log = start(tmp_path, name, *args, env=env)
            stack.callback(log.close)
            stack.callback(process.wait, 15)
            stack.callback(process.terminate)
        deadline = time.monotonic() + 90
        while people["owner"].email not in smtp_server.recipients and time.monotonic() < deadline:
            time.sleep(0.5)
        if people["owner"].email not in smtp_server.recipients:
            for name in ("worker", "scan", "beat"):
                print(name, (tmp_path / f"{name}.log").read_text()[-4000:])
    assert people["owner"].email in smtp_server.recipients
    message = next(m for m in smtp_server.messages if m["To"] == people["owner"].email)
    assert (
        "https://backoffice.example.com" + case.get_absolute_url()
        in message.get_payload()[0].get_payload(decode=True).decode()
    )
    assert Alert.objects.get(recipient=people["owner"]).sent_at is not None
