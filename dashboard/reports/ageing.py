"""Complaint ageing: how old the open complaints are, in each branch's business days.

A complaint's age is the number of its branch's business days after the day it was received, up to the
branch's today: received on Friday, it is 1 business day old on Monday. The buckets follow the terms:
0–5, 6–10 (the answer is due within 10), over 10. Apart from them are counted the complaints whose legal
term (15 working days, longer when it was extended) has run out without an answer: that is read from the
legal clock itself, so an extension or an answer counts exactly as it does on the complaint's page.

A branch whose calendar has no business day at all (no working hours entered yet) cannot age anything:
its complaints count as 0 days old, and a note says so.

Counting ages in the database would need each branch's calendar there. It is the other way round: for
each branch, the calendar gives the receipt day from which a complaint is at most 5 (10, 15) business
days old, and one aggregate query counts the complaints received on or after each branch's days.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, legal_term_passed
from contactcenter.calendars.business_time import calendars_for

from .base import BAD, GOOD, LATE, Cell, Chart, Column, ReportResult, Row, Table, dataset, report_branches, share

BUCKETS = (
    ("young", _("0–5 business days")),
    ("middle", _("6–10 business days")),
    ("old", _("over 10 business days")),
)
ANSWER_TERM = 10


@dataclass
class AgeingRow:
    label: str
    open: int
    young: int
    middle: int
    old: int
    over_legal: int
    over_legal_extended: int
    oldest_age: int | None

    @property
    def shares(self) -> dict[str, float]:
        return {key: share(getattr(self, key), self.open) for key, _label in BUCKETS}


def _received_since(cutoffs: dict[int, date]) -> Q:
    """Complaints received on or after their own branch's cutoff day."""
    condition = Q(pk__in=[])
    for branch_id, day in cutoffs.items():
        condition |= Q(branch_id=branch_id, received_on__gte=day)
    return condition


def _oldest_receipt_day(calendar, today: date, days: int) -> date:
    """The earliest receipt day from which a complaint is at most ``days`` business days old today; any day
    at all when the calendar has no business days."""
    try:
        return calendar.business_day_back(today, days + 1)
    except ValueError:
        return date.min


def complaint_ageing(user, *, date_from: date, date_to: date, branch=None) -> tuple[list[AgeingRow], list[str]]:
    """Open complaints of the user's branches received from ``date_from`` to ``date_to``, by branch, and
    the codes of the branches without any business day: one query for the branches, two for their
    calendars, one aggregate."""
    branches = report_branches(user, branch)
    calendars = calendars_for(branches)
    today = {b.pk: b.local_now().date() for b in branches}
    at_most = {
        days: {b.pk: _oldest_receipt_day(calendars[b.pk], today[b.pk], days) for b in branches}
        for days in (5, ANSWER_TERM)
    }
    legal_overdue = Q(legal_term_passed(timezone.now()))
    figures = (
        Complaint.objects.for_user(user)
        .open()
        .filter(branch__in=branches, received_on__gte=date_from, received_on__lte=date_to)
        .order_by()
        .values("branch_id")
        .annotate(
            open=Count("pk"),
            young=Count("pk", filter=_received_since(at_most[5])),
            not_old=Count("pk", filter=_received_since(at_most[ANSWER_TERM])),
            over_legal=Count("pk", filter=legal_overdue),
            over_legal_extended=Count("pk", filter=legal_overdue & Q(legal_extension_days__isnull=False)),
            first_received=Min("received_on"),
        )
    )
    by_branch = {row["branch_id"]: row for row in figures}
    rows, without_calendar = [], []
    for b in branches:
        row = by_branch.get(b.pk)
        if row is None:
            continue
        oldest = row["first_received"]
        if at_most[5][b.pk] == date.min:
            without_calendar.append(b.code)
        rows.append(
            AgeingRow(
                label=b.code,
                open=row["open"],
                young=row["young"],
                middle=row["not_old"] - row["young"],
                old=row["open"] - row["not_old"],
                over_legal=row["over_legal"],
                over_legal_extended=row["over_legal_extended"],
                oldest_age=calendars[b.pk].business_days_between(oldest, today[b.pk]),
            )
        )
    return rows, without_calendar


def build(user, *, date_from: date, date_to: date, branch=None) -> ReportResult:
    rows, without_calendar = complaint_ageing(user, date_from=date_from, date_to=date_to, branch=branch)
    total = AgeingRow(
        label=gettext("Total"),
        oldest_age=max((row.oldest_age for row in rows), default=None),
        **{
            key: sum(getattr(row, key) for row in rows)
            for key in ("open", "young", "middle", "old", "over_legal", "over_legal_extended")
        },
    )
    table = Table(
        heading=gettext("branch"),
        columns=[
            Column(gettext("Open complaints")),
            *(Column(label, with_share=True) for _key, label in BUCKETS),
            Column(gettext("legal term passed without an answer")),
            Column(gettext("of which the legal term was extended")),
            Column(gettext("oldest, business days")),
        ],
        rows=[_table_row(row) for row in rows],
        total=_table_row(total, is_total=True),
        empty=gettext("No open complaint was received in this period."),
    )
    chart = Chart(
        labels=[row.label for row in rows],
        datasets=[
            dataset(label, [getattr(row, key) for row in rows], colour)
            for (key, label), colour in zip(BUCKETS, (GOOD, LATE, BAD), strict=True)
        ],
        stacked=True,
        horizontal=True,
        whole_numbers=True,
        unit=gettext("complaints"),
    )
    notes = [
        gettext(
            "Age: the branch's business days after the day of receipt, up to today; closed complaints are left out."
        ),
        gettext(
            "The answer is due within 10 business days. The legal term of 15 working days applies to some "
            "complaints and may be extended once; it has passed when it ran out before an answer was given."
        ),
    ]
    if without_calendar:
        notes.append(
            gettext("No working hours are entered for %(branches)s: their complaints are counted as 0 days old.")
            % {"branches": ", ".join(without_calendar)}
        )
    return ReportResult(rows=rows, table=table, chart=chart, notes=notes)


def _table_row(row: AgeingRow, *, is_total: bool = False) -> Row:
    cells = [
        Cell(row.open),
        *(Cell(getattr(row, key), share=row.shares[key]) for key, _label in BUCKETS),
        Cell(row.over_legal),
        Cell(row.over_legal_extended),
        Cell(row.oldest_age),
    ]
    return Row(label=row.label, cells=cells, is_total=is_total)
