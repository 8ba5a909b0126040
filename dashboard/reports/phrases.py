"""Standard phrases used: how many times each phrase was inserted into a text field, by form.

Counted are the insertions (each click on "Insert" beside a callback attempt, an escalation or a complaint
answer) made in the period, on each branch's own days; every phrase of the library is listed, the unused
ones with nothing, so that the figures show which phrases are used and which are not. An insertion for no
branch (a person of several branches, on the new-escalation form before choosing one) counts in no report.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext

from phrases.models import Phrase, PhraseUse, Place

from .base import INFO, Cell, Chart, Column, ReportResult, Row, Table, dataset, local_days, report_branches

CHART_PHRASES = 15  # the chart shows the most used; the table and the CSV every phrase


@dataclass
class PhraseFiguresRow:
    label: str
    situation: str
    language: str
    by_place: dict[str, int]
    language_code: str = ""

    @property
    def total(self) -> int:
        return sum(self.by_place.values())


def phrase_figures(user, *, date_from: date, date_to: date, branch=None) -> list[PhraseFiguresRow]:
    """Every phrase with its insertions per form, most used first: one query for the branches, one for the
    phrases, one aggregate."""
    branches = report_branches(user, branch)
    counts = (
        PhraseUse.objects.filter(local_days("used_at", branches, date_from, date_to))
        .order_by()
        .values("phrase_id")
        .annotate(**{place: Count("pk", filter=Q(place=place)) for place in Place.values})
    )
    by_phrase = {row.pop("phrase_id"): row for row in counts}
    rows = [
        PhraseFiguresRow(
            label=phrase.text,
            situation=phrase.get_situation_display(),
            language=phrase.get_language_display(),
            language_code=phrase.language,
            by_place=by_phrase.get(phrase.pk, dict.fromkeys(Place.values, 0)),
        )
        for phrase in Phrase.objects.order_by("language", "situation", "position", "pk")
        if phrase.is_active or phrase.pk in by_phrase
    ]
    return sorted(rows, key=lambda row: -row.total)


def build(user, *, date_from: date, date_to: date, branch=None) -> ReportResult:
    rows = phrase_figures(user, date_from=date_from, date_to=date_to, branch=branch)
    totals = {place: sum(row.by_place[place] for row in rows) for place in Place.values}
    table = Table(
        heading=gettext("phrase"),
        columns=[
            Column(gettext("situation")),
            Column(gettext("language")),
            *[Column(str(label)) for label in Place.labels],
            Column(gettext("Total")),
        ],
        rows=[_table_row(row) for row in rows],
        total=Row(
            label=gettext("Total"),
            cells=[Cell(""), Cell(""), *[Cell(totals[place]) for place in Place.values], Cell(sum(totals.values()))],
            is_total=True,
        ),
        empty=gettext("The library has no phrase yet."),
    )
    used = [row for row in rows if row.total][:CHART_PHRASES]
    chart = Chart(
        labels=[row.label if len(row.label) <= 50 else f"{row.label[:47]}…" for row in used],
        datasets=[dataset(gettext("times inserted"), [row.total for row in used], INFO)],
        horizontal=True,
        whole_numbers=True,
    )
    notes = [
        gettext("Each click on “Insert” beside a text field counts once, whether the form was then saved or not."),
        gettext("The chart shows the %(count)d most used phrases; the table lists every phrase.")
        % {"count": CHART_PHRASES},
    ]
    return ReportResult(rows=rows, table=table, chart=chart, notes=notes)


def _table_row(row: PhraseFiguresRow) -> Row:
    cells = [Cell(row.situation), Cell(row.language), *[Cell(row.by_place[place]) for place in Place.values]]
    return Row(label=row.label, cells=[*cells, Cell(row.total)], language=row.language_code)
