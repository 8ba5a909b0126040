"""The scan: every minute, flag the clocks that became due soon, overdue, overdue for long, or need a reminder.

Each step is one conditional ``UPDATE … WHERE <state condition> … RETURNING``: only the rows that change
come back, so the cost grows with the rows that change, not with the rows that exist, and a second scan
running at the same time (two beats, a retried task) finds the condition false for rows the first one
took. The changes are handed, in the same transaction, to the receivers of the ``clocks_flagged`` hook (the
alert outbox, then the escalations: ``contactcenter.hooks``), so a flag never exists without its alerts, nor
alerts without it.

Levels: due soon; overdue (reminders follow at the kind's interval, within the branch's working hours);
overdue for longer than the kind's limit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.directory.models import Branch
from contactcenter.hooks import Hook

from .models import ClockPolicy, Deadline, Level


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


def _update_returning(set_sql: str, where_sql: str, params: list) -> list[tuple]:
    """``UPDATE deadline SET … WHERE … RETURNING …``; PostgreSQL and SQLite (3.35+) both have it."""
    table = connection.ops.quote_name(Deadline._meta.db_table)
    sql = f"UPDATE {table} SET {set_sql} WHERE {where_sql} RETURNING {_RETURNING}, reminders_sent"
    adapted = [connection.ops.adapt_datetimefield_value(p) if isinstance(p, datetime) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, adapted)
        return cursor.fetchall()


def _transitions(rows, level: str, reminder_from_row: bool = False) -> list[Transition]:
    return [
        Transition(row[0], row[1], row[2], row[3], row[4], level, row[5] if reminder_from_row else 0) for row in rows
    ]


def flag_due_soon(now: datetime) -> list[Transition]:
    rows = _update_returning(
        "state = 'due_soon'",
        "state = 'on_track' AND paused_at IS NULL AND warn_at <= %s AND due_at > %s",
        [now, now],
    )
    return _transitions(rows, Level.DUE_SOON)


def flag_overdue(now: datetime) -> list[Transition]:
    rows = _update_returning(
        "state = 'overdue', overdue_since = due_at",
        "state IN ('on_track', 'due_soon') AND paused_at IS NULL AND due_at <= %s",
        [now],
    )
    return _transitions(rows, Level.OVERDUE)


def flag_long_overdue(now: datetime, policies: dict[str, ClockPolicy]) -> list[Transition]:
    """One statement per kind, since each kind has its own limit; there are a handful of kinds."""
    found = []
    for kind, policy in policies.items():
        rows = _update_returning(
            "long_overdue_at = %s",
            "state = 'overdue' AND paused_at IS NULL AND long_overdue_at IS NULL AND kind = %s AND due_at <= %s",
            [now, kind, now - policy.long_overdue_after],
        )
        found += _transitions(rows, Level.LONG_OVERDUE)
    return found


def flag_reminders(now: datetime) -> list[Transition]:
    """Overdue clocks whose reminder is due: the reminder number goes up, alerts at the current level."""
    rows = _update_returning(
        "reminders_sent = reminders_sent + 1, next_reminder_at = NULL",
        "state = 'overdue' AND paused_at IS NULL AND next_reminder_at <= %s",
        [now],
    )
    found = []
    long_overdue = set(
        Deadline.objects.filter(pk__in=[row[0] for row in rows], long_overdue_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    for transition in _transitions(rows, Level.OVERDUE, reminder_from_row=True):
        found.append(transition)
        if transition.deadline_id in long_overdue:
            found.append(replace(transition, level=Level.LONG_OVERDUE))
    return found


def schedule_reminders(transitions: list[Transition], now: datetime, policies: dict[str, ClockPolicy]) -> None:
    """Set the next reminder of these overdue clocks: an interval from now, moved into working hours.

    Every clock of one branch and kind gets the same moment, so it is computed once per pair and written
    with one UPDATE per pair.
    """
    ids_by_pair = defaultdict(set)
    for transition in transitions:
        ids_by_pair[transition.branch_id, transition.kind].add(transition.deadline_id)
    if not ids_by_pair:
        return
    branches = Branch.objects.prefetch_related("working_hours").in_bulk({branch_id for branch_id, _ in ids_by_pair})
    calendars = {pk: BusinessCalendar.for_branch(branch) for pk, branch in branches.items()}
    for (branch_id, kind), ids in ids_by_pair.items():
        policy = policies.get(kind)
        if policy is None:
            continue
        candidate = now + policy.remind_every
        try:
            next_reminder = calendars[branch_id].add_business_hours(candidate, 0)
        except ValueError:  # a calendar with no working day at all: remind on the plain interval
            next_reminder = candidate
        Deadline.objects.filter(pk__in=ids, state=Deadline.State.OVERDUE).update(next_reminder_at=next_reminder)


def scan_deadlines(*, now: datetime | None = None) -> ScanResult:
    """One pass of the scan, in one transaction. Safe to run twice, or twice at once."""
    now = now or timezone.now()
    policies = {policy.kind: policy for policy in ClockPolicy.objects.all()}
    result = ScanResult()
    with transaction.atomic():
        due_soon = flag_due_soon(now)
        overdue = flag_overdue(now)
        long_overdue = flag_long_overdue(now, policies)
        reminders = flag_reminders(now)
        schedule_reminders(overdue + reminders, now, policies)
        result.transitions = due_soon + overdue + long_overdue + reminders
        result.due_soon, result.overdue, result.long_overdue = len(due_soon), len(overdue), len(long_overdue)
        result.reminders = len({t.deadline_id for t in reminders})
        if result.transitions:
            clocks_flagged.send(result.transitions, now)
    return result
