"""Complaint ageing: open complaints counted in each branch's business days, at the bucket edges."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.models import LEGAL_CLOCK, Complaint, Status
from complaints.services.registration import LEGAL_ANSWER_WITHIN
from complaints.services.workflow import legal_extension_due
from contactcenter.deadlines.services import meet_clock, move_clock, open_clock
from tests.downloads import csv_rows
from tests.factories import ComplaintFactory, UserFactory
from tests.moments import moscow

# Monday 23 November 2026, noon in Moscow. Wednesday 4 November was a public holiday.
TODAY = moscow(2026, 11, 23, 12, 0)


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


def received(branch, day: date, **fields):
    return ComplaintFactory(branch=branch, received_at=moscow(day.year, day.month, day.day, 10, 0), **fields)


def ageing(client, user, **params):
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("dashboard:ageing"), params)
    assert response.status_code == 200
    return response


def test_the_bucket_edges_count_business_days(client, supervisor, msk):
    for day in (
        date(2026, 11, 23),  # today: 0
        date(2026, 11, 16),  # Monday a week ago: 5 business days after it (17–20, 23)
        date(2026, 11, 13),  # the Friday before: 6
        date(2026, 11, 9),  # 10
        date(2026, 11, 6),  # 11
    ):
        received(msk, day)
    [row] = ageing(client, supervisor).context["rows"]
    assert (row.label, row.open, row.young, row.middle, row.old) == ("MSK", 5, 2, 2, 1)
    assert row.oldest_age == 11


def with_legal_term(complaint, *, extended_by=None, answered=False):
    """The complaint's legal clock as registration opens it; extended or stopped by an answer as asked."""
    branch = complaint.branch
    clock = open_clock(
        case=complaint, kind=LEGAL_CLOCK, branch=branch, rule=LEGAL_ANSWER_WITHIN, opened_at=complaint.received_at
    )
    if extended_by:
        due_at = legal_extension_due(branch=branch, due_at=clock.due_at, days=extended_by)
        move_clock(case=complaint, kind=LEGAL_CLOCK, due_at=due_at, by=None, reason="Extended")
        Complaint.objects.filter(pk=complaint.pk).update(legal_extension_days=extended_by)
    if answered:
        meet_clock(case=complaint, kind=LEGAL_CLOCK, at=TODAY - timedelta(days=1))
    return complaint


def test_the_legal_term_passed_counts_working_days_past_the_holiday_and_the_extension(client, supervisor, msk):
    """After Wednesday 28 October the 15th working day is Thursday 19 November (the 4th is a holiday)."""
    with time_machine.travel(moscow(2026, 10, 1, 9, 0)):
        with_legal_term(received(msk, date(2026, 10, 28), legal_term_applies=True))  # passed on the 19th
        with_legal_term(received(msk, date(2026, 10, 30), legal_term_applies=True))  # due today at closing
        with_legal_term(received(msk, date(2026, 10, 20), legal_term_applies=True), extended_by=5)  # passed
        with_legal_term(received(msk, date(2026, 10, 29), legal_term_applies=True), extended_by=5)  # till the 27th
        with_legal_term(received(msk, date(2026, 10, 2), legal_term_applies=True), answered=True)  # answered
        received(msk, date(2026, 10, 1), legal_term_applies=False)  # old, but no legal term applies
    [row] = ageing(client, supervisor).context["rows"]
    assert (row.open, row.old, row.over_legal, row.over_legal_extended) == (6, 6, 2, 1)


def test_a_branch_without_working_hours_ages_nothing_and_says_why(client, supervisor, msk):
    msk.working_hours.all().delete()
    received(msk, date(2026, 10, 1))
    response = ageing(client, supervisor)
    [row] = response.context["rows"]
    assert (row.open, row.young, row.old, row.oldest_age) == (1, 1, 0, 0)
    assert "No working hours are entered for MSK" in response.content.decode()


def test_closed_complaints_and_other_periods_are_left_out(client, supervisor, msk):
    received(msk, date(2026, 11, 20))
    received(msk, date(2026, 11, 19), status=Status.CLOSED)
    received(msk, date(2026, 9, 1))
    response = ageing(client, supervisor, date_from="2026-11-01", date_to="2026-11-23")
    [row] = response.context["rows"]
    assert row.open == 1


def test_each_branch_ages_by_its_own_calendar(client, deputy, msk, bud):
    """4 November is a public holiday in Russia, a working day in Hungary."""
    received(msk, date(2026, 10, 29))
    received(bud, date(2026, 10, 29))
    rows = {row.label: row for row in ageing(client, deputy).context["rows"]}
    # After Thursday 29 October: the 30th, a week of 4 (Moscow) or 5 (Budapest) days, two full weeks, the 23rd.
    assert (rows["MSK"].oldest_age, rows["BUD"].oldest_age) == (16, 17)
    assert (rows["MSK"].old, rows["BUD"].old) == (1, 1)


def test_another_branch_s_complaints_are_not_shown(client, supervisor, bud):
    received(bud, date(2026, 11, 20))
    assert ageing(client, supervisor).context["rows"] == []


def test_the_table_has_a_total_and_the_csv_the_same_figures(client, deputy, msk, bud):
    received(msk, date(2026, 11, 20))
    received(bud, date(2026, 11, 20))
    response = ageing(client, deputy, format="csv")
    lines = csv_rows(response)
    assert lines[0][:3] == ["Branch", "Open complaints", "0–5 business days"]
    assert [line[:3] for line in lines[1:]] == [
        ["BUD", "1", "1"],
        ["MSK", "1", "1"],
        ["Total", "2", "2"],
    ]


def test_by_default_a_complaint_open_for_years_is_still_shown(client, supervisor, msk):
    received(msk, date(2023, 12, 1))
    response = ageing(client, supervisor)
    [row] = response.context["rows"]
    assert (row.open, row.old) == (1, 1) and row.oldest_age > 700
