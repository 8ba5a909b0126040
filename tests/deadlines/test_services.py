from datetime import time, timedelta

import pytest
import time_machine
from django.db import IntegrityError

from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.models import CalendarOverride
from contactcenter.calendars.services import override_save
from contactcenter.deadlines import services
from contactcenter.deadlines.models import ClockPause, Deadline
from contactcenter.deadlines.rules import ClockRule
from contactcenter.deadlines.services import ClockError
from contactcenter.directory.services import branch_calendar_basis, branch_calendar_changed
from tests.factories import ClockPolicyFactory
from tests.moments import moscow as at


def open_ten_days(case, msk, owner=None, start=None):
    return services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        rule=ClockRule.business_days(10),
        owner=owner,
        opened_at=start or at(2026, 11, 20, 15, 0),
    )


def test_open_computes_due_in_the_branch_calendar_and_warns_at_the_policy_share(case, msk, policy):
    clock = open_ten_days(case, msk)
    assert clock.due_at == at(2026, 12, 4, 18, 0)
    assert clock.warn_at == clock.opened_at + (clock.due_at - clock.opened_at) * 0.75
    assert (clock.state, clock.title, clock.case_url) == ("on_track", str(case), case.get_absolute_url())
    assert clock.rule == {"basis": "business_days", "amount": 10}


def test_a_fixed_lead_wins_over_the_share(case, msk):
    ClockPolicyFactory(kind="promised_call", warn_share=0.5, warn_lead=timedelta(minutes=10))
    clock = services.open_clock(
        case=case, kind="promised_call", branch=msk, due_at=at(2026, 11, 23, 12, 0), opened_at=at(2026, 11, 23, 9, 0)
    )
    assert clock.warn_at == at(2026, 11, 23, 11, 50)
    assert clock.rule == {"basis": "fixed"}


def test_next_business_day_at_for_forwarding(case, msk, policy):
    clock = services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        rule=ClockRule.next_business_day_at(time(11)),
        opened_at=at(2026, 11, 20, 15, 0),
    )
    assert clock.due_at == at(2026, 11, 23, 11, 0)


@pytest.mark.parametrize("kwargs", [{}, {"rule": ClockRule.business_days(1), "due_at": at(2030, 1, 1, 0, 0)}])
def test_open_needs_exactly_one_of_rule_and_due(case, msk, policy, kwargs):
    with pytest.raises(TypeError):
        services.open_clock(case=case, kind="test_clock", branch=msk, **kwargs)


def test_open_refuses_a_due_moment_before_the_start_and_an_unknown_kind(case, msk, policy):
    with pytest.raises(ClockError):
        services.open_clock(
            case=case, kind="test_clock", branch=msk, due_at=at(2026, 1, 1, 0, 0), opened_at=at(2026, 2, 1, 0, 0)
        )
    with pytest.raises(ClockError):
        services.open_clock(case=case, kind="no_such_kind", branch=msk, rule=ClockRule.calendar_hours(1))
    assert not Deadline.objects.exists()


def test_one_open_clock_per_kind_and_case(case, msk, policy):
    open_ten_days(case, msk)
    with pytest.raises(IntegrityError):
        open_ten_days(case, msk)


def test_met_on_time_and_met_late(case, msk, policy):
    clock = open_ten_days(case, msk)
    met = services.meet_clock(case=case, kind="test_clock", at=at(2026, 12, 4, 17, 59))
    assert (met.state, met.met_late) == ("met", False)
    open_ten_days(case, msk)
    late = services.meet_clock(case=case, kind="test_clock", at=at(2026, 12, 4, 18, 1))
    assert (late.state, late.met_late) == ("met", True)
    assert clock.pk != late.pk


def test_meeting_a_clock_that_is_not_open_is_refused(case, policy):
    with pytest.raises(ClockError):
        services.meet_clock(case=case, kind="test_clock")


def test_pause_time_does_not_count(case, msk, operator, policy):
    with time_machine.travel(at(2026, 11, 20, 15, 0), tick=False):
        clock = open_ten_days(case, msk)
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        services.pause_clock(case=case, kind="test_clock", reason="Waiting for the customer's documents", by=operator)
    with time_machine.travel(at(2026, 11, 25, 10, 0), tick=False):
        resumed = services.resume_clock(case=case, kind="test_clock", by=operator)
    assert resumed.due_at == clock.due_at + timedelta(days=2)
    assert resumed.paused_total == timedelta(days=2)
    pause = ClockPause.objects.get()
    assert (pause.reason, pause.started_by, pause.ended_by) == (
        "Waiting for the customer's documents",
        operator,
        operator,
    )
    assert list(AuditEntry.objects.for_target(case).values_list("action", flat=True).order_by("at")) == [
        "clock.paused",
        "clock.resumed",
    ]


def test_a_pause_needs_a_reason_and_cannot_be_doubled(case, msk, operator, policy):
    open_ten_days(case, msk)
    with pytest.raises(ClockError):
        services.pause_clock(case=case, kind="test_clock", reason="  ", by=operator)
    services.pause_clock(case=case, kind="test_clock", reason="Documents", by=operator)
    with pytest.raises(ClockError):
        services.pause_clock(case=case, kind="test_clock", reason="Again", by=operator)
    with pytest.raises(ClockError):
        services.resume_clock(case=case, kind="other", by=operator)


def test_move_starts_a_new_round(case, msk, operator, policy):
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        clock = open_ten_days(case, msk)
        Deadline.objects.filter(pk=clock.pk).update(state="overdue")
        moved = services.move_clock(
            case=case, kind="test_clock", due_at=at(2026, 12, 8, 12, 0), by=operator, reason="Customer asked"
        )
    assert (moved.state, moved.round, moved.due_at) == ("on_track", 2, at(2026, 12, 8, 12, 0))
    assert AuditEntry.objects.for_target(case).get().action == "clock.moved"


def test_move_into_the_past_is_refused(case, msk, operator, policy):
    open_ten_days(case, msk)
    with pytest.raises(ClockError):
        services.move_clock(case=case, kind="test_clock", due_at=at(2020, 1, 1, 0, 0), by=operator, reason="x")


def test_cancel(case, msk, operator, policy):
    open_ten_days(case, msk)
    clock = services.cancel_clock(case=case, kind="test_clock", reason="Withdrawn", by=operator)
    assert (clock.state, clock.cancel_reason) == ("cancelled", "Withdrawn")
    assert not Deadline.objects.open().exists()


class TestCalendarChange:
    """The documented rule of ``recompute_for_calendar_change``."""

    def make_day_off(self, msk, day, admin):
        override_save(override=CalendarOverride(date=day, branch=msk, is_working=False, note="Flood"), by=admin)

    def test_a_new_day_off_inside_the_window_moves_a_business_clock(self, case, msk, operator, policy):
        clock = open_ten_days(case, msk)
        self.make_day_off(msk, at(2026, 11, 25, 0, 0).date(), operator)
        clock.refresh_from_db()
        assert clock.due_at == at(2026, 12, 7, 18, 0)
        assert clock.round == 2
        entry = AuditEntry.objects.for_target(case).get(action="clock.recomputed")
        assert entry.changes["test_clock.due_at"][1] == "2026-12-07T18:00:00+03:00"

    def test_a_day_off_outside_the_window_or_another_branch_moves_nothing(self, case, msk, bud, operator, policy):
        clock = open_ten_days(case, msk)
        self.make_day_off(msk, at(2026, 12, 10, 0, 0).date(), operator)
        self.make_day_off(bud, at(2026, 11, 25, 0, 0).date(), operator)
        clock.refresh_from_db()
        assert clock.due_at == at(2026, 12, 4, 18, 0)

    def test_new_weekly_hours_move_the_branch_s_business_clocks(self, case, msk, bud, operator, policy):
        """Fridays become days off in Moscow: ten business days from Friday 20 November now end on 8 December."""
        clock = open_ten_days(case, msk)
        before = branch_calendar_basis(msk)
        msk.working_hours.filter(weekday=4).delete()
        assert branch_calendar_changed(branch=msk, before=before, by=operator) is True
        clock.refresh_from_db()
        assert clock.due_at == at(2026, 12, 8, 18, 0)
        entry = AuditEntry.objects.for_target(msk).get(action="branch.calendar_changed")
        assert entry.changes == {"hours": [before["hours"], branch_calendar_basis(msk)["hours"]]}

    def test_a_branch_change_that_leaves_its_calendar_alone_moves_nothing(self, case, msk, operator, policy):
        clock = open_ten_days(case, msk)
        before = branch_calendar_basis(msk)
        msk.name = "Moscow, Arbat"
        msk.save()
        assert branch_calendar_changed(branch=msk, before=before, by=operator) is False
        clock.refresh_from_db()
        assert clock.due_at == at(2026, 12, 4, 18, 0)
        assert not AuditEntry.objects.filter(action="branch.calendar_changed").exists()

    def test_fixed_met_and_paused_clocks_are_never_moved(self, case, msk, operator, policy):
        other = type(case).objects.create(branch=msk, full_name="B", phone="+79160000001")
        third = type(case).objects.create(branch=msk, full_name="C", phone="+79160000002")
        fixed = services.open_clock(
            case=case, kind="test_clock", branch=msk, due_at=at(2026, 12, 4, 18, 0), opened_at=at(2026, 11, 20, 15, 0)
        )
        open_ten_days(other, msk)
        services.meet_clock(case=other, kind="test_clock", at=at(2026, 11, 21, 10, 0))
        paused = open_ten_days(third, msk)
        services.pause_clock(case=third, kind="test_clock", reason="Documents", by=operator)
        self.make_day_off(msk, at(2026, 11, 25, 0, 0).date(), operator)
        for clock in (fixed, paused):
            clock.refresh_from_db()
            assert clock.due_at == at(2026, 12, 4, 18, 0)
        assert Deadline.objects.get(object_id=other.pk).due_at == at(2026, 12, 4, 18, 0)


def test_the_case_may_set_its_own_warning_moment_within_the_clock(case, msk, policy):
    clock = services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 25, 9, 0),
        opened_at=at(2026, 11, 23, 9, 0),
        warn_at=at(2026, 11, 24, 9, 0),
    )
    assert clock.warn_at == at(2026, 11, 24, 9, 0)
    services.meet_clock(case=case, kind="test_clock")
    early = services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 25, 9, 0),
        opened_at=at(2026, 11, 23, 9, 0),
        warn_at=at(2026, 11, 1, 9, 0),
    )
    assert early.warn_at == at(2026, 11, 23, 9, 0), "never before the clock starts"
