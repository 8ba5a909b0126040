"""Escalation figures by kind and level, and the time the customers waited for the first contact.

The escalations counted are those opened in the period (each branch's days in its own zone). The level is
the one an escalation has reached (levels only go up: supervisor, head of department, security). The time to
first contact runs from opening to the moment someone spoke with the customer: at once for a live transfer
that was answered, otherwise the recorded call back; escalations not contacted yet are counted apart.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q
from django.utils.translation import gettext

from contactcenter.deadlines.templatetags.deadlines import duration_in_words
from contactcenter.reference_labels import in_language
from escalations.models import Escalation, Level

from .base import (
    BAD,
    INFO,
    LATE,
    Cell,
    Chart,
    Column,
    ReportResult,
    Row,
    Table,
    dataset,
    local_days,
    report_branches,
    share,
)

LEVEL_COLOURS = dict(zip(Level.values, (INFO, LATE, BAD), strict=True))


@dataclass
class EscalationFiguresRow:
    label: str
    opened: int
    levels: dict[str, int]
    contacted: int
    average_wait: timedelta | None
    longest_wait: timedelta | None

    @property
    def not_contacted(self) -> int:
        return self.opened - self.contacted


def escalation_figures(user, *, date_from: date, date_to: date, branch=None) -> list[EscalationFiguresRow]:
    """By kind, in the kinds' order: one query for the branches, one aggregate."""
    branches = report_branches(user, branch)
    contacted = Q(contacted_at__isnull=False)
    figures = (
        Escalation.objects.for_user(user)
        .filter(local_days("opened_at", branches, date_from, date_to))
        .annotate(wait=ExpressionWrapper(F("contacted_at") - F("opened_at"), output_field=DurationField()))
        .order_by()
        .values("kind_id", "kind__label", "kind__label_translations", "kind__position")
        .annotate(
            opened=Count("pk"),
            contacted=Count("pk", filter=contacted),
            average_wait=Avg("wait", filter=contacted),
            longest_wait=Max("wait", filter=contacted),
            **{f"level_{level}": Count("pk", filter=Q(level=level)) for level in Level.values},
        )
        .order_by("kind__position", "kind__label")
    )
    return [
        EscalationFiguresRow(
            label=in_language(row["kind__label"], row["kind__label_translations"]),
            opened=row["opened"],
            levels={level: row[f"level_{level}"] for level in Level.values},
            contacted=row["contacted"],
            average_wait=row["average_wait"],
            longest_wait=row["longest_wait"],
        )
        for row in figures
    ]


def _total(rows: list[EscalationFiguresRow]) -> EscalationFiguresRow:
    contacted = sum(row.contacted for row in rows)
    waited = sum((row.average_wait * row.contacted for row in rows if row.average_wait is not None), timedelta())
    return EscalationFiguresRow(
        label=gettext("Total"),
        opened=sum(row.opened for row in rows),
        levels={level: sum(row.levels[level] for row in rows) for level in Level.values},
        contacted=contacted,
        average_wait=waited / contacted if contacted else None,
        longest_wait=max((row.longest_wait for row in rows if row.longest_wait is not None), default=None),
    )


def build(user, *, date_from: date, date_to: date, branch=None) -> ReportResult:
    rows = escalation_figures(user, date_from=date_from, date_to=date_to, branch=branch)
    table = Table(
        heading=gettext("kind"),
        columns=[
            Column(gettext("Opened")),
            *(Column(gettext("reached: %(level)s") % {"level": label}, with_share=True) for label in Level.labels),
            Column(gettext("not contacted yet")),
            Column(
                gettext("average time to first contact"), csv_label=gettext("average time to first contact, minutes")
            ),
            Column(
                gettext("longest time to first contact"), csv_label=gettext("longest time to first contact, minutes")
            ),
        ],
        rows=[_table_row(row) for row in rows],
        total=_table_row(_total(rows), is_total=True),
        empty=gettext("No escalation was opened in this period."),
    )
    chart = Chart(
        labels=[row.label for row in rows],
        datasets=[
            dataset(label, [row.levels[level] for row in rows], LEVEL_COLOURS[level]) for level, label in Level.choices
        ],
        stacked=True,
        horizontal=True,
        whole_numbers=True,
        unit=gettext("escalations"),
    )
    notes = [
        gettext("Escalations opened in the period; the level is the highest one reached."),
        gettext("Time to first contact: from opening to the live transfer answered or the recorded call back."),
    ]
    return ReportResult(rows=rows, table=table, chart=chart, notes=notes)


def _minutes(wait: timedelta | None) -> Cell:
    if wait is None:
        return Cell(None, text="—")
    return Cell(round(wait.total_seconds() / 60, 1), text=duration_in_words(wait))


def _table_row(row: EscalationFiguresRow, *, is_total: bool = False) -> Row:
    cells = [
        Cell(row.opened),
        *(Cell(row.levels[level], share=share(row.levels[level], row.opened)) for level in Level.values),
        Cell(row.not_contacted),
        _minutes(row.average_wait),
        _minutes(row.longest_wait),
    ]
    return Row(label=row.label, cells=cells, is_total=is_total)
