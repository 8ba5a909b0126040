"""``manage.py bench_scan``: time the real scan with 10 000, 100 000 and 1 000 000 open clocks.

At every size the same number of clocks (``--changing``, 1 000 by default) change state at the benchmark's
``now``: half become due soon, half overdue; the others are on track, their warn and due moments ahead.
The changing clocks are spread evenly through the table and over the four branches and hundred operators
of the shared staff loader (``bench.loaders.staff``) and some clocks nobody owns (their alerts go to the
supervisors), so the recipient lookup is paid as in real life (``bench.loaders.clocks``). What is timed
is the real service, ``scan_deadlines(now=…)``, with every transition handler (the alert outbox)
included. Its time should hardly move with the number of clocks: the goal is 1M/10k ≤ 2.

Its physical limit is measured in the same run, on the same data: ``bare_updates``, the two conditional
``UPDATE … RETURNING`` that flip the same clocks and do nothing else (no reminder, no alert). Limit and
scan take turns, each in a savepoint rolled back after it, so that they see the same rows and the same
load; the goal is a whole scan, alert rows included, at most 4 times its limit (``scan/limit``).

For comparison, ``scan_row_by_row`` is the scan written as a per-row Python loop: it reads every open
clock, which is exactly the cost the set-based scan avoids. It runs on the same data at ``--loop-size``,
the largest size by default, where that difference is what a production table would pay; the goal is a
scan at least 50 times faster. (At 10 000 clocks, one clock in ten changes state, so both must write the
same thousand clocks and two thousand alerts, and the loop is only some ten times slower: see
``docs/benchmarks.md``.)

Nothing is ever left behind: the whole run is one transaction that is rolled back at the end. Each size
is loaded in a savepoint that is rolled back before the next size, and each timed scan or loop runs in a
savepoint of its own that is rolled back after it, so every repeat sees the same data. Tagged rows deleted
at the end would not survive a crash; a transaction does: an interrupted run (Ctrl-C, a lost connection,
a killed process) is rolled back by the database itself, so no bench clock can be left for a real scan to
alert about, and no clean-up has to guess which rows were ours. The rows are tagged all the same (clock
kind ``bench_clock``, branches ``BENCHA``–``BENCHD``, users ``bench-…``), should one ever be seen. The
price of the transaction:

- the scan's own ``transaction.atomic()`` becomes a savepoint, so its COMMIT is not timed: a few
  milliseconds left out, the same at every size, so the ratio between sizes does not move;
- row versions of rolled-back repeats and sizes stay dead in the table and its indexes until the end
  (VACUUM cannot run inside a transaction). Sizes run smallest first, so the largest size carries the
  leftovers of the smaller ones: that weighs against the ratio goal, not for it. The command vacuums
  the two tables before and after the run.

The scan flags every clock in the table, not only ours, so the command refuses a database that holds
any: run it on a database of its own. It refuses any database but PostgreSQL (exit status 2), except with
``--allow-sqlite``, which only the smoke test uses, on tiny sizes whose figures mean nothing.

The command imports the alerts app (the baseline writes alerts, as the scan's handler does). It lives in
the development-only ``bench`` app, at the top of the stack, which nothing imports, so the apps'
dependency rule (alerts → deadlines, never the reverse) still holds. Figures: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bench.database import describe_database, require_postgresql, vacuum
from bench.figures import short, spaced
from bench.loaders.clocks import UNOWNED_ONE_IN, bench_clocks, create_clock_policy, load_clocks
from bench.loaders.staff import BenchStaff, create_staff
from contactcenter.alerts.models import Alert
from contactcenter.alerts.services import RecipientBook
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.deadlines.models import ClockPolicy, Deadline, Level
from contactcenter.deadlines.scan import Transition, scan_deadlines

BENCH_TABLES = [Deadline._meta.db_table, Alert._meta.db_table]
LIMIT_GOAL = 4  # the whole scan, alerts included, at most this many times its two bare UPDATEs


def parse_sizes(value: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in value.split(",") if part.strip()})
    except ValueError as error:
        raise CommandError(f"--sizes: comma-separated numbers of clocks, not {value!r}") from error
    if not sizes or sizes[0] < 1:
        raise CommandError("--sizes: at least one positive number of clocks")
    return sizes


def scan_row_by_row(*, now: datetime) -> tuple[int, int]:
    """The scan as a per-row Python loop: the baseline the set-based scan is measured against.

    What a first implementation does: read every open clock, compare its moments in Python, ``save()``
    the ones that changed and write their alerts one at a time. It is not made slower than it must be:
    policies, recipients and calendars are loaded once per kind or branch, not once per clock. The bench
    data has no clock overdue for long and no reminder due, so those steps are left out (which only
    flatters the loop). Returns (clocks changed, alerts written).
    """
    policies = {policy.kind: policy for policy in ClockPolicy.objects.all()}
    books: dict[int, RecipientBook] = {}
    calendars: dict[int, BusinessCalendar] = {}
    changed = written = 0
    for deadline in Deadline.objects.filter(state__in=Deadline.OPEN_STATES):
        if deadline.paused_at is not None:
            continue
        policy = policies.get(deadline.kind)
        if deadline.state != Deadline.State.OVERDUE and deadline.due_at <= now:
            deadline.state, deadline.overdue_since, level = Deadline.State.OVERDUE, deadline.due_at, Level.OVERDUE
            if policy is not None:
                if deadline.branch_id not in calendars:
                    calendars[deadline.branch_id] = BusinessCalendar.for_branch(deadline.branch)
                deadline.next_reminder_at = calendars[deadline.branch_id].add_business_hours(
                    now + policy.remind_every, 0
                )
        elif deadline.state == Deadline.State.ON_TRACK and deadline.warn_at <= now:
            deadline.state, level = Deadline.State.DUE_SOON, Level.DUE_SOON
        else:
            continue
        deadline.save()
        changed += 1
        if policy is None:
            continue
        if deadline.branch_id not in books:
            owners = Deadline.objects.filter(branch_id=deadline.branch_id).values("owner_id")
            books[deadline.branch_id] = RecipientBook({deadline.branch_id}, owner_ids=owners)
        transition = Transition(
            deadline.pk, deadline.kind, deadline.branch_id, deadline.owner_id, deadline.round, level
        )
        for recipient_id in books[deadline.branch_id].resolve(transition, policy.recipients_for(level)):
            Alert.objects.create(
                deadline=deadline,
                round=deadline.round,
                level=level,
                recipient_id=recipient_id,
                created_at=now,
                next_attempt_at=now,
            )
            written += 1
    return changed, written


def bare_updates(*, now: datetime) -> int:
    """The scan's physical limit: the two conditional ``UPDATE … RETURNING`` that flip the same clocks
    (due soon, overdue) and nothing else, no reminder, no alert. Written out here rather than taken from
    ``scan.py``, so that what the scan is measured against cannot change with it."""
    table = connection.ops.quote_name(Deadline._meta.db_table)
    moment = connection.ops.adapt_datetimefield_value(now)
    flipped = 0
    with connection.cursor() as cursor:
        for sql, params in (
            (
                f"UPDATE {table} SET state = 'due_soon' WHERE state = 'on_track' AND paused_at IS NULL "
                "AND warn_at <= %s AND due_at > %s RETURNING id, kind, branch_id, owner_id, round",
                [moment, moment],
            ),
            (
                f"UPDATE {table} SET state = 'overdue', overdue_since = due_at WHERE state IN ('on_track', "
                "'due_soon') AND paused_at IS NULL AND due_at <= %s RETURNING id, kind, branch_id, owner_id, round",
                [moment],
            ),
        ):
            cursor.execute(sql, params)
            flipped += len(cursor.fetchall())
    return flipped


@dataclass
class Timing:
    runs: list[float]
    changed: int
    alerts: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass
class SizeResult:
    scan: Timing
    limit: Timing
    loop: Timing | None


def timed(repeat: int, **runs: Callable[[], int]) -> dict[str, Timing]:
    """Time each of ``runs`` (callables returning how many clocks they changed) ``repeat`` times, each run
    in a savepoint that is rolled back, so that every run starts from the same data. The runs take turns
    (a, b, a, b…), so that a burst of load on a shared machine weighs on both alike. Only the runs
    themselves are timed."""
    times = {name: [] for name in runs}
    changed = {name: set() for name in runs}
    alerts = {name: set() for name in runs}
    for _attempt in range(repeat):
        for name, run in runs.items():
            with transaction.atomic():
                started = time.perf_counter()
                changed[name].add(run())
                times[name].append(time.perf_counter() - started)
                alerts[name].add(Alert.objects.count())
                transaction.set_rollback(True)
    timings = {}
    for name in runs:
        if len(changed[name]) > 1 or len(alerts[name]) > 1:
            raise CommandError(
                f"Repeats of the {name} differ: clocks changed {sorted(changed[name])}, alerts {sorted(alerts[name])}."
            )
        timings[name] = Timing(runs=times[name], changed=changed[name].pop(), alerts=alerts[name].pop())
    return timings


class Command(BaseCommand):
    help = (
        "Time the deadline scan with many open clocks of which a fixed number change state, against a "
        "per-row Python loop. Works in a transaction that is rolled back: leaves nothing behind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="10000,100000,1000000",
            help="Numbers of open clocks, comma-separated (default: 10000,100000,1000000).",
        )
        parser.add_argument(
            "--changing", type=int, default=1000, help="Clocks that change state at each size (default: 1000)."
        )
        parser.add_argument("--repeat", type=int, default=3, help="Timed runs per size; the median is reported.")
        parser.add_argument(
            "--loop-size",
            type=int,
            default=None,
            help="Open clocks for the per-row loop comparison (default: the largest size, where reading every open "
            "row is what a per-row loop costs).",
        )
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on SQLite too; for the smoke test only, the figures mean nothing there.",
        )

    def handle(self, *args, **options):
        self.check_database(allow_sqlite=options["allow_sqlite"])
        sizes = parse_sizes(str(options["sizes"]))
        changing, repeat = options["changing"], options["repeat"]
        loop_size = options["loop_size"] or sizes[-1]
        if changing < 1 or repeat < 1:
            raise CommandError("--changing and --repeat must be at least 1.")
        if changing > min(*sizes, loop_size):
            raise CommandError("--changing cannot exceed the smallest size.")
        now = timezone.now().replace(microsecond=0)
        vacuum(BENCH_TABLES)
        with transaction.atomic():
            staff = create_staff()
            create_clock_policy()
            self.write_header(staff, changing, repeat)
            results = {
                size: self.bench_size(size, changing, repeat, now, staff, with_loop=size == loop_size)
                for size in sorted({*sizes, loop_size})
            }
            transaction.set_rollback(True)
        vacuum(BENCH_TABLES)
        self.write_summary(sizes, loop_size, results)

    def check_database(self, *, allow_sqlite: bool) -> None:
        require_postgresql("bench_scan", measures="the scan", allow_sqlite=allow_sqlite)
        if Deadline.objects.exists():
            raise CommandError(
                "bench_scan needs a database without clocks (the scan it times would flag them too); "
                "run it on a database of its own, e.g. DATABASE_URL=postgres://…/contactcenter_bench.",
                returncode=2,
            )

    def write_header(self, staff: BenchStaff, changing: int, repeat: int) -> None:
        database = describe_database("shared_buffers")
        due_soon = (changing + 1) // 2
        self.stdout.write(f"bench_scan on {database}, {os.cpu_count()} CPUs; everything is rolled back.")
        self.stdout.write(
            f"At each size {spaced(changing)} clocks change state ({spaced(due_soon)} → due soon, "
            f"{spaced(changing - due_soon)} → overdue); {len(staff.branches)} branches, {staff.operators} owners, "
            f"{staff.supervisors} supervisors, 1 clock in {UNOWNED_ONE_IN} unowned. Median of {repeat} run(s)."
        )
        self.stdout.write("")
        self.stdout.write(
            f"{'open clocks':>12} {'changing':>9} {'load s':>7} {'scan ms':>9} {'limit ms':>9} {'scan/limit':>11} "
            f"{'alerts':>7} "
            f"{'loop ms':>9} {'speed-up':>9}   scan runs ms"
        )

    def bench_size(
        self, size: int, changing: int, repeat: int, now: datetime, staff: BenchStaff, *, with_loop: bool
    ) -> SizeResult:
        """Load ``size`` clocks in a savepoint, time the scan, its limit (and the loop) on them, roll back."""
        with transaction.atomic():
            started = time.perf_counter()
            load_clocks(bench_clocks(size=size, changing=changing, now=now, staff=staff))
            loaded = time.perf_counter() - started
            # The beat worker is a long-lived process, warm after its first minute (imports, holiday
            # tables): one untimed scan stands for that, so the first size timed is not the only cold one.
            timed(1, scan=lambda: scan_deadlines(now=now).changed)
            timings = timed(repeat, limit=lambda: bare_updates(now=now), scan=lambda: scan_deadlines(now=now).changed)
            scan, limit = timings["scan"], timings["limit"]
            if scan.changed != changing or limit.changed != changing:
                raise CommandError(
                    f"The scan changed {scan.changed} clocks of {size} and its limit {limit.changed}, "
                    f"expected {changing}."
                )
            loop = timed(repeat, loop=lambda: scan_row_by_row(now=now)[0])["loop"] if with_loop else None
            if loop is not None and (loop.changed, loop.alerts) != (scan.changed, scan.alerts):
                raise CommandError(
                    f"The loop did other work than the scan: {loop.changed} clocks and {loop.alerts} alerts, "
                    f"against {scan.changed} and {scan.alerts}."
                )
            transaction.set_rollback(True)
        loop_ms = f"{loop.median * 1000:9.1f}" if loop else f"{'':9}"
        speed_up = f"{loop.median / scan.median:8.0f}×" if loop else f"{'':9}"
        runs = " ".join(f"{run * 1000:.1f}" for run in scan.runs)
        self.stdout.write(
            f"{spaced(size):>12} {spaced(changing):>9} {loaded:7.1f} {scan.median * 1000:9.1f} "
            f"{limit.median * 1000:9.1f} {scan.median / limit.median:10.1f}× {spaced(scan.alerts):>7} "
            f"{loop_ms} {speed_up}   {runs}"
        )
        self.stdout.flush()
        return SizeResult(scan=scan, limit=limit, loop=loop)

    def write_summary(self, sizes: list[int], loop_size: int, results: dict[int, SizeResult]) -> None:
        self.stdout.write("")
        smallest, largest = sizes[0], sizes[-1]
        if largest != smallest:
            ratio = results[largest].scan.median / results[smallest].scan.median
            self.stdout.write(f"ratio {short(largest)}/{short(smallest)}: {ratio:.2f} (goal ≤ 2)")
        result = results[loop_size]
        speed_up = result.loop.median / result.scan.median
        self.stdout.write(f"speed-up over per-row loop at {short(loop_size)}: {speed_up:.0f}× (goal ≥ 50×)")
        for size in sizes:
            ratio = results[size].scan.median / results[size].limit.median
            self.stdout.write(f"scan/limit at {short(size)}: {ratio:.1f}× (goal ≤ {LIMIT_GOAL}×)")
