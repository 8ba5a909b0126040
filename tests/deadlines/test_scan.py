from datetime import timedelta
from functools import partial

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcenter.alerts.models import Alert
from contactcenter.alerts.services import create_alerts
from contactcenter.deadlines import services
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.rules import ClockRule
from contactcenter.deadlines.scan import scan_deadlines
from tests.concurrency import at_once
from tests.factories import ClockPolicyFactory, CustomerFactory
from tests.moments import moscow as at


def alerts_at(level, reminder=0):
    return set(Alert.objects.filter(level=level, reminder=reminder).values_list("recipient__username", flat=True))


def scan_at(*moment):
    with time_machine.travel(at(*moment), tick=False):
        return scan_deadlines()


def test_a_clock_whole_life(case, msk, people, policy):
    """Monday 09:00, four calendar hours: due soon at 12:00 (75 %), overdue at 13:00, reminded hourly within
    working hours, overdue for long at 17:00 (four hours), met late on Tuesday."""
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        clock = services.open_clock(
            case=case, kind="test_clock", branch=msk, rule=ClockRule.calendar_hours(4), owner=people["owner"]
        )

    assert scan_at(2026, 11, 23, 11, 59).changed == 0

    assert scan_at(2026, 11, 23, 12, 0).due_soon == 1
    assert alerts_at("due_soon") == {"op"}

    assert scan_at(2026, 11, 23, 13, 0).overdue == 1
    assert alerts_at("overdue") == {"op", "sup", "lead"}
    clock.refresh_from_db()
    assert (clock.state, clock.next_reminder_at) == ("overdue", at(2026, 11, 23, 14, 0))

    assert scan_at(2026, 11, 23, 13, 30).changed == 0
    assert scan_at(2026, 11, 23, 14, 0).reminders == 1
    assert alerts_at("overdue", reminder=1) == {"op", "sup", "lead"}

    scan_at(2026, 11, 23, 15, 0)
    scan_at(2026, 11, 23, 16, 0)
    result = scan_at(2026, 11, 23, 17, 0)
    assert (result.long_overdue, result.reminders) == (1, 1)
    assert alerts_at("long_overdue") == {"boss", "deputy"}

    scan_at(2026, 11, 23, 18, 0)
    clock.refresh_from_db()
    assert clock.reminders_sent == 5
    assert clock.next_reminder_at == at(2026, 11, 24, 9, 0), "no reminder outside working hours"
    assert scan_at(2026, 11, 23, 23, 0).changed == 0
    assert alerts_at("long_overdue", reminder=5) == {"boss", "deputy"}

    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        met = services.meet_clock(case=case, kind="test_clock")
    assert (met.state, met.met_late, met.next_reminder_at) == ("met", True, None)
    assert scan_at(2026, 11, 24, 12, 0).changed == 0


def test_a_clock_nobody_owns_warns_the_supervisors(case, msk, people, policy):
    services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 23, 13, 0),
        opened_at=at(2026, 11, 23, 9, 0),
    )
    scan_at(2026, 11, 23, 12, 30)
    assert alerts_at("due_soon") == {"sup", "lead"}


def test_a_paused_clock_is_not_flagged(case, msk, people, policy):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        services.open_clock(case=case, kind="test_clock", branch=msk, rule=ClockRule.calendar_hours(1))
        services.pause_clock(case=case, kind="test_clock", reason="Documents", by=people["owner"])
    assert scan_at(2026, 11, 23, 15, 0).changed == 0


def test_a_moved_clock_alerts_again_in_its_new_round(case, msk, people, policy):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        services.open_clock(
            case=case, kind="test_clock", branch=msk, rule=ClockRule.calendar_hours(1), owner=people["owner"]
        )
    scan_at(2026, 11, 23, 10, 0)
    with time_machine.travel(at(2026, 11, 23, 10, 5), tick=False):
        services.move_clock(
            case=case, kind="test_clock", due_at=at(2026, 11, 23, 11, 0), by=people["owner"], reason="Agreed"
        )
    scan_at(2026, 11, 23, 11, 0)
    assert Alert.objects.filter(level="overdue", recipient__username="op").count() == 2


def test_the_scan_twice_creates_nothing_twice(case, msk, people, policy):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        services.open_clock(
            case=case, kind="test_clock", branch=msk, rule=ClockRule.calendar_hours(1), owner=people["owner"]
        )
    first = scan_at(2026, 11, 23, 10, 30)
    count = Alert.objects.count()
    assert first.overdue == 1 and count == 3
    assert scan_at(2026, 11, 23, 10, 30).changed == 0
    # A retried task that hands the same transitions over again adds nothing either.
    create_alerts(first.transitions, at(2026, 11, 23, 10, 30))
    assert Alert.objects.count() == count


def test_the_scan_costs_the_same_queries_whatever_the_number_of_quiet_clocks(msk, people, policy):
    def add_clocks(n, due):
        for _ in range(n):
            services.open_clock(
                case=CustomerFactory(branch=msk),
                kind="test_clock",
                branch=msk,
                due_at=due,
                opened_at=at(2026, 11, 23, 8, 0),
                owner=people["owner"],
            )

    def queries_of_a_scan_with_five_changing():
        Deadline.objects.filter(state="overdue").update(state="on_track", overdue_since=None, next_reminder_at=None)
        Alert.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            assert scan_deadlines(now=at(2026, 11, 23, 11, 0)).overdue == 5
        return len(queries.captured_queries)

    add_clocks(5, at(2026, 11, 23, 10, 0))
    add_clocks(10, at(2026, 12, 30, 10, 0))
    queries_of_a_scan_with_five_changing()  # the set-up it reads is kept from then on (reference_cache)
    with_ten_quiet = queries_of_a_scan_with_five_changing()
    add_clocks(200, at(2026, 12, 30, 10, 0))
    assert queries_of_a_scan_with_five_changing() == with_ten_quiet


def test_the_overdue_step_sets_the_first_reminder_in_branch_hours(msk, bud, people, policy):
    """One UPDATE flags the clocks and sets their first reminder from a (branch, kind) table: in Moscow the
    reminder an hour after 17:30 is after hours there (09:00 on Tuesday), Budapest's is within them (16:30 there)."""
    for branch in (msk, bud):
        services.open_clock(
            case=CustomerFactory(branch=branch),
            kind="test_clock",
            branch=branch,
            due_at=at(2026, 11, 23, 17, 30),
            opened_at=at(2026, 11, 23, 9, 0),
        )

    assert scan_at(2026, 11, 23, 17, 30).overdue == 2

    assert dict(Deadline.objects.values_list("branch__code", "next_reminder_at")) == {
        "MSK": at(2026, 11, 24, 9, 0),
        "BUD": at(2026, 11, 23, 18, 30),
    }


def test_a_clock_due_between_reading_the_pairs_and_flagging_still_gets_a_reminder(msk, bud, people, policy):
    """The pairs are read first; a clock of a new pair that becomes overdue before the UPDATE (opened already
    due) is flagged with the others and its reminder set afterwards."""
    services.open_clock(
        case=CustomerFactory(branch=msk),
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 23, 10, 0),
        opened_at=at(2026, 11, 23, 9, 0),
    )
    opened = []

    def open_a_clock_once_the_pairs_are_read(execute, sql, params, many, context):
        rows = execute(sql, params, many, context)
        if "GROUP BY branch_id, kind" in sql and not opened:
            opened.append(
                services.open_clock(
                    case=CustomerFactory(branch=bud),
                    kind="test_clock",
                    branch=bud,
                    due_at=at(2026, 11, 23, 10, 30),
                    opened_at=at(2026, 11, 23, 9, 0),
                )
            )
        return rows

    with connection.execute_wrapper(open_a_clock_once_the_pairs_are_read):
        assert scan_deadlines(now=at(2026, 11, 23, 11, 0)).overdue == 2

    assert opened
    assert dict(Deadline.objects.values_list("branch__code", "next_reminder_at")) == {
        "MSK": at(2026, 11, 23, 12, 0),
        "BUD": at(2026, 11, 23, 12, 0),
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_make_exactly_one_alert_each(msk, people):
    ClockPolicyFactory()
    for _ in range(40):
        services.open_clock(
            case=CustomerFactory(branch=msk),
            kind="test_clock",
            branch=msk,
            due_at=at(2026, 11, 23, 10, 0),
            opened_at=at(2026, 11, 23, 8, 0),
            owner=people["owner"],
        )
    scan = partial(scan_deadlines, now=at(2026, 11, 23, 11, 0))
    results, errors = at_once(scan, scan)
    assert not errors
    assert sum(result.overdue for result in results) == 40
    assert Alert.objects.count() == 40 * 3
    assert Alert.objects.values("deadline", "level", "reminder", "recipient").distinct().count() == 40 * 3


def test_long_overdue_limit_is_per_kind(case, msk, people, policy):
    ClockPolicyFactory(kind="slow_clock", long_overdue_after=timedelta(days=2))
    other = CustomerFactory(branch=msk)
    for target, kind in ((case, "test_clock"), (other, "slow_clock")):
        services.open_clock(
            case=target, kind=kind, branch=msk, due_at=at(2026, 11, 23, 10, 0), opened_at=at(2026, 11, 23, 9, 0)
        )
    result = scan_at(2026, 11, 23, 15, 0)
    assert (result.overdue, result.long_overdue) == (2, 1)
    assert Deadline.objects.get(kind="test_clock").long_overdue_at is not None
    assert Deadline.objects.get(kind="slow_clock").long_overdue_at is None
