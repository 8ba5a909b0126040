"""``manage.py bench_api``: how fast the API registers callbacks, over HTTP, against gunicorn.

The command makes a branch ``BENCHAPI`` and an API client for it (``callbacks:write``, no rate limit to
speak of), starts gunicorn on a free port of 127.0.0.1 with the same database (``DEBUG`` off; ``--workers``
and ``--threads``; or drives a server already running with ``--url``), and then ``--clients`` threads (8),
each with its own keep-alive connection and its own idempotency keys, POST ``/api/v1/callbacks/`` with a new
customer's number each time, until ``--requests`` are done or ``--seconds`` have passed. It prints requests/s,
p50, p95 and the errors (anything but a 201), with the machine's load (``os.getloadavg``, as ``uptime``
shows it) before and after; the goal is ≥ 100 callbacks/s with p95 < 150 ms and no error. It checks that
every 201 made its callback. Everything it wrote is deleted at the end (also after an error or Ctrl-C).
PostgreSQL only (exit status 2 otherwise), except with ``--allow-sqlite`` (the smoke test, with ``--url``).
Figures: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from api import scopes
from api.models import ApiClient
from api.services import api_client_create
from bench.database import describe_database, require_postgresql, vacuum
from bench.smtp_server import free_port
from callbacks.models import Callback
from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Branch, Customer, WorkingHours

BRANCH = "BENCHAPI"
CLIENT = "bench-api"
RATE_GOAL = 100
P95_GOAL_MS = 150
# Between two readiness probes of the gunicorn it starts.
PROBE_INTERVAL = 0.2


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    created: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, outcome: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if outcome == "201":
                self.created += 1
            else:
                self.errors[outcome] = self.errors.get(outcome, 0) + 1


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def request_body(number: int) -> bytes:
    """A new customer's callback request: every request registers a customer, a callback, its clock and two audit
    entries (the full path of ``callback_register``)."""
    return json.dumps(
        {
            "branch": BRANCH,
            "customer_phone": f"+7916{number:07d}",
            "customer_name": f"Bench customer {number}",
            "reason": "asked_callback",
            "customer_said": "Please call me back about my card.",
            "channel": "ivr",
        }
    ).encode()


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def remove_bench_rows() -> None:
    with transaction.atomic():
        branch = Branch.objects.filter(code=BRANCH).first()
        client = ApiClient.objects.filter(name=CLIENT).first()
        if client is not None:
            AuditEntry.objects.for_target(client).delete()
        if branch is not None:
            Deadline.objects.filter(branch=branch).delete()
            Callback.objects.filter(branch=branch).delete()
            AuditEntry.objects.filter(branch=branch).delete()
            Customer.objects.filter(branch=branch).delete()
        if client is not None:
            account = client.account
            client.delete()
            account.delete()
        if branch is not None:
            branch.delete()
        get_user_model().objects.filter(username__startswith=f"api-{CLIENT}").delete()


class Command(BaseCommand):
    help = (
        "Time POST /api/v1/callbacks/ over HTTP with concurrent clients against gunicorn: requests/s, p50, p95, "
        "errors. Deletes what it wrote at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (default: 8).")
        parser.add_argument("--requests", type=int, default=3000, help="Requests in all, at most (default: 3000).")
        parser.add_argument("--seconds", type=float, default=60, help="Stop after this long at most (default: 60).")
        parser.add_argument("--warmup", type=int, default=40, help="Requests sent first, not counted (default: 40).")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default: 4).")
        parser.add_argument("--threads", type=int, default=2, help="Threads per gunicorn worker (default: 2).")
        parser.add_argument("--url", help="Drive this server (e.g. http://127.0.0.1:8000) instead of starting one.")
        parser.add_argument(
            "--in-process",
            type=int,
            metavar="N",
            help="No server: N requests through Django's test client in this process, one at a time; prints the SQL "
            "statements of one request and the CPU time per request (what a change to the code costs or saves).",
        )
        parser.add_argument(
            "--profile",
            metavar="FILE",
            help="With --in-process: write a pyinstrument profile of the N requests (HTML).",
        )
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on SQLite too; for the smoke test only, the figures mean nothing there.",
        )

    def handle(self, *args, **options):
        require_postgresql("bench_api", measures="the API", allow_sqlite=options["allow_sqlite"])
        for name in ("clients", "requests", "workers", "threads"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["seconds"] <= 0 or options["warmup"] < 0:
            raise CommandError("--seconds must be positive and --warmup not negative.")
        if Branch.objects.filter(code=BRANCH).exists() or ApiClient.objects.filter(name=CLIENT).exists():
            remove_bench_rows()  # left by a run that was killed outright
        if options["in_process"] is not None:
            if options["in_process"] < 1:
                raise CommandError("--in-process must be at least 1.")
            try:
                self.in_process(self.prepare(), options["in_process"], options["warmup"], options["profile"])
            finally:
                remove_bench_rows()
            return
        server = None
        try:
            token = self.prepare()
            if options["url"]:
                url = options["url"].rstrip("/")
            else:
                server, url = self.start_gunicorn(options["workers"], options["threads"])
            self.run(url, token, options)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
            remove_bench_rows()
            vacuum([Callback._meta.db_table, Deadline._meta.db_table, AuditEntry._meta.db_table])

    def prepare(self) -> str:
        with transaction.atomic():
            branch = Branch.objects.create(code=BRANCH, name="Bench API", time_zone="Europe/Moscow", country="RU")
            # Open every day, so that a reason's term in working hours has hours to count in, whenever it runs.
            WorkingHours.objects.bulk_create(
                WorkingHours(branch=branch, weekday=day, opens=datetime.time(0), closes=datetime.time(23, 59))
                for day in range(7)
            )
            _client, token = api_client_create(
                name=CLIENT,
                branches=[branch],
                scopes=[scopes.CALLBACKS_WRITE],
                requests_per_minute=10_000_000,
                by=None,
            )
        return token

    def start_gunicorn(self, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
        port = free_port()
        # The database this command works on (a test's own, in the smoke test), as the server's DATABASE_URL.
        database = connection.settings_dict
        if connection.vendor != "postgresql":
            raise CommandError("bench_api starts gunicorn on PostgreSQL only; give --url for another server.")
        credentials = quote(database["USER"] or "", safe="")
        if database["PASSWORD"]:
            credentials += ":" + quote(database["PASSWORD"], safe="")
        database_url = (
            f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        )
        env = {
            **os.environ,
            "DEBUG": "false",
            "LOG_LEVEL": "ERROR",  # no line per request (nor per 4xx) on the terminal
            "VAR_DIR": str(settings.VAR_DIR),
            "DATABASE_URL": database_url,
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "contactcenter.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        self.wait_until_ready(server, port)
        return server, f"http://127.0.0.1:{port}"

    def wait_until_ready(self, server: subprocess.Popen, port: int, *, seconds: float = 60) -> None:
        """Probe the server every ``PROBE_INTERVAL`` until it answers; stop it and fail after ``seconds``."""
        give_up = time.monotonic() + seconds
        while time.monotonic() < give_up:
            if server.poll() is not None:
                raise CommandError(f"gunicorn stopped at start (exit status {server.returncode}).")
            if self.answers(port):
                return
            # After any other answer too (a 5xx while the app loads): a server still starting is not hammered.
            time.sleep(PROBE_INTERVAL)
        server.terminate()
        raise CommandError(f"gunicorn did not answer within {seconds:g} s.")

    def in_process(self, token: str, count: int, warmup: int, profile: str | None) -> None:
        """``count`` requests through ``django.test.Client`` (middleware, view, services; no HTTP server), after
        ``warmup`` untimed: the statements of one request (``connection.execute_wrapper``), and the process's CPU
        time (``time.process_time``) and wall time per request."""
        from django.test import Client

        http = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
        numbers = iter(range(10_000_000))

        def post() -> None:
            number = next(numbers)
            response = http.post(
                "/api/v1/callbacks/",
                request_body(number),
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"bench-in-process-{number}",
            )
            if response.status_code != 201:
                raise CommandError(f"POST /api/v1/callbacks/ answered {response.status_code}: {response.content[:300]}")

        for _ in range(max(warmup, 1)):  # the first request of a minute also notes the client's last use
            post()
        statements = []

        def note(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            post()
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            post()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profiler is not None:
            profiler.stop()
            with open(profile, "w", encoding="utf-8") as out:
                out.write(profiler.output_html())
        self.stdout.write(
            f"bench_api --in-process on {describe_database('synchronous_commit')}, {os.cpu_count()} CPUs."
        )
        self.stdout.write(f"load average (1, 5, 15 min): {load_average()}")
        self.stdout.write(f"SQL statements of one request, besides BEGIN and COMMIT: {len(statements)}")
        for sql in statements:
            self.stdout.write(f"  {sql[:150]}")
        self.stdout.write(
            f"{count} requests: {cpu * 1000 / count:.2f} ms CPU per request, {wall * 1000 / count:.2f} ms wall per "
            "request" + (" (under the profiler)" if profiler is not None else "")
        )
        if profile:
            self.stdout.write(f"profile: {profile}")

    @staticmethod
    def answers(port: int) -> bool:
        """Whether the API on ``port`` answers as a started server does (401 or 404 to a status read)."""
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            probe.request("GET", "/api/v1/callbacks/999999999/")
            return probe.getresponse().status in (401, 404)
        except (OSError, http.client.HTTPException):
            return False
        finally:
            probe.close()

    def run(self, url: str, token: str, options) -> None:
        clients, total, seconds, warmup = options["clients"], options["requests"], options["seconds"], options["warmup"]
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 80
        counter = iter(range(10_000_000))
        counter_lock = threading.Lock()

        def next_number() -> int:
            with counter_lock:
                return next(counter)

        def drive(tally: Tally | None, limit: int, deadline: float, worker: int) -> None:
            connection = http.client.HTTPConnection(host, port, timeout=30)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            sent = 0
            while sent < limit and time.perf_counter() < deadline:
                number = next_number()
                sent += 1
                started = time.perf_counter()
                try:
                    connection.request(
                        "POST",
                        "/api/v1/callbacks/",
                        body=request_body(number),
                        headers={**headers, "Idempotency-Key": f"bench-{worker}-{number}"},
                    )
                    response = connection.getresponse()
                    response.read()
                    outcome = str(response.status)
                except (OSError, http.client.HTTPException) as error:
                    outcome = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=30)
                if tally is not None:
                    tally.add(time.perf_counter() - started, outcome)
            connection.close()

        def run_threads(tally, count, deadline):
            share = [count // clients + (1 if index < count % clients else 0) for index in range(clients)]
            threads = [
                threading.Thread(target=drive, args=(tally, share[index], deadline, index), daemon=True)
                for index in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        self.stdout.write(f"bench_api on {describe_database('synchronous_commit')}, {os.cpu_count()} CPUs.")
        server = url if options["url"] else f"gunicorn, {options['workers']} workers × {options['threads']} threads"
        self.stdout.write(
            f"POST /api/v1/callbacks/ with {clients} concurrent clients (own idempotency keys, keep-alive), "
            f"at most {total} requests or {seconds:g} s; server: {server} at {url}."
        )
        if warmup:
            run_threads(None, warmup, time.perf_counter() + 30)
        self.stdout.write(f"load average before (1, 5, 15 min): {load_average()}")
        self.stdout.flush()
        tally = Tally()
        before = Callback.objects.filter(branch__code=BRANCH).count()
        started = time.perf_counter()
        run_threads(tally, total, started + seconds)
        elapsed = time.perf_counter() - started
        made = Callback.objects.filter(branch__code=BRANCH).count() - before
        if made != tally.created:
            raise CommandError(f"{tally.created} answers were 201 but {made} callbacks were made.")
        done = len(tally.latencies)
        errors = sum(tally.errors.values())
        p50 = statistics.median(tally.latencies) * 1000 if done else 0.0
        p95 = percentile(tally.latencies, 0.95) * 1000
        self.stdout.write(f"load average after (1, 5, 15 min): {load_average()}")
        self.stdout.write("")
        self.stdout.write(
            f"{'requests':>9} {'seconds':>8} {'requests/s':>11} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}"
        )
        self.stdout.write(f"{done:>9} {elapsed:8.2f} {done / elapsed:11.1f} {p50:7.1f} {p95:7.1f} {errors:>7}")
        self.stdout.write("")
        if tally.errors:
            answers = ", ".join(f"{name} × {count}" for name, count in sorted(tally.errors.items()))
            self.stdout.write(f"error answers: {answers}")
        self.stdout.write(f"requests/s: {done / elapsed:.1f} (goal ≥ {RATE_GOAL})")
        self.stdout.write(f"p95: {p95:.1f} ms (goal < {P95_GOAL_MS} ms)")
        self.stdout.write(f"errors: {errors} (goal 0)")
