"""The "promises kept" report: how the clocks due in a period ended, grouped one way, counted in the database."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.models import ClockPolicy, Deadline
from contactcenter.deadlines.templatetags.deadlines import duration_in_words

from .base import (
    BAD,
    DARK,
    GOOD,
    INFO,
    LATE,
    NEUTRAL,
    Cell,
    Chart,
    Column,
    ReportResult,
    Row,
    Table,
    dataset,
    local_days,
    person_fields,
    person_label,
    report_branches,
    week_label,
    with_week,
)

GROUPINGS = {
    "kind": _("kind of clock"),
    "branch": _("branch"),
    "owner": _("owner"),
    "week": _("week"),
}

OUTCOMES = (
    ("met_on_time", _("met on time")),
    ("met_late", _("met late")),
    ("not_kept", _("ended, not kept")),
    ("open_overdue", _("open and overdue")),
    ("open_on_track", _("open, not yet due")),
    ("open_paused", _("open, paused")),
)


@dataclass
class PromiseRow:
    label: str
    total: int
    met_on_time: int
    met_late: int
    open_overdue: int
    open_on_track: int
    open_paused: int = 0
    not_kept: int = 0
    paused_for: timedelta = timedelta()

    def share(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def shares(self) -> dict[str, float]:
        return {key: self.share(getattr(self, key)) for key, _label in OUTCOMES}


def promises_kept(user, *, date_from: date, date_to: date, branch=None, group_by: str = "kind") -> list[PromiseRow]:
    """Clocks of the user's branches due from ``date_from`` to ``date_to`` (both included, each branch's
    days in its own zone), cancelled ones left out, grouped by ``group_by``: one aggregate query, one for
    the branches and one for the kinds' names. Weeks start on Monday in the chosen branch's zone, or in the
    server's when the report covers several branches."""
    branches = report_branches(user, branch)
    clocks = (
        Deadline.objects.for_user(user)
        # Every state but cancelled, named: the (branch, state, due_at) index then serves the period.
        .filter(state__in=[state for state in Deadline.State.values if state != Deadline.State.CANCELLED])
        .filter(local_days("due_at", branches, date_from, date_to))
    )
    group_fields = {
        "kind": ["kind"],
        "branch": ["branch__code"],
        "owner": person_fields("owner"),
        "week": ["week"],
    }[group_by]
    if group_by == "week":
        clocks = with_week(clocks, "due_at", branch)
    now = timezone.now()
    rows = (
        clocks.order_by()
        .values(*group_fields)
        .annotate(
            total=Count("pk"),
            met_on_time=Count("pk", filter=Q(state=Deadline.State.MET, met_late=False)),
            met_late=Count("pk", filter=Q(state=Deadline.State.MET, met_late=True)),
            not_kept=Count("pk", filter=Q(state=Deadline.State.NOT_KEPT)),
            # A paused clock stands still: counted on its own, never as overdue nor as running.
            open_paused=Count("pk", filter=Q(state__in=Deadline.OPEN_STATES, paused_at__isnull=False)),
            open_overdue=Count(
                "pk",
                filter=Q(state__in=Deadline.OPEN_STATES, paused_at=None)
                & (Q(state=Deadline.State.OVERDUE) | Q(due_at__lt=now)),
            ),
            # The time the clocks stood still: the pauses that ended, and those still running until now.
            paused_before=Sum("paused_total"),
            paused_now=Sum(
                ExpressionWrapper(Value(now) - F("paused_at"), output_field=DurationField()),
                filter=Q(paused_at__isnull=False),
            ),
        )
        .annotate(
            open_on_track=F("total")
            - F("met_on_time")
            - F("met_late")
            - F("not_kept")
            - F("open_overdue")
            - F("open_paused")
        )
        .order_by(*group_fields)
    )
    labels = {policy.kind: str(policy) for policy in ClockPolicy.objects.all()} if group_by == "kind" else {}
    return [
        PromiseRow(
            label=_label(group_by, row, labels),
            total=row["total"],
            met_on_time=row["met_on_time"],
            met_late=row["met_late"],
            open_overdue=row["open_overdue"],
            open_on_track=row["open_on_track"],
            open_paused=row["open_paused"],
            not_kept=row["not_kept"],
            paused_for=(row["paused_before"] or timedelta()) + (row["paused_now"] or timedelta()),
        )
        for row in rows
    ]


def _label(group_by: str, row: dict, labels: dict) -> str:
    if group_by == "kind":
        return str(labels.get(row["kind"], row["kind"]))
    if group_by == "branch":
        return row["branch__code"]
    if group_by == "owner":
        return person_label(row, "owner", _("nobody (queue)"))
    return week_label(row["week"])


def build(user, *, date_from: date, date_to: date, branch=None, group_by: str = "kind") -> ReportResult:
    rows = promises_kept(user, date_from=date_from, date_to=date_to, branch=branch, group_by=group_by)
    colours = (GOOD, LATE, DARK, BAD, NEUTRAL, INFO)
    totals = {key: sum(getattr(row, key) for row in rows) for key, _label in OUTCOMES}
    total = PromiseRow(
        label=gettext("Total"),
        total=sum(row.total for row in rows),
        paused_for=sum((row.paused_for for row in rows), timedelta()),
        **totals,
    )
    table = Table(
        heading=GROUPINGS[group_by],
        columns=[
            Column(gettext("Clocks")),
            *(Column(label, with_share=True) for _key, label in OUTCOMES),
            Column(gettext("time paused"), csv_label=gettext("time paused, minutes")),
        ],
        rows=[_table_row(row) for row in rows],
        total=_table_row(total, is_total=True),
        empty=gettext("No clock was due in this period."),
    )
    chart = Chart(
        labels=[row.label for row in rows],
        datasets=[
            dataset(label, [row.shares[key] for row in rows], colour)
            for (key, label), colour in zip(OUTCOMES, colours, strict=True)
        ],
        stacked=True,
        horizontal=True,
        max=100,
        unit="%",
    )
    notes = [
        gettext("A clock counts in the period it was due in; cancelled clocks are left out."),
        gettext("Met late: met after the moment it was due. Open and overdue: not met, its moment passed."),
        gettext(
            "Ended, not kept: the case went another way before the promise was kept (an escalation turned into a "
            "complaint without the call back)."
        ),
        gettext(
            "Open, paused: stopped by a supervisor for a recorded reason; the time paused (of every clock of the "
            "row, ended pauses and those still running) does not count against the promise."
        ),
    ]
    return ReportResult(rows=rows, table=table, chart=chart, notes=notes)


def _table_row(row: PromiseRow, *, is_total: bool = False) -> Row:
    cells = [Cell(row.total)] + [Cell(getattr(row, key), share=row.shares[key]) for key, _label in OUTCOMES]
    cells.append(Cell(round(row.paused_for.total_seconds() / 60, 1), text=duration_in_words(row.paused_for)))
    return Row(label=row.label, cells=cells, is_total=is_total)
