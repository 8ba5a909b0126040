"""The "promises kept" report: counts and shares per group, scoped, as a page and as CSV, at a fixed cost."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contactcenter.deadlines.scan import scan_deadlines
from contactcenter.deadlines.services import cancel_clock, end_clock_not_kept, meet_clock, open_clock
from tests.downloads import csv_rows
from tests.factories import ClockPolicyFactory, ComplaintFactory, UserFactory
from tests.moments import moscow


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def clocks(msk, operator):
    """Makes answer clocks of Moscow complaints, due an hour ago: met on time, met late or left overdue."""
    ClockPolicyFactory(kind="promise_test", label="Answer")

    def make(outcome, branch=msk):
        complaint = ComplaintFactory(branch=branch)
        now = timezone.now()
        due_at = now - timedelta(hours=1)
        open_clock(
            case=complaint,
            kind="promise_test",
            branch=branch,
            owner=operator,
            opened_at=now - timedelta(days=2),
            due_at=due_at,
        )
        if outcome == "on_time":
            meet_clock(case=complaint, kind="promise_test", at=due_at - timedelta(minutes=5))
        elif outcome == "late":
            meet_clock(case=complaint, kind="promise_test", at=now)
        elif outcome == "not_kept":
            end_clock_not_kept(case=complaint, kind="promise_test", reason="turned into a complaint")
        elif outcome == "cancelled":
            cancel_clock(case=complaint, kind="promise_test", reason="customer declined")
        return complaint

    return make


def test_counts_and_shares_by_kind(client, supervisor, clocks):
    for outcome in ("on_time", "on_time", "late", "open"):
        clocks(outcome)
    scan_deadlines()
    client.force_login(supervisor)
    response = client.get(reverse("dashboard:promises"))
    [row] = response.context["rows"]
    assert (row.label, row.total, row.met_on_time, row.met_late, row.open_overdue) == ("Answer", 4, 2, 1, 1)
    assert row.shares["met_on_time"] == 50.0
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in response.content.decode()


@pytest.mark.parametrize("group_by", ["kind", "branch", "owner", "week"])
def test_every_grouping_adds_up(client, supervisor, clocks, group_by):
    clocks("on_time")
    clocks("open")
    client.force_login(supervisor)
    rows = client.get(reverse("dashboard:promises"), {"group_by": group_by}).context["rows"]
    assert sum(row.total for row in rows) == 2
    assert sum(row.met_on_time for row in rows) == 1


def test_another_branch_is_not_counted(client, supervisor, clocks, bud):
    clocks("on_time", branch=bud)
    client.force_login(supervisor)
    assert client.get(reverse("dashboard:promises")).context["rows"] == []


def test_an_operator_may_not_see_the_report(client, operator):
    client.force_login(operator)
    assert client.get(reverse("dashboard:promises")).status_code == 403


def test_the_csv_has_the_table_and_its_total(client, supervisor, clocks):
    clocks("late")
    client.force_login(supervisor)
    response = client.get(reverse("dashboard:promises"), {"group_by": "kind", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="promises.csv"'
    lines = csv_rows(response)
    assert lines[0][:5] == ["Kind of clock", "Clocks", "met on time", "met on time, %", "met late"]
    assert lines[1] == ["Answer", "1", "0", "0.0", "1", "100.0", "0", "0.0", "0", "0.0", "0", "0.0", "0", "0.0", "0.0"]
    assert lines[2] == ["Total", "1", "0", "0.0", "1", "100.0", "0", "0.0", "0", "0.0", "0", "0.0", "0", "0.0", "0.0"]


def test_a_day_is_the_branch_s_own_day(client, deputy, clocks, msk):
    """A Moscow clock due at 01:30 on 24 November Moscow time is due on the 24th, though it is still the 23rd
    in UTC (the server's zone)."""
    ClockPolicyFactory(kind="promise_test", label="Answer")
    complaint = ComplaintFactory(branch=msk)
    open_clock(
        case=complaint,
        kind="promise_test",
        branch=msk,
        opened_at=moscow(2026, 11, 20, 12, 0),
        due_at=moscow(2026, 11, 24, 1, 30),
    )
    client.force_login(deputy)
    on_the_23rd = client.get(reverse("dashboard:promises"), {"date_from": "2026-11-23", "date_to": "2026-11-23"})
    on_the_24th = client.get(reverse("dashboard:promises"), {"date_from": "2026-11-24", "date_to": "2026-11-24"})
    assert on_the_23rd.context["rows"] == []
    assert [row.total for row in on_the_24th.context["rows"]] == [1]


@pytest.mark.parametrize("group_by", ["kind", "owner", "week"])
def test_the_cost_does_not_grow_with_the_rows(client, supervisor, clocks, group_by, bud):
    client.force_login(supervisor)
    clocks("on_time")
    client.get(reverse("dashboard:promises"), {"group_by": group_by})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard:promises"), {"group_by": group_by})
    for outcome in ("on_time", "late", "open") * 8:
        clocks(outcome)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dashboard:promises"), {"group_by": group_by})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_paused_clocks_are_counted_apart_with_the_time_they_stood_still(client, supervisor, clocks):
    """Two open clocks overdue, one of them paused two hours ago after a pause of a day that ended: the paused
    one is neither overdue nor running, and the report adds up both pauses."""
    from contactcenter.deadlines.models import Deadline, PauseReason
    from contactcenter.deadlines.services import pause_clock_for_reason, resume_clock

    clocks("open")
    paused = clocks("open")
    reason = PauseReason.objects.get(label="Waiting for the customer's documents")
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=1, hours=3), tick=False):
        pause_clock_for_reason(case=paused, kind="promise_test", reason=reason, by=supervisor)
    with time_machine.travel(start - timedelta(hours=3), tick=False):
        resume_clock(case=paused, kind="promise_test", by=supervisor)
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        pause_clock_for_reason(case=paused, kind="promise_test", reason=reason, by=supervisor)
    assert Deadline.objects.exclude(paused_at=None).count() == 1
    client.force_login(supervisor)
    # The resumed pause moved the clock's due moment a day on: the period reaches to the day after tomorrow.
    today = timezone.localdate(start, moscow(2026, 1, 1, 0, 0).tzinfo)
    period = {"date_from": str(today - timedelta(days=3)), "date_to": str(today + timedelta(days=2))}
    with time_machine.travel(start, tick=False):
        response = client.get(reverse("dashboard:promises"), period)
        csv = csv_rows(client.get(reverse("dashboard:promises"), {**period, "format": "csv"}))
    [row] = response.context["rows"]
    assert (row.total, row.open_overdue, row.open_paused, row.open_on_track) == (2, 1, 1, 0)
    assert row.paused_for == timedelta(days=1, hours=2)
    page = response.content.decode()
    assert "open, paused" in page and "1 d 2 h" in page
    assert csv[0][-3:] == ["open, paused", "open, paused, %", "time paused, minutes"]
    assert csv[1][-3:] == ["1", "50.0", str(26 * 60.0)]


def test_a_promise_ended_unkept_counts_as_broken_and_a_cancelled_one_not_at_all(client, supervisor, clocks):
    for outcome in ("on_time", "not_kept", "cancelled"):
        clocks(outcome)
    client.force_login(supervisor)

    [row] = client.get(reverse("dashboard:promises")).context["rows"]

    assert (row.total, row.met_on_time, row.not_kept, row.open_on_track, row.open_overdue) == (2, 1, 1, 0, 0)
    assert row.shares["not_kept"] == 50.0
