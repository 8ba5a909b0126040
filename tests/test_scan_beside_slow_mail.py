"""Issue 19, with the processes of the Procfile (a worker for sending, a worker for the scan, beat) on a Redis of
the test's own: a mail server that takes minutes to answer holds the senders, and the scan still runs every
interval and flags the clocks that fall due; a scan worker that stalls does not run the missed scans in a burst
when it comes back, because a periodic task older than its interval has expired."""

import os
import shlex
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from contactcenter.alerts.models import Alert
from contactcenter.deadlines import services
from contactcenter.deadlines.beat import SCHEDULES
from contactcenter.deadlines.models import Deadline, ScanStatus
from tests.brokers import PrivateRedis
from tests.factories import CustomerFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Each periodic task runs every INTERVAL seconds here (a minute in production) and expires when it is older than
# that, as in production (50 s of the minute, contactcenter/deadlines/beat.py).
INTERVAL = 2
SMTP_DELAY = 300  # the mail server answers each message after five minutes: long after this test has ended
SCAN_LINE = "Scan: due soon"
DISCARDED_SCAN = "Discarding revoked task: contactcenter.deadlines.scan_deadlines["


def procfile_command(name: str) -> list[str]:
    """The Procfile's command for the process ``name``, run with this interpreter's Celery."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        key, _, command = line.partition(":")
        if key.strip() == name:
            program, *args = shlex.split(command)
            assert program == "celery", line
            return [sys.executable, "-m", "celery", *args]
    raise LookupError(f"no {name!r} in the Procfile")


class Process:
    """A process of the Procfile with its output in a log file."""

    def __init__(self, tmp_path, name, command, env):
        self.name, self.log = name, tmp_path / f"{name}.log"
        with self.log.open("w") as output:
            self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)

    def output(self, since: int = 0) -> str:
        return self.log.read_text()[since:]

    def stop(self):
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


def scans_finished_during(seconds: float) -> list:
    """The distinct moments at which a scan finished, read from ScanStatus every tenth of a second."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = ScanStatus.objects.filter(pk=ScanStatus.ROW).first()
        if status is not None and (not seen or status.finished_at != seen[-1]):
            seen.append(status.finished_at)
        time.sleep(0.1)
    return seen


def wait_for(condition, seconds: float, what: str, processes) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            for process in processes:
                print(f"--- {process.name}\n{process.output()[-4000:]}")
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def test_the_scan_runs_every_interval_while_sending_is_stuck_and_missed_runs_expire(
    tmp_path, smtp_server, case, msk, people, policy
):
    every_interval, _ = IntervalSchedule.objects.get_or_create(every=INTERVAL, period=IntervalSchedule.SECONDS)
    for task, name in SCHEDULES.items():
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "interval": every_interval, "expire_seconds": INTERVAL}
        )
    now = timezone.now()
    services.open_clock(
        case=case, kind="test_clock", branch=msk, due_at=now - timedelta(minutes=1),
        opened_at=now - timedelta(hours=1), owner=people["owner"],
    )  # fmt: skip
    smtp_server.delay = SMTP_DELAY
    broker = PrivateRedis()
    broker.start()
    db = connection.settings_dict
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": broker.url,
        "CELERY_RESULT_BACKEND": broker.url,
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "EMAIL_TIMEOUT": str(2 * SMTP_DELAY),  # the sender waits on the server instead of giving up
        "SITE_URL": "https://backoffice.example.com",
    }
    beat_options = ["--max-interval", "1", "--schedule", str(tmp_path / "beat")]
    with ExitStack() as stack:
        stack.callback(broker.stop)
        processes = []
        for name, extra in [("worker", []), ("scan", []), ("beat", beat_options)]:
            process = Process(tmp_path, name, procfile_command(name) + extra, env)
            stack.callback(process.stop)
            processes.append(process)
        # Runs before the processes stop: a sender blocked on the server gets its connection closed and ends.
        stack.callback(smtp_server.stop)
        worker, scan, _beat = processes
        for process in (worker, scan):  # a busy machine may take long to start a worker: not what is measured
            wait_for(lambda process=process: " ready." in process.output(), 180, f"the {process.name}", processes)

        # The first scan flags the clock and its alerts go to the senders, which the mail server holds.
        stuck = Alert.objects.filter(recipient=people["owner"], sent_at=None).exclude(claim="")
        wait_for(stuck.exists, 60, "a sender holding the owner's digest", processes)

        # While the senders wait on the server, the scan runs every interval and flags a clock falling due.
        falling_due = services.open_clock(
            case=CustomerFactory(branch=msk, full_name="Anna Petrova"),
            kind="test_clock",
            branch=msk,
            due_at=timezone.now() + timedelta(seconds=2 * INTERVAL),
            opened_at=timezone.now() - timedelta(hours=1),
            owner=people["owner"],
        )
        window = 6 * INTERVAL
        started = timezone.now()
        finished = scans_finished_during(window)
        ended = timezone.now()
        assert smtp_server.messages == [] and stuck.exists(), "sending was stuck all along"
        assert len(finished) >= window // INTERVAL - 2, f"{len(finished)} scans in {window} s: {finished}"
        gaps = [(b - a).total_seconds() for a, b in zip([started, *finished], [*finished, ended], strict=True)]
        assert max(gaps) <= 3 * INTERVAL, f"the scan stopped for {max(gaps):.1f} s"
        falling_due.refresh_from_db()
        assert falling_due.state == Deadline.State.OVERDUE

        # The scan's worker stalls for several intervals; when it comes back, the scans beat queued meanwhile
        # have expired and are dropped, and the scan goes on at its interval instead of running them all.
        os.kill(scan.popen.pid, signal.SIGSTOP)
        try:
            time.sleep(6 * INTERVAL)
            since = len(scan.output())
        finally:
            os.kill(scan.popen.pid, signal.SIGCONT)
        time.sleep(2 * INTERVAL + 1)
        after = scan.output(since)
        discarded, ran = after.count(DISCARDED_SCAN), after.count(SCAN_LINE)
        assert discarded >= 3, after
        assert 1 <= ran <= 4, after
        assert smtp_server.messages == [], "sending was stuck all along"
