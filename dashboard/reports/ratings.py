"""The customers' ratings: of the questionnaires sent in the period (each branch's days in its own zone), how
many were answered, the share whose problem was solved and the average rating, by kind of case, branch, operator
or week.

- answered: a share of the questionnaires sent;
- solved: a share of the answered ones ("was your problem solved?" answered yes);
- average rating: of the answered ones, 1 to 5; rated 1–2: a share of the answered ones.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from feedback.models import Kind, Questionnaire
from feedback.services import FOLLOW_UP_AT_MOST

from .base import (
    INFO,
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
    share,
    week_label,
    with_week,
)

GROUPINGS = {
    "kind": _("kind of case"),
    "branch": _("branch"),
    "operator": _("operator"),
    "week": _("week"),
}


@dataclass
class RatingRow:
    label: str
    sent: int
    answered: int
    solved: int
    rating_sum: int
    low: int

    @property
    def answered_share(self) -> float | None:
        return share(self.answered, self.sent) if self.sent else None

    @property
    def solved_share(self) -> float | None:
        return share(self.solved, self.answered) if self.answered else None

    @property
    def low_share(self) -> float | None:
        return share(self.low, self.answered) if self.answered else None

    @property
    def average(self) -> float | None:
        return round(self.rating_sum / self.answered, 2) if self.answered else None


def customer_ratings(user, *, date_from: date, date_to: date, branch=None, group_by: str = "kind") -> list[RatingRow]:
    """One aggregate query (and one for the branches). Weeks start on Monday in the chosen branch's zone, or in
    the server's when the report covers several branches."""
    branches = report_branches(user, branch)
    questionnaires = Questionnaire.objects.for_user(user).filter(local_days("sent_at", branches, date_from, date_to))
    group_fields = {
        "kind": ["kind"],
        "branch": ["branch__code"],
        "operator": person_fields("operator"),
        "week": ["week"],
    }[group_by]
    if group_by == "week":
        questionnaires = with_week(questionnaires, "sent_at", branch)
    answered = Q(answered_at__isnull=False)
    rows = (
        questionnaires.order_by()
        .values(*group_fields)
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=answered),
            solved=Count("pk", filter=answered & Q(solved=True)),
            rating_sum=Sum("rating", filter=answered, default=0),
            low=Count("pk", filter=answered & Q(rating__lte=FOLLOW_UP_AT_MOST)),
        )
        .order_by(*group_fields)
    )
    return [
        RatingRow(
            label=_label(group_by, row),
            sent=row["sent"],
            answered=row["answered"],
            solved=row["solved"],
            rating_sum=row["rating_sum"],
            low=row["low"],
        )
        for row in rows
    ]


def _label(group_by: str, row: dict) -> str:
    if group_by == "kind":
        return str(Kind(row["kind"]).label).capitalize()
    if group_by == "branch":
        return row["branch__code"]
    if group_by == "operator":
        return person_label(row, "operator", _("nobody named"))
    return week_label(row["week"])


def build(user, *, date_from: date, date_to: date, branch=None, group_by: str = "kind") -> ReportResult:
    rows = customer_ratings(user, date_from=date_from, date_to=date_to, branch=branch, group_by=group_by)
    total = RatingRow(
        label=gettext("Total"),
        **{key: sum(getattr(row, key) for row in rows) for key in ("sent", "answered", "solved", "rating_sum", "low")},
    )
    table = Table(
        heading=GROUPINGS[group_by],
        columns=[
            Column(gettext("Questionnaires sent")),
            Column(gettext("answered"), with_share=True),
            Column(gettext("problem solved"), with_share=True),
            Column(gettext("average rating")),
            Column(gettext("rated 1–2"), with_share=True),
        ],
        rows=[_table_row(row) for row in rows],
        total=_table_row(total, is_total=True),
        empty=gettext("No questionnaire was sent in this period."),
    )
    chart = Chart(
        labels=[row.label for row in rows],
        datasets=[dataset(gettext("average rating"), [row.average for row in rows], INFO)],
        horizontal=True,
        max=5,
    )
    notes = [
        gettext("Questionnaires sent in the period, answered since or not."),
        gettext("Problem solved and rated 1–2: shares of the answered questionnaires; the rating runs from 1 to 5."),
    ]
    return ReportResult(rows=rows, table=table, chart=chart, notes=notes)


def _table_row(row: RatingRow, *, is_total: bool = False) -> Row:
    cells = [
        Cell(row.sent),
        Cell(row.answered, share=row.answered_share),
        Cell(row.solved, share=row.solved_share),
        Cell(row.average),
        Cell(row.low, share=row.low_share),
    ]
    return Row(label=row.label, cells=cells, is_total=is_total)
