"""Callback figures by reason: how many attempts a solved callback takes, how many are solved on the first
contact, how many customers could not be reached.

The callbacks counted are those registered in the period (each branch's days in its own zone), whatever
they became since. Definitions, as the page states them:

- attempts per solved callback: every attempt logged on the solved callbacks, divided by their number;
- solved on the first contact: a solved callback whose first attempt that reached the customer solved it
  (tries that did not reach anyone before it do not count against it), as a share of the solved ones;
- unreachable: callbacks closed as unreachable, as a share of those closed either way (solved or
  unreachable); open and cancelled ones are shown but not in either share.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from callbacks.models import Callback, ContactAttempt
from contactcenter.reference_labels import in_language

from .base import BAD, GOOD, Cell, Chart, Column, ReportResult, Row, Table, dataset, local_days, report_branches, share

STATUS = Callback.Status


@dataclass
class CallbackFiguresRow:
    label: str
    registered: int
    open: int
    solved: int
    unreachable: int
    cancelled: int
    attempts_on_solved: int
    solved_first_contact: int

    @property
    def attempts_per_solved(self) -> float | None:
        return round(self.attempts_on_solved / self.solved, 1) if self.solved else None

    # A share of nothing is no figure: "0 % solved on the first contact" would say something that did not happen.
    @property
    def first_contact_share(self) -> float | None:
        return share(self.solved_first_contact, self.solved) if self.solved else None

    @property
    def unreachable_share(self) -> float | None:
        closed = self.solved + self.unreachable
        return share(self.unreachable, closed) if closed else None


def _count_attempts(**conditions) -> Coalesce:
    """The number of a callback's attempts (matching ``conditions``), as a correlated subquery."""
    attempts = (
        ContactAttempt.objects.filter(callback=OuterRef("pk"), **conditions)
        .order_by()
        .values("callback")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(attempts, output_field=IntegerField()), 0)


def callback_figures(user, *, date_from: date, date_to: date, branch=None) -> list[CallbackFiguresRow]:
    """By reason, in the reasons' order: one query for the branches, one aggregate."""
    branches = report_branches(user, branch)
    figures = (
        Callback.objects.for_user(user)
        .filter(local_days("created_at", branches, date_from, date_to))
        .annotate(
            attempts_made=_count_attempts(),
            contacts_made=_count_attempts(outcome__in=[*ContactAttempt.AGREED, ContactAttempt.Outcome.SOLVED]),
        )
        .order_by()
        .values("reason_id", "reason__label", "reason__label_translations", "reason__position")
        .annotate(
            registered=Count("pk"),
            open=Count("pk", filter=Q(status=STATUS.OPEN)),
            solved=Count("pk", filter=Q(status=STATUS.SOLVED)),
            unreachable=Count("pk", filter=Q(status=STATUS.UNREACHABLE)),
            cancelled=Count("pk", filter=Q(status=STATUS.CANCELLED)),
            attempts_on_solved=Coalesce(Sum("attempts_made", filter=Q(status=STATUS.SOLVED)), 0),
            solved_first_contact=Count("pk", filter=Q(status=STATUS.SOLVED, contacts_made=1)),
        )
        .order_by("reason__position", "reason__label")
    )
    return [
        CallbackFiguresRow(
            label=in_language(row["reason__label"], row["reason__label_translations"]),
            registered=row["registered"],
            open=row["open"],
            solved=row["solved"],
            unreachable=row["unreachable"],
            cancelled=row["cancelled"],
            attempts_on_solved=row["attempts_on_solved"],
            solved_first_contact=row["solved_first_contact"],
        )
        for row in figures
    ]


def build(user, *, date_from: date, date_to: date, branch=None) -> ReportResult:
    rows = callback_figures(user, date_from=date_from, date_to=date_to, branch=branch)
    total = CallbackFiguresRow(
        label=gettext("Total"),
        **{
            key: sum(getattr(row, key) for row in rows)
            for key in (
                "registered",
                "open",
                "solved",
                "unreachable",
                "cancelled",
                "attempts_on_solved",
                "solved_first_contact",
            )
        },
    )
    table = Table(
        heading=gettext("reason"),
        columns=[
            Column(gettext("Registered")),
            Column(gettext("open")),
            Column(gettext("solved")),
            Column(gettext("unreachable"), with_share=True),
            Column(gettext("cancelled")),
            Column(gettext("attempts per solved callback")),
            Column(gettext("solved on the first contact"), with_share=True),
        ],
        rows=[_table_row(row) for row in rows],
        total=_table_row(total, is_total=True),
        empty=gettext("No callback was registered in this period."),
    )
    chart = Chart(
        labels=[row.label for row in rows],
        datasets=[
            dataset(gettext("solved on the first contact"), [row.first_contact_share for row in rows], GOOD),
            dataset(gettext("unreachable"), [row.unreachable_share for row in rows], BAD),
        ],
        horizontal=True,
        max=100,
        unit="%",
    )
    notes = [
        gettext("Callbacks registered in the period, whatever they became since."),
        gettext(
            "Solved on the first contact: the first attempt that reached the customer solved it; "
            "a share of the solved callbacks."
        ),
        gettext("Unreachable: a share of the callbacks closed as solved or unreachable."),
    ]
    return ReportResult(rows=rows, table=table, chart=chart, notes=notes)


def _table_row(row: CallbackFiguresRow, *, is_total: bool = False) -> Row:
    cells = [
        Cell(row.registered),
        Cell(row.open),
        Cell(row.solved),
        Cell(row.unreachable, share=row.unreachable_share),
        Cell(row.cancelled),
        Cell(row.attempts_per_solved),
        Cell(row.solved_first_contact, share=row.first_contact_share),
    ]
    return Row(label=row.label, cells=cells, is_total=is_total)
