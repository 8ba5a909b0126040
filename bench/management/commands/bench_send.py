"""``manage.py bench_send``: how fast the outbox sends alert digests into a real SMTP server.

The command starts its own SMTP server (aiosmtpd, on a free port of 127.0.0.1, keeping only a count of what
it accepts, in a process of its own as a real mail server is: ``bench.smtp_server``), points Django's SMTP
backend at it, loads ``--digests`` recipients with ``--alerts`` ready alerts each (``bench.loaders``: the
shared bench staff, the clocks loader's clocks, the alerts written by the scan's own ``insert_alerts``), and
times the public sending function, ``alerts.services.send_alerts``, called until nothing is left to send (a
sending run stops at ``ALERT_RUN_MAX_MESSAGES`` or ``ALERT_RUN_SECONDS``; the next call goes on, as the next
beat would), ``--repeat`` times on fresh data. It checks that the server received one message per recipient
and that every alert is marked sent. Each run's line gives digests/s, alerts/s, the sender's CPU time per
digest (the figure the shared machine's load disturbs least) and the load average; the last line gives the
median run's, e.g. ``send at 1 000 digests: 230 digests/s, 2 300 alerts/s (goal >= 200 digests/s, >= 2000
alerts/s)``.

Unlike ``bench_scan`` and ``bench_pages``, the sending is not timed inside a transaction that is rolled
back: claiming and marking are committed row changes, and their commits are part of what a sender pays.
The bench rows are deleted at the end, also after an error or Ctrl-C; a run killed outright leaves them,
and the next run refuses the database (it must hold no clock and no alert: run it on a database of its
own, recreated after such a crash). PostgreSQL only (exit status 2 otherwise), except with
``--allow-sqlite``, which only the smoke test uses. Figures: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import os
import statistics
import time

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
from bench.smtp_server import CountingServer
from contactcenter.alerts.models import Alert
from contactcenter.alerts.services import send_alerts
from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.directory.models import Branch, Team

DIGESTS_GOAL = 200
ALERTS_GOAL = 2000


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
            "--repeat", type=int, default=3, help="Runs, each on fresh data; the median is reported (default: 3)."
        )
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on SQLite too; for the smoke test only, the figures mean nothing there.",
        )

    def handle(self, *args, **options):
        require_postgresql("bench_send", measures="sending", allow_sqlite=options["allow_sqlite"])
        digests, per_digest = options["digests"], options["alerts"]
        if digests < 1 or per_digest < 1 or options["repeat"] < 1:
            raise CommandError("--digests, --alerts and --repeat must be at least 1.")
        if Deadline.objects.exists() or Alert.objects.exists():
            raise CommandError(
                "bench_send needs a database without clocks or alerts (send_alerts would send real ones too); "
                "run it on a database of its own, e.g. DATABASE_URL=postgres://…/cc_bench.",
                returncode=2,
            )
        server = CountingServer()
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
        rates = []
        try:
            with override_settings(**mail):
                for repeat in range(options["repeat"]):
                    rates.append(self.run(server, digests, per_digest, header=repeat == 0))
                    remove_bench_rows()
        finally:
            server.stop()
            remove_bench_rows()
            vacuum([Alert._meta.db_table, Deadline._meta.db_table])
        digests_rate = statistics.median(rate for rate, _ in rates)
        alerts_rate = statistics.median(rate for _, rate in rates)
        self.stdout.write("")
        self.stdout.write(f"digests/s: {digests_rate:.0f} (goal ≥ {DIGESTS_GOAL})")
        self.stdout.write(f"alerts/s: {alerts_rate:.0f} (goal ≥ {spaced(ALERTS_GOAL)})")
        self.stdout.write(
            f"send at {spaced(digests)} digests: {digests_rate:.0f} digests/s, {spaced(round(alerts_rate))} alerts/s "
            f"(goal >= {DIGESTS_GOAL} digests/s, >= {ALERTS_GOAL} alerts/s)"
        )

    def run(self, server: CountingServer, digests: int, per_digest: int, *, header: bool) -> tuple[float, float]:
        """Load, send until nothing is left, check; returns (digests/s, alerts/s)."""
        received_before = server.messages
        now = timezone.now().replace(microsecond=0)
        started = time.perf_counter()
        with transaction.atomic():
            staff = create_staff()
            create_clock_policy()
            alerts = load_ready_alerts(staff=staff, digests=digests, alerts_per_digest=per_digest, now=now)
        loaded = time.perf_counter() - started
        if header:
            self.write_header(digests, per_digest, alerts, loaded)
        sent_digests = sent_alerts = calls = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        while sent_digests < digests:
            result = send_alerts()
            calls += 1
            if not result.digests_sent:
                break
            sent_digests += result.digests_sent
            sent_alerts += result.alerts_sent
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        received = server.messages - received_before
        unsent = Alert.objects.filter(sent_at=None).count()
        if (sent_digests, sent_alerts, received, unsent) != (digests, alerts, digests, 0):
            raise CommandError(
                f"Sent {sent_digests} digests ({sent_alerts} alerts), the server received {received}, "
                f"{unsent} alerts left unsent: expected {digests} digests of {alerts} alerts in all."
            )
        self.stdout.write(
            f"{spaced(digests):>8} {spaced(alerts):>8} {calls:>6} {elapsed:9.2f} "
            f"{sent_digests / elapsed:10.0f} {sent_alerts / elapsed:9.0f} "
            f"{cpu / digests * 1000:7.2f} {os.getloadavg()[0]:8.1f}"
        )
        self.stdout.flush()
        return sent_digests / elapsed, sent_alerts / elapsed

    def write_header(self, digests: int, per_digest: int, alerts: int, loaded: float) -> None:
        database = describe_database("synchronous_commit")
        self.stdout.write(
            f"bench_send on {database}, {os.cpu_count()} CPUs; a local aiosmtpd server in a process of its own."
        )
        self.stdout.write(
            f"{spaced(digests)} recipients with {per_digest} ready alerts each ({spaced(alerts)} alerts), "
            f"loaded in {loaded:.1f} s; sent by send_alerts() until nothing is left; each run on fresh data."
        )
        self.stdout.write("")
        self.stdout.write(
            f"{'digests':>8} {'alerts':>8} {'calls':>6} {'seconds':>9} {'digests/s':>10} {'alerts/s':>9} "
            f"{'cpu ms':>7} {'load 1m':>8}"
        )
        self.stdout.flush()
