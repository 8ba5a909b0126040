"""The scan: every minute, flag the clocks that became due soon, overdue, overdue for long, or need a reminder.

Each step is one conditional ``UPDATE … WHERE <state condition> … RETURNING``: only the rows that change
come back, so the cost grows with the rows that change, not with the rows that exist, and a second scan
running at the same time (two beats, a retried task) finds the condition false for rows the first one
took. The changes are handed, in the same transaction, to the receivers of the ``clocks_flagged`` hook (the
alert outbox, then the escalations: ``contactcenter.hooks``), so a flag never exists without its alerts, nor
alerts without it.

Levels: due soon; overdue (reminders follow at the kind's interval, within the branch's working hours);
overdue for longer than the kind's limit. The next reminder is set by the statement that flags the clock,
from a small (branch, kind) table of moments (``NextReminders``): no clock is written twice. A scan costs
about three times its two bare flagging UPDATEs (``manage.py bench_scan``, ``docs/benchmarks.md``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from contactcenter.calendars.business_time import calendars_for
from contactcenter.directory.models import Branch
from contactcenter.hooks import Hook

from .models import ClockPolicy, Deadline, Level, ScanStatus


@dataclass(frozen=True)
class Transition:
    """One clock reaching a level: what an alert is made of."""

    deadline_id: int
    kind: str
    branch_id: int
    owner_id: int | None
    round: int
    level: str
    reminder: int = 0


@dataclass
class ScanResult:
    due_soon: int = 0
    overdue: int = 0
    long_overdue: int = 0
    reminders: int = 0
    transitions: list[Transition] = field(default_factory=list, repr=False)

    @property
    def changed(self) -> int:
        return self.due_soon + self.overdue + self.long_overdue + self.reminders


# Receivers run inside the scan's transaction.
clocks_flagged = Hook("deadlines.scan.clocks_flagged", arguments="transitions: list[Transition], now: datetime")

_RETURNING = "id, kind, branch_id, owner_id, round"
_TABLE = Deadline._meta.db_table

# A clock is overdue, or its reminder is due, once its due moment (its next reminder) has passed.
_BECOMES_OVERDUE = "state IN ('on_track', 'due_soon') AND paused_at IS NULL AND due_at <= %s"
_REMINDER_DUE = "state = 'overdue' AND paused_at IS NULL AND next_reminder_at <= %s"


def _execute(sql: str, params: list) -> list[tuple]:
    """Run ``sql``, where ``{table}`` names the clocks' table, and return its rows."""
    adapted = [connection.ops.adapt_datetimefield_value(p) if isinstance(p, datetime) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(_TABLE)), adapted)
        return cursor.fetchall()


def _update_returning(set_sql: str, where_sql: str, params: list, returning: str = "reminders_sent") -> list[tuple]:
    """``UPDATE deadline SET … WHERE … RETURNING …``; PostgreSQL and SQLite (3.35+) both have it."""
    return _execute(f"UPDATE {{table}} SET {set_sql} WHERE {where_sql} RETURNING {_RETURNING}, {returning}", params)


def _transitions(rows, level: str, reminder_from_row: bool = False) -> list[Transition]:
    return [
        Transition(row[0], row[1], row[2], row[3], row[4], level, row[5] if reminder_from_row else 0) for row in rows
    ]


@dataclass(frozen=True)
class NextReminders:
    """The next reminder of every clock that becomes overdue or is reminded in this scan.

    All of them share the scan's ``now``, so the moment (the kind's interval from now, moved into the
    branch's working hours) depends only on the clock's branch and kind: it is computed once per pair, and
    the UPDATE that flags the clocks sets it from this small (branch, kind, moment) table, instead of a
    second write of every clock. Reading the pairs also tells whether any clock is about to become overdue
    or to be reminded, so that a minute with none runs neither UPDATE.
    """

    moments: dict[tuple[int, str], datetime]
    overdue: bool = False
    reminders: bool = False

    @classmethod
    def at(cls, now: datetime, policies: dict[str, ClockPolicy]) -> NextReminders:
        pairs = _execute(
            "SELECT branch_id, kind, MAX(CASE WHEN state = 'overdue' THEN 0 ELSE 1 END), "
            "MAX(CASE WHEN state = 'overdue' THEN 1 ELSE 0 END) "
            f"FROM {{table}} WHERE ({_BECOMES_OVERDUE}) OR ({_REMINDER_DUE}) GROUP BY branch_id, kind",
            [now, now],
        )
        return cls(
            moments=next_reminder_moments([(branch_id, kind) for branch_id, kind, _o, _r in pairs], now, policies),
            overdue=any(row[2] for row in pairs),
            reminders=any(row[3] for row in pairs),
        )

    def set_sql(self) -> tuple[str, list]:
        """``next_reminder_at = (the moment of the row's pair)``; NULL for a kind without a policy."""
        if not self.moments:
            return "next_reminder_at = NULL", []
        values = ", ".join(["(%s, %s, %s)"] * len(self.moments))
        sql = (
            f"next_reminder_at = (SELECT pair.column3 FROM (VALUES {values}) AS pair "
            "WHERE pair.column1 = {table}.branch_id AND pair.column2 = {table}.kind)"
        )
        return sql, [value for (branch_id, kind), moment in self.moments.items() for value in (branch_id, kind, moment)]

    def missed(self, transitions: list[Transition], policies: dict[str, ClockPolicy]) -> list[Transition]:
        """Clocks of a pair that was not there when the pairs were read (a clock opened already due in
        between): their reminder is set afterwards."""
        return [t for t in transitions if t.kind in policies and (t.branch_id, t.kind) not in self.moments]


def next_reminder_moments(pairs, now: datetime, policies: dict[str, ClockPolicy]) -> dict[tuple[int, str], datetime]:
    pairs = [(branch_id, kind) for branch_id, kind in pairs if kind in policies]
    if not pairs:
        return {}
    calendars = calendars_for(Branch.objects.filter(pk__in={branch_id for branch_id, _ in pairs}))
    moments = {}
    for branch_id, kind in pairs:
        candidate = now + policies[kind].remind_every
        try:
            moments[branch_id, kind] = calendars[branch_id].add_business_hours(candidate, 0)
        except ValueError:  # a calendar with no working day at all: remind on the plain interval
            moments[branch_id, kind] = candidate
    return moments


def flag_due_soon(now: datetime) -> list[Transition]:
    rows = _update_returning(
        "state = 'due_soon'",
        "state = 'on_track' AND paused_at IS NULL AND warn_at <= %s AND due_at > %s",
        [now, now],
    )
    return _transitions(rows, Level.DUE_SOON)


def flag_overdue(now: datetime, reminders: NextReminders) -> list[Transition]:
    """Overdue clocks, their first reminder set in the same statement."""
    reminder_sql, reminder_params = reminders.set_sql()
    rows = _update_returning(
        f"state = 'overdue', overdue_since = due_at, {reminder_sql}", _BECOMES_OVERDUE, [*reminder_params, now]
    )
    return _transitions(rows, Level.OVERDUE)


def flag_long_overdue(now: datetime, policies: dict[str, ClockPolicy]) -> list[Transition]:
    """One statement for every kind, each with its own limit, from a small (kind, cutoff) table."""
    if not policies:
        return []
    values = ", ".join(["(%s, %s)"] * len(policies))
    cutoffs = [value for kind, policy in policies.items() for value in (kind, now - policy.long_overdue_after)]
    rows = _execute(
        f"UPDATE {{table}} SET long_overdue_at = %s FROM (VALUES {values}) AS cutoff "
        "WHERE {table}.kind = cutoff.column1 AND {table}.due_at <= cutoff.column2 AND state = 'overdue' "
        f"AND paused_at IS NULL AND long_overdue_at IS NULL RETURNING {_RETURNING}, reminders_sent",
        [now, *cutoffs],
    )
    return _transitions(rows, Level.LONG_OVERDUE)


def flag_reminders(now: datetime, reminders: NextReminders) -> list[Transition]:
    """Overdue clocks whose reminder is due: the reminder number goes up, alerts at the current level (both
    levels when overdue for long), and the next reminder is set in the same statement."""
    reminder_sql, reminder_params = reminders.set_sql()
    rows = _update_returning(
        f"reminders_sent = reminders_sent + 1, {reminder_sql}",
        _REMINDER_DUE,
        [*reminder_params, now],
        returning="reminders_sent, long_overdue_at IS NOT NULL",
    )
    found = []
    for row, transition in zip(rows, _transitions(rows, Level.OVERDUE, reminder_from_row=True), strict=True):
        found.append(transition)
        if row[6]:
            found.append(replace(transition, level=Level.LONG_OVERDUE))
    return found


def schedule_reminders(transitions: list[Transition], now: datetime, policies: dict[str, ClockPolicy]) -> None:
    """Set the next reminder of these overdue clocks, one UPDATE per (branch, kind): for the few clocks
    the flagging statements could not give one (``NextReminders.missed``)."""
    if not transitions:
        return
    ids_by_pair = defaultdict(set)
    for transition in transitions:
        ids_by_pair[transition.branch_id, transition.kind].add(transition.deadline_id)
    for pair, moment in next_reminder_moments(ids_by_pair, now, policies).items():
        Deadline.objects.filter(pk__in=ids_by_pair[pair], state=Deadline.State.OVERDUE).update(next_reminder_at=moment)


def scan_deadlines(*, now: datetime | None = None) -> ScanResult:
    """One pass of the scan, in one transaction. Safe to run twice, or twice at once."""
    started = time.monotonic()
    now = now or timezone.now()
    policies = {policy.kind: policy for policy in ClockPolicy.objects.all()}
    result = ScanResult()
    with transaction.atomic():
        due_soon = flag_due_soon(now)
        next_reminders = NextReminders.at(now, policies)
        overdue = flag_overdue(now, next_reminders) if next_reminders.overdue else []
        long_overdue = flag_long_overdue(now, policies)
        reminders = flag_reminders(now, next_reminders) if next_reminders.reminders else []
        schedule_reminders(next_reminders.missed(overdue + reminders, policies), now, policies)
        result.transitions = due_soon + overdue + long_overdue + reminders
        result.due_soon, result.overdue, result.long_overdue = len(due_soon), len(overdue), len(long_overdue)
        result.reminders = len({t.deadline_id for t in reminders})
        if result.transitions:
            clocks_flagged.send(result.transitions, now)
    # After the commit, in a short statement of its own: the readiness check and the metrics read it.
    ScanStatus.record(finished_at=timezone.now(), duration_seconds=time.monotonic() - started, changed=result.changed)
    return result
