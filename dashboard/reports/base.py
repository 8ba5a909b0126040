"""What every report shares: the days of each branch's own zone, and the table that is shown beside the
chart, exported as CSV and drawn as the chart's numbers.

A report is a function of the user and the filter form's values that returns a ``ReportResult``: its own
rows (for whoever wants the figures as objects), the ``Table`` the page and the CSV show, and the ``Chart``.
It aggregates in the database in a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.db.models.functions import TruncWeek

from contactcenter import exports
from contactcenter.directory.models import Branch
from contactcenter.typed_dates import check_period

# The colours of the charts, from Bootstrap's palette, in the order of the series they stand for.
GOOD, LATE, BAD, NEUTRAL, INFO, DARK = "#198754", "#ffc107", "#dc3545", "#adb5bd", "#0d6efd", "#6f42c1"


def share(part: int | float, whole: int | float) -> float:
    """``part`` as a percentage of ``whole``, one decimal; 0 when there is no whole."""
    return round(100 * part / whole, 1) if whole else 0.0


def report_branches(user, branch: Branch | None) -> list[Branch]:
    """The branches a report covers: the one chosen, or every branch the user may see (one query)."""
    return [branch] if branch is not None else list(Branch.objects.for_user(user).order_by("code"))


def local_days(field_name: str, branches: Iterable[Branch], date_from: date, date_to: date) -> Q:
    """Rows whose ``field_name`` falls on the days ``date_from`` to ``date_to`` (both included) of their own
    branch's calendar: a Yekaterinburg day starts two hours before a Moscow one.

    One condition per time zone, not per branch, so the query stays short; no branch matches nothing.
    """
    check_period(date_from, date_to)
    by_zone: dict[str, list[int]] = defaultdict(list)
    for branch in branches:
        by_zone[branch.time_zone].append(branch.pk)
    condition = Q(pk__in=[])
    for zone, ids in by_zone.items():
        tz = ZoneInfo(zone)
        start = datetime.combine(date_from, time.min, tzinfo=tz)
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
        condition |= Q(branch_id__in=ids, **{f"{field_name}__gte": start, f"{field_name}__lt": end})
    return condition


def person_fields(relation: str) -> list[str]:
    """The values a report groups a person by (``relation``: "owner", "operator"), for ``person_label``."""
    return [f"{relation}__username", f"{relation}__first_name", f"{relation}__last_name"]


def person_label(row: dict, relation: str, nobody) -> str:
    """A grouped row's person by name (their username when they have none), ``nobody`` for rows without one."""
    if row[f"{relation}__username"] is None:
        return str(nobody)
    name = f"{row[f'{relation}__first_name']} {row[f'{relation}__last_name']}".strip()
    return name or row[f"{relation}__username"]


def with_week(queryset, field_name: str, branch: Branch | None):
    """``week``: the Monday of ``field_name``'s week in the chosen branch's zone, or the server's when the report
    covers several branches; ``week_label`` names it."""
    return queryset.annotate(week=TruncWeek(field_name, tzinfo=branch.tz if branch is not None else None))


def week_label(week) -> str:
    return week.date().isoformat() if isinstance(week, datetime) else str(week)


@dataclass
class Cell:
    """One figure: a count or a measure, with its share of the row in per cent, or a text to show."""

    value: int | float | str | None
    share: float | None = None
    text: str | None = None

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        return "" if self.value is None else str(self.value)


@dataclass
class Column:
    label: str
    with_share: bool = False
    csv_label: str | None = None  # when the CSV holds the figure in another form (minutes for a duration)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False
    # The language of the label when it is a text written in one (a standard phrase), for the page to say so.
    language: str = ""


@dataclass
class Table:
    """The numbers of a chart, as a table; ``heading`` names what a row is (a branch, a reason…)."""

    heading: str
    columns: list[Column]
    rows: list[Row]
    empty: str
    total: Row | None = None

    def download_columns(self) -> list[exports.Column]:
        """The CSV's columns: what a row is, then each figure; a column with shares gets a second, "…, %"."""
        columns = [exports.Column(str(self.heading).capitalize(), lambda row: row.label)]
        for index, column in enumerate(self.columns):
            label = column.csv_label or column.label
            columns.append(exports.Column(label, lambda row, index=index: row.cells[index].value))
            if column.with_share:
                columns.append(exports.Column(f"{label}, %", lambda row, index=index: row.cells[index].share))
        return columns

    def with_columns(self, row: Row) -> list[tuple[Cell, Column]]:
        return list(zip(row.cells, self.columns, strict=True))

    @property
    def labelled_rows(self) -> list[tuple[Row, list[tuple[Cell, Column]]]]:
        """Each row with its cells beside their columns: on a phone, where the headings are hidden, each figure
        says which column it is."""
        return [(row, self.with_columns(row)) for row in self.rows]

    @property
    def labelled_total(self) -> list[tuple[Cell, Column]]:
        return self.with_columns(self.total) if self.total else []

    def download_rows(self) -> list[Row]:
        """The CSV's rows: the table's, the total last."""
        return [*self.rows, *([self.total] if self.total and self.rows else [])]


@dataclass
class Chart:
    """What Chart.js draws: a bar chart, one dataset per series; ``unit`` is shown on the value axis."""

    labels: list[str]
    datasets: list[dict]
    stacked: bool = False
    horizontal: bool = False
    max: float | None = None
    unit: str = ""
    whole_numbers: bool = False  # counts: no 0.5 on the axis

    def as_json(self) -> dict:
        return {
            "labels": self.labels,
            "datasets": self.datasets,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "max": self.max,
            "unit": self.unit,
            "whole_numbers": self.whole_numbers,
        }


def dataset(label, data: list, colour: str) -> dict:
    return {"label": str(label), "data": data, "backgroundColor": colour}


@dataclass
class ReportResult:
    rows: list
    table: Table
    chart: Chart
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """A report as the pages know it: its address's name, title, filter form and the function that builds it."""

    slug: str
    title: str
    summary: str
    form_class: type
    build: Callable[..., ReportResult]

    @property
    def url_name(self) -> str:
        return f"dashboard:{self.slug}"
