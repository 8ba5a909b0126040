"""``manage.py bench_send``: how fast the outbox sends alert digests into a real SMTP server.

The command starts its own SMTP server (aiosmtpd, on a free port of 127.0.0.1, keeping only a count of what
it accepts), points Django's SMTP backend at it, loads ``--digests`` recipients with ``--alerts`` ready
alerts each (``bench.loaders``: the shared bench staff, the clocks loader's clocks, the alerts written by
the scan's own ``insert_alerts``), and times the public sending function, ``alerts.services.send_alerts``,
called until nothing is left to send (a sending run stops at ``ALERT_RUN_MAX_MESSAGES`` or
``ALERT_RUN_SECONDS``; the next call goes on, as the next beat would). It prints alerts/s and digests/s;
the goal is at least 200 digests/s and 2 000 alerts/s. It checks that the server received one message
per recipient and that every alert is marked sent.

Unlike ``bench_scan`` and ``bench_pages``, the sending is not timed inside a transaction that is rolled
back: claiming and marking are committed row changes, and their commits are part of what a sender pays.
The bench rows are deleted at the end, also after an error or Ctrl-C; a run killed outright leaves them,
and the next run refuses the database (it must hold no clock and no alert: run it on a database of its
own, recreated after such a crash). PostgreSQL only (exit status 2 otherwise), except with
``--allow-sqlite``, which only the smoke test uses. Figures: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import os
import socket
import threading
import time

from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from bench.database import describe_database, require_postgresql, vacuum
from bench.figures import spaced
from bench.loaders.alerts import load_ready_alerts
from bench.loaders.clocks import BENCH_KIND, create_clock_policy
from bench.loaders.staff import create_staff
from contactcenter.alerts.models import Alert
from contactcenter.alerts.services import send_alerts
from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.directory.models import Branch, Team

DIGESTS_GOAL = 200
ALERTS_GOAL = 2000


class CountingHandler:
    """Accepts every message and counts it; nothing is kept."""

    def __init__(self):
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def remove_bench_rows() -> None:
    """Everything the run wrote, by its tags: the alerts and clocks, the policy, the branches, the users."""
    with transaction.atomic():
        Alert.objects.filter(deadline__kind=BENCH_KIND).delete()
        Deadline.objects.filter(kind=BENCH_KIND).delete()
        ClockPolicy.objects.filter(kind=BENCH_KIND).delete()
        Team.objects.filter(branch__code__startswith="BENCH").delete()
        Branch.objects.filter(code__startswith="BENCH").delete()
        get_user_model().objects.filter(username__startswith="bench-").delete()


class Command(BaseCommand):
    help = (
        "Time sending alert digests into a local SMTP server the command starts itself: alerts/s and digests/s. "
        "Deletes what it wrote at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digests", type=int, default=1000, help="Recipients, one digest each (default: 1000).")
        parser.add_argument("--alerts", type=int, default=10, help="Alerts in each digest (default: 10).")
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on SQLite too; for the smoke test only, the figures mean nothing there.",
        )

    def handle(self, *args, **options):
        require_postgresql("bench_send", measures="sending", allow_sqlite=options["allow_sqlite"])
        digests, per_digest = options["digests"], options["alerts"]
        if digests < 1 or per_digest < 1:
            raise CommandError("--digests and --alerts must be at least 1.")
        if Deadline.objects.exists() or Alert.objects.exists():
            raise CommandError(
                "bench_send needs a database without clocks or alerts (send_alerts would send real ones too); "
                "run it on a database of its own, e.g. DATABASE_URL=postgres://…/cc_bench.",
                returncode=2,
            )
        handler = CountingHandler()
        server = Controller(handler, hostname="127.0.0.1", port=free_port())
        server.start()
        mail = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": server.hostname,
            "EMAIL_PORT": server.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
        try:
            with override_settings(**mail):
                self.run(handler, digests, per_digest)
        finally:
            server.stop()
            remove_bench_rows()
            vacuum([Alert._meta.db_table, Deadline._meta.db_table])

    def run(self, handler: CountingHandler, digests: int, per_digest: int) -> None:
        now = timezone.now().replace(microsecond=0)
        started = time.perf_counter()
        with transaction.atomic():
            staff = create_staff()
            create_clock_policy()
            alerts = load_ready_alerts(staff=staff, digests=digests, alerts_per_digest=per_digest, now=now)
        loaded = time.perf_counter() - started
        self.write_header(digests, per_digest, alerts, loaded)
        sent_digests = sent_alerts = calls = 0
        started = time.perf_counter()
        while sent_digests < digests:
            result = send_alerts()
            calls += 1
            if not result.digests_sent:
                break
            sent_digests += result.digests_sent
            sent_alerts += result.alerts_sent
        elapsed = time.perf_counter() - started
        unsent = Alert.objects.filter(sent_at=None).count()
        if (sent_digests, sent_alerts, handler.messages, unsent) != (digests, alerts, digests, 0):
            raise CommandError(
                f"Sent {sent_digests} digests ({sent_alerts} alerts), the server received {handler.messages}, "
                f"{unsent} alerts left unsent: expected {digests} digests of {alerts} alerts in all."
            )
        self.stdout.write(
            f"{spaced(digests):>8} {spaced(alerts):>8} {calls:>6} {elapsed:9.2f} "
            f"{sent_digests / elapsed:10.0f} {sent_alerts / elapsed:9.0f}"
        )
        self.stdout.write("")
        self.stdout.write(f"digests/s: {sent_digests / elapsed:.0f} (goal ≥ {DIGESTS_GOAL})")
        self.stdout.write(f"alerts/s: {sent_alerts / elapsed:.0f} (goal ≥ {spaced(ALERTS_GOAL)})")

    def write_header(self, digests: int, per_digest: int, alerts: int, loaded: float) -> None:
        database = describe_database("synchronous_commit")
        self.stdout.write(f"bench_send on {database}, {os.cpu_count()} CPUs; a local aiosmtpd server.")
        self.stdout.write(
            f"{spaced(digests)} recipients with {per_digest} ready alerts each ({spaced(alerts)} alerts), "
            f"loaded in {loaded:.1f} s; sent by send_alerts() until nothing is left."
        )
        self.stdout.write("")
        self.stdout.write(f"{'digests':>8} {'alerts':>8} {'calls':>6} {'seconds':>9} {'digests/s':>10} {'alerts/s':>9}")
        self.stdout.flush()
