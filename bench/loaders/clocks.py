"""The clocks of ``bench_scan``: many quiet clocks, and a fixed number that change state at the bench's ``now``.

The clocks hang on the bench branches (any model can carry clocks) and are owned by the staff loader's
operators, one clock in ten by nobody (its alerts go to the supervisors). See ``bench_clocks``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from bench.loaders.staff import BenchStaff
from contactcenter.deadlines.models import ClockPolicy, Deadline, Recipient
from contactcenter.directory.models import Branch

BENCH_KIND = "bench_clock"
UNOWNED_ONE_IN = 10

# Columns written by the loader, in this order.
COLUMNS = (
    "content_type_id",
    "object_id",
    "kind",
    "title",
    "case_url",
    "branch_id",
    "owner_id",
    "opened_at",
    "due_at",
    "warn_at",
    "rule",
    "state",
    "cancel_reason",
    "pause_reason",
    "paused_total",
    "round",
    "reminders_sent",
)
AHEAD_MINUTES = 14 * 24 * 60  # the quiet clocks are due over the next two weeks…
JITTER_MINUTES = 12 * 60  # …give or take half a day…
OPENED_MINUTES = 48 * 60  # …and were opened over the last two days.
MINUTES = [timedelta(minutes=m) for m in range(120 + AHEAD_MINUTES + JITTER_MINUTES)]
HOURS = [timedelta(hours=h) for h in range(7)]


def create_clock_policy() -> None:
    """The policy of the bench clock: owner when due soon, owner and supervisors when overdue."""
    ClockPolicy.objects.create(
        kind=BENCH_KIND,
        label="Bench clock",
        warn_share=0.75,
        due_soon_recipients=[Recipient.OWNER],
        overdue_recipients=[Recipient.OWNER, Recipient.SUPERVISORS],
        long_overdue_recipients=[Recipient.BRANCH_MANAGER, Recipient.DEPUTY_DIRECTOR],
    )


def bench_clocks(*, size: int, changing: int, now: datetime, staff: BenchStaff) -> Iterator[tuple]:
    """The clocks of one size, as rows in ``COLUMNS`` order.

    Every ``size // changing``-th clock changes state at ``now``, alternately to due soon (on track, its
    warn moment just passed) and to overdue (already due soon, its due moment just passed, less than the
    policy's day ago so not yet overdue for long). The others are on track, warned 1 hour before their due
    moment, which lies 2 hours to 14 days ahead. As in a real table, a clock inserted later was opened
    later and is due later, give or take half a day: the rows come in roughly the order of their moments,
    which keeps the loading of the indexes on those moments fast, while the changing clocks stay scattered
    over the whole table. A multiplicative hash deals the clocks out over the (branch, owner) pairs, so
    that evenly spaced clocks do not all land on one owner.

    What needs the database is read here, before the rows are generated: the rows are consumed inside a
    COPY, during which the connection can run nothing else.
    """
    pairs = [(branch.branch.pk, operator_id) for branch in staff.branches for operator_id in branch.operator_ids]
    content_type_id = ContentType.objects.get_for_model(Branch).pk
    return _clock_rows(size=size, changing=changing, now=now, pairs=pairs, content_type_id=content_type_id)


def _clock_rows(*, size: int, changing: int, now: datetime, pairs: list, content_type_id: int) -> Iterator[tuple]:
    step = size // changing
    for i in range(1, size + 1):
        spread = (i * 2654435761) % 2**32
        branch_id, owner_id = pairs[spread % len(pairs)]
        if (spread // len(pairs)) % UNOWNED_ONE_IN == 0:
            owner_id = None
        nth, rest = divmod(i, step)
        if rest == 0 and nth <= changing and nth % 2:
            state, opened_at = Deadline.State.ON_TRACK, now - HOURS[3]
            warn_at, due_at = now - MINUTES[1 + i % 50], now + MINUTES[30 + i % 90]
        elif rest == 0 and nth <= changing:
            state, opened_at = Deadline.State.DUE_SOON, now - HOURS[6]
            warn_at, due_at = now - HOURS[4], now - MINUTES[1 + i % 50]
        else:
            due_at = now + MINUTES[120 + i * AHEAD_MINUTES // size + spread % JITTER_MINUTES]
            opened_at = now - MINUTES[(size - i) * OPENED_MINUTES // size]
            state, warn_at = Deadline.State.ON_TRACK, due_at - HOURS[1]
        yield (
            content_type_id,
            i,
            BENCH_KIND,
            f"Bench case {i}",
            "",
            branch_id,
            owner_id,
            opened_at,
            due_at,
            warn_at,
            "{}",
            state,
            "",
            "",
            timedelta(0),
            1,
            0,
        )


def load_clocks(rows: Iterator[tuple]) -> None:
    """COPY on PostgreSQL (a million rows in seconds), ``bulk_create`` elsewhere; then fresh statistics,
    as autovacuum would have them on a real table, so the planner sees the table's true size."""
    table = connection.ops.quote_name(Deadline._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {table}")
        return
    clocks = (Deadline(**dict(zip(COLUMNS, row, strict=True)) | {"rule": {}}) for row in rows)
    Deadline.objects.bulk_create(clocks, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
