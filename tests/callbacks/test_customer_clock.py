"""The customer's own hours (issue 15): a customer in Vladivostok (UTC+10, seven hours ahead) of the Moscow branch
is never due, retried or offered by "Take next" outside their calling hours. These tests run on SQLite and, in
the PostgreSQL run, on PostgreSQL (the take-next filter is SQL)."""

import importlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from callbacks import services
from callbacks.models import CLOCK_KIND, Callback, ContactAttempt
from contactcenter.audit.models import AuditEntry
from contactcenter.calendars.models import CalendarOverride
from contactcenter.calendars.services import override_save
from contactcenter.deadlines.models import Deadline, PauseReason
from contactcenter.directory.models import Team, TeamHours
from contactcenter.directory.services import team_schedule_basis, team_schedule_changed
from tests.factories import CallbackReasonFactory, CustomerFactory, UserFactory
from tests.moments import moscow

VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


def vladivostok(*args) -> datetime:
    return datetime(*args, tzinfo=VLADIVOSTOK)


@pytest.fixture
def far_customer(msk):
    return CustomerFactory(branch=msk, full_name="Pyotr Dalny", phone="+74232123456", time_zone="Asia/Vladivostok")


def clock_of(callback):
    return Deadline.objects.for_case(callback).open().get()


@pytest.fixture
def wall_clock_hour(db):
    """One hour of calendar time: the clamp into calling hours, whatever the team's hours (the default "within
    the hour" counts working hours since callbacks/0008, so it would end inside them here)."""
    return CallbackReasonFactory(code="wall_clock_hour", due_after=1, unit="hours", basis="calendar")


def test_a_term_ending_at_three_at_night_their_time_is_due_at_eight(register, far_customer, wall_clock_hour):
    # Monday 19:00 in Moscow is 02:00 on Tuesday in Vladivostok; "within the hour" would end at 03:00 there.
    with time_machine.travel(moscow(2026, 11, 23, 19, 0), tick=False):
        callback = register(customer=far_customer, reason=wall_clock_hour)
    clock = clock_of(callback)
    assert clock.due_at == vladivostok(2026, 11, 24, 8, 0) == moscow(2026, 11, 24, 1, 0)
    assert callback.next_contact_at == clock.due_at
    assert clock.warn_at < clock.due_at
    assert clock.rule["basis"] == "fixed", "a moment moved into calling hours is not recomputed by a calendar change"


def test_a_term_inside_their_hours_is_left_alone(register, far_customer, wall_clock_hour):
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False):  # 17:00 in Vladivostok
        callback = register(customer=far_customer, reason=wall_clock_hour)
    assert clock_of(callback).due_at == moscow(2026, 11, 23, 11, 0)
    assert clock_of(callback).rule["basis"] == "calendar_hours", "still the reason's rule, not a fixed moment"


def test_a_retry_is_never_scheduled_at_night_their_time(register, operator, far_customer):
    reason = CallbackReasonFactory(code="hourly", retry_pause=timedelta(hours=1), vary_time_of_day=False)
    with time_machine.travel(moscow(2026, 11, 23, 13, 30), tick=False):  # 20:30 in Vladivostok
        callback = register(customer=far_customer, reason=reason, assigned_to=operator)
        services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
    callback.refresh_from_db()
    # An hour later is 21:30 there; their morning (08:00, 01:00 in Moscow) is before the branch opens, so the
    # retry is at 09:00 in Moscow, 16:00 in Vladivostok.
    assert callback.next_contact_at == moscow(2026, 11, 24, 9, 0)


def test_retries_at_other_times_of_day_stay_inside_both_hours(register, operator, far_customer):
    reason = CallbackReasonFactory(code="five_tries", retry_pause=timedelta(hours=1), attempts_before_unreachable=5)
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
        callback = register(customer=far_customer, reason=reason, assigned_to=operator)
        for _attempt in range(4):
            services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
            callback.refresh_from_db()
            retry = callback.next_contact_at
            there, here = retry.astimezone(VLADIVOSTOK), retry.astimezone(moscow(2026, 1, 1).tzinfo)
            assert 8 <= there.hour < 21, f"retry at {there:%H:%M} in Vladivostok"
            assert 9 <= here.hour < 18, f"retry at {here:%H:%M} in Moscow"
            traveller.move_to(retry)


def test_take_next_skips_them_at_night_and_offers_them_in_the_morning(register, operator, far_customer):
    with time_machine.travel(moscow(2026, 11, 23, 14, 30), tick=False) as traveller:  # 21:30 in Vladivostok
        far = register(customer=far_customer, priority=Callback.Priority.URGENT)
        near = register()
        assert services.callback_take_next(operator=operator) == near
        assert services.callback_take_next(operator=operator) is None, "their evening is over"
        far.refresh_from_db()
        assert far.assigned_to is None
        traveller.move_to(vladivostok(2026, 11, 24, 8, 0))
        assert services.callback_take_next(operator=operator) == far


def test_the_button_counts_only_the_customers_it_would_offer(register, client, operator, msk, far_customer):
    """My callbacks and My work count what "Take next" would take: the same rule as the take query."""
    client.force_login(operator)
    home_customer = CustomerFactory(branch=msk, full_name="Ivan Blizky", phone="+74951234567")

    def counts():
        mine = client.get(reverse("callbacks:mine")).context["queue"]
        home = client.get(reverse("home")).context["operator"]["queue"]
        return mine, home

    with time_machine.travel(moscow(2026, 11, 23, 14, 30), tick=False) as traveller:  # 21:30 in Vladivostok
        register(customer=far_customer)
        near = register(customer=home_customer)
        assert counts() == (1, 1), "the Vladivostok customer's evening is over"
        traveller.move_to(vladivostok(2026, 11, 24, 8, 0))  # 01:00 in Moscow: only theirs has begun
        assert counts() == (1, 1)
        assert services.callback_take_next(operator=operator).customer == far_customer
        assert counts() == (0, 0), "the Moscow customer waits for their 08:00"
        traveller.move_to(moscow(2026, 11, 24, 8, 0))
        assert counts() == (1, 1)
        assert services.callback_take_next(operator=operator) == near


def test_the_button_says_when_the_waiting_customers_may_be_called(register, client, operator, far_customer):
    client.force_login(operator)
    with time_machine.travel(moscow(2026, 11, 23, 14, 30), tick=False):  # 21:30 in Vladivostok
        register(customer=far_customer)
        response = client.post(reverse("callbacks:take-next"), follow=True)
    assert "1 callback(s) wait, but their customers are outside their calling hours now" in response.content.decode()
    assert "from 24.11.2026 01:00 your time" in response.content.decode(), "08:00 in Vladivostok"
    assert Callback.objects.get().assigned_to is None


def test_a_window_outside_their_calling_hours_needs_a_confirmation(register, far_customer):
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False):
        # 15:00 in Moscow, inside the branch's hours, is 22:00 in Vladivostok.
        with pytest.raises(ValidationError) as refused:
            register(customer=far_customer, window_start=moscow(2026, 11, 23, 15, 0))
        assert refused.value.error_dict["window_start"][0].code == "outside_calling_hours"
        assert "22:00" in refused.value.message_dict["window_start"][0]
        assert not Callback.objects.exists()
        callback = register(customer=far_customer, window_start=moscow(2026, 11, 23, 15, 0), confirm_outside_hours=True)
    assert clock_of(callback).due_at == moscow(2026, 11, 23, 15, 0), "the customer's own time wins once confirmed"


class TestMissedAttemptsWaitForTheRetry:
    """Three "no answer" logged within two seconds no longer make a customer "unreachable"."""

    @pytest.fixture
    def missed_once(self, register, operator, far_customer):
        with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:
            callback = register(customer=far_customer, assigned_to=operator)
            services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
            traveller.move_to(moscow(2026, 11, 23, 10, 0, 2))
            yield callback, traveller

    def test_a_second_no_answer_two_seconds_later_is_refused_saying_when(self, missed_once, operator):
        callback, _traveller = missed_once
        callback.refresh_from_db()
        retry = callback.next_contact_at
        for outcome in ("no_answer", "busy", "voicemail"):
            with pytest.raises(ValidationError) as refused:
                services.attempt_log(callback=callback, by=operator, outcome=outcome)
            assert refused.value.error_dict["outcome"][0].code == "before_retry"
        # The retry in the operator's (Moscow) time and the customer's (Vladivostok: seven hours ahead).
        mine, theirs = retry.astimezone(moscow(2026, 1, 1).tzinfo), retry.astimezone(VLADIVOSTOK)
        assert (
            f"{mine:%d.%m.%Y %H:%M} your time, {theirs:%H:%M} customer's time"
            in refused.value.message_dict["outcome"][0]
        )
        callback.refresh_from_db()
        assert callback.attempts.count() == 1 and callback.status == Callback.Status.OPEN
        assert callback.next_contact_at == retry

    def test_reaching_the_customer_or_a_wrong_number_is_never_refused(self, missed_once, operator):
        callback, _traveller = missed_once
        services.attempt_log(
            callback=callback, by=operator, outcome="call_later", next_contact_at=moscow(2026, 11, 23, 12, 0)
        )
        services.attempt_log(callback=callback, by=operator, outcome="no_answer")  # before 12:00, but agreed
        with pytest.raises(ValidationError):
            services.attempt_log(callback=callback, by=operator, outcome="no_answer")
        services.attempt_log(callback=callback, by=operator, outcome="wrong_number")
        callback.refresh_from_db()
        assert callback.status == Callback.Status.UNREACHABLE

    def test_three_missed_attempts_at_the_planned_retries_make_the_customer_unreachable(self, missed_once, operator):
        callback, traveller = missed_once
        for _retry in range(2):
            callback.refresh_from_db()
            traveller.move_to(callback.next_contact_at)
            services.attempt_log(callback=callback, by=operator, outcome="no_answer")
        callback.refresh_from_db()
        assert callback.status == Callback.Status.UNREACHABLE
        attempts = sorted(callback.attempts.values_list("at", flat=True))
        assert attempts[-1] - attempts[0] >= timedelta(hours=3), "spread over the day"

    def test_a_supervisor_may_log_it_earlier_with_a_reason_on_the_audit_trail(self, missed_once, msk):
        callback, _traveller = missed_once
        supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
        with pytest.raises(ValidationError) as refused:
            services.attempt_log(callback=callback, by=supervisor, outcome="no_answer", override_reason="  ")
        assert refused.value.error_dict["outcome"][0].code == "before_retry"
        services.attempt_log(
            callback=callback, by=supervisor, outcome="no_answer", override_reason="The customer's wife: try again now"
        )
        assert callback.attempts.count() == 2
        entry = AuditEntry.objects.for_target(callback).get(action="callback.retry_wait_overridden")
        assert entry.actor == supervisor and entry.note == "The customer's wife: try again now"
        assert datetime.fromisoformat(entry.changes["retry_at"][1]) == moscow(2026, 11, 23, 10, 0, 2)

    def test_an_operator_may_not_override_and_nothing_changes(self, missed_once, operator):
        callback, _traveller = missed_once
        with pytest.raises(ValidationError) as refused:
            services.attempt_log(callback=callback, by=operator, outcome="no_answer", override_reason="In a hurry")
        assert refused.value.message_dict == {
            "override_reason": ["Only a supervisor may log a missed attempt before the planned retry."]
        }
        assert callback.attempts.count() == 1
        assert not AuditEntry.objects.filter(action="callback.retry_wait_overridden").exists()

    def test_the_page_says_when_and_refuses_in_the_form(self, missed_once, client, operator, msk):
        callback, _traveller = missed_once
        callback.refresh_from_db()
        client.force_login(operator)
        page = client.get(callback.get_absolute_url()).content.decode()
        theirs = callback.next_contact_at.astimezone(VLADIVOSTOK)
        assert 'data-testid="retry-wait"' in page and f"{theirs:%H:%M} customer&#x27;s time" in page
        assert 'name="override_reason"' not in page, "an operator is offered no override"
        response = client.post(reverse("callbacks:attempt", args=[callback.pk]), {"outcome": "no_answer"})
        assert response.status_code == 200
        assert "the next one is planned for" in response.content.decode()
        assert callback.attempts.count() == 1
        supervisor = UserFactory(username="sup", role="Supervisor", branches=[msk])
        client.force_login(supervisor)
        page = client.get(callback.get_absolute_url()).content.decode()
        assert 'name="override_reason"' in page
        client.post(
            reverse("callbacks:attempt", args=[callback.pk]),
            {"outcome": "no_answer", "override_reason": "Asked to be tried again at once"},
        )
        assert callback.attempts.count() == 2


def pause(callback, branch):
    """A supervisor of ``branch`` pauses the callback's clock; they are returned, to resume it."""
    supervisor = UserFactory(username="sup", role="Supervisor", branches=[branch])
    documents = PauseReason.objects.get(label="Waiting for the customer's documents")
    services.callback_pause_clock(callback=callback, reason=documents, by=supervisor)
    return supervisor


class TestClocksComputedAgainStayInsideTheirHours:
    """A callback's clock computed again (a calendar or a team's schedule changed, a pause ended) is moved into
    the customer's calling hours as the first computation was: the deadlines engine asks the calling-hours rule,
    since the clock's rule says it is a call to the customer."""

    @pytest.fixture
    def three_hours(self, db):
        return CallbackReasonFactory(code="three_hours", due_after=3, unit="hours", basis="business")

    @pytest.fixture
    def monday_ten(self):
        with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False) as traveller:  # 17:00 in Vladivostok
            yield traveller

    @pytest.fixture
    def callback(self, register, far_customer, three_hours, monday_ten):
        callback = register(customer=far_customer, reason=three_hours)
        clock = clock_of(callback)
        assert clock.due_at == moscow(2026, 11, 23, 13, 0) == vladivostok(2026, 11, 23, 20, 0)
        assert clock.rule == {"basis": "business_hours", "amount": 3, "calls_customer": True}
        return callback

    def test_a_calendar_override_moving_the_term_into_their_night(self, callback, operator, msk):
        # Monday opens at 11:00 instead: three hours end at 14:00 in Moscow, 21:00 in Vladivostok, too late.
        override_save(
            override=CalendarOverride(
                branch=msk, date=date(2026, 11, 23), is_working=True, opens=time(11), closes=time(18)
            ),
            by=operator,
        )
        clock = clock_of(callback)
        assert clock.due_at == vladivostok(2026, 11, 24, 8, 0) == moscow(2026, 11, 24, 1, 0)
        assert clock.warn_at < clock.due_at
        assert clock.rule["basis"] == "business_hours", "still the rule: the next change computes it again"
        callback.refresh_from_db()
        assert callback.next_contact_at == clock.due_at, "the lists' copy follows"
        assert AuditEntry.objects.for_target(callback).filter(action="clock.recomputed").exists()

    def test_a_calendar_override_leaving_the_term_inside_their_hours(self, callback, operator, msk):
        # Monday opens at 10:30: the term ends at 13:30 in Moscow, 20:30 in Vladivostok.
        override_save(
            override=CalendarOverride(
                branch=msk, date=date(2026, 11, 23), is_working=True, opens=time(10, 30), closes=time(18)
            ),
            by=operator,
        )
        assert clock_of(callback).due_at == moscow(2026, 11, 23, 13, 30)

    def test_a_team_schedule_change_moving_the_term_into_their_night(
        self, register, far_customer, three_hours, monday_ten, msk, operator
    ):
        team = Team.objects.create(branch=msk, name="Day shift", schedule=Team.Schedule.OWN, takes_branch_queue=True)
        for weekday in range(5):
            TeamHours.objects.create(team=team, weekday=weekday, opens=time(9), closes=time(18))
        callback = register(customer=far_customer, reason=three_hours)
        assert clock_of(callback).team == team
        assert clock_of(callback).due_at == moscow(2026, 11, 23, 13, 0)
        before = team_schedule_basis(team)
        team.hours.update(opens=time(11))
        assert team_schedule_changed(team=team, before=before, by=operator)
        assert clock_of(callback).due_at == vladivostok(2026, 11, 24, 8, 0)
        callback.refresh_from_db()
        assert callback.next_contact_at == vladivostok(2026, 11, 24, 8, 0)

    def test_a_resumed_pause_pushing_the_term_into_their_night(self, callback, monday_ten, msk):
        supervisor = pause(callback, msk)
        monday_ten.move_to(moscow(2026, 11, 23, 11, 30))
        services.callback_resume_clock(callback=callback, by=supervisor)
        # Due 13:00 plus 90 minutes standing still: 14:30 in Moscow, 21:30 in Vladivostok, so their 08:00.
        clock = clock_of(callback)
        callback.refresh_from_db()
        assert clock.due_at == vladivostok(2026, 11, 24, 8, 0)
        assert callback.next_contact_at == clock.due_at
        assert clock.warn_at < clock.due_at
        entry = AuditEntry.objects.for_target(callback).get(action="clock.resumed")
        assert datetime.fromisoformat(entry.changes[f"{CLOCK_KIND}.due_at"][1]) == clock.due_at

    def test_a_resumed_retry_waits_for_their_morning(self, register, operator, far_customer, monday_ten, msk):
        callback = register(customer=far_customer, assigned_to=operator)
        services.attempt_log(callback=callback, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
        retry = clock_of(callback).due_at
        assert clock_of(callback).rule == {"basis": "fixed", "calls_customer": True}
        supervisor = pause(callback, msk)
        monday_ten.move_to(moscow(2026, 11, 23, 10, 0) + (moscow(2026, 11, 23, 14, 30) - retry))
        services.callback_resume_clock(callback=callback, by=supervisor)
        assert clock_of(callback).due_at == vladivostok(2026, 11, 24, 8, 0), "14:30 in Moscow is 21:30 there"

    def test_a_time_they_asked_for_outside_their_hours_stays_theirs_after_a_pause(
        self, register, far_customer, monday_ten, msk
    ):
        asked = moscow(2026, 11, 23, 15, 0)  # 22:00 in Vladivostok, confirmed by the operator
        callback = register(customer=far_customer, window_start=asked, confirm_outside_hours=True)
        assert "calls_customer" not in clock_of(callback).rule
        supervisor = pause(callback, msk)
        monday_ten.move_to(moscow(2026, 11, 23, 11, 0))
        services.callback_resume_clock(callback=callback, by=supervisor)
        assert clock_of(callback).due_at == asked + timedelta(hours=1)


def test_clocks_open_before_the_clamp_are_marked_as_calls_to_the_customer(register, operator, far_customer, msk):
    """callbacks/0009: the term's and the retries' open clocks get the mark; an agreed time and a closed clock
    stay as they were."""
    migration = importlib.import_module("callbacks.migrations.0009_open_clocks_call_the_customer")
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False):
        term = register(customer=far_customer)
        retried = register(customer=far_customer, assigned_to=operator)
        services.attempt_log(callback=retried, by=operator, outcome=ContactAttempt.Outcome.NO_ANSWER)
        agreed = register(customer=far_customer, window_start=moscow(2026, 11, 23, 11, 0))
    for clock in Deadline.objects.all():  # as they were before the mark existed
        clock.rule.pop("calls_customer", None)
        clock.save(update_fields=["rule"])
    before = {clock.pk: clock.rule for clock in Deadline.objects.all()}
    assert not any("calls_customer" in rule for rule in before.values())
    migration.mark_calls_customer(django_apps, None)
    marked = {clock.pk for clock in Deadline.objects.all() if clock.rule.get("calls_customer")}
    assert marked == {clock_of(term).pk, clock_of(retried).pk}
    assert clock_of(term).rule == {**before[clock_of(term).pk], "calls_customer": True}
    assert clock_of(agreed).pk not in marked
    migration.unmark_calls_customer(django_apps, None)
    assert {clock.pk: clock.rule for clock in Deadline.objects.all()} == before
