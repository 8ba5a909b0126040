"""The customer's own hours (issue 15): a customer in Vladivostok (UTC+10, seven hours ahead) of the Moscow branch
is never due, retried or offered by "Take next" outside their calling hours. These tests run on SQLite and, in
the PostgreSQL run, on PostgreSQL (the take-next filter is SQL)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from callbacks import services
from callbacks.models import Callback, ContactAttempt
from contactcenter.deadlines.models import Deadline
from tests.factories import CallbackReasonFactory, CustomerFactory
from tests.moments import moscow

VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


def vladivostok(*args) -> datetime:
    return datetime(*args, tzinfo=VLADIVOSTOK)


@pytest.fixture
def far_customer(msk):
    return CustomerFactory(branch=msk, full_name="Pyotr Dalny", phone="+74232123456", time_zone="Asia/Vladivostok")


def clock_of(callback):
    return Deadline.objects.for_case(callback).open().get()


def test_a_term_ending_at_three_at_night_their_time_is_due_at_eight(register, far_customer):
    # Monday 19:00 in Moscow is 02:00 on Tuesday in Vladivostok; "within the hour" would end at 03:00 there.
    with time_machine.travel(moscow(2026, 11, 23, 19, 0), tick=False):
        callback = register(customer=far_customer)
    clock = clock_of(callback)
    assert clock.due_at == vladivostok(2026, 11, 24, 8, 0) == moscow(2026, 11, 24, 1, 0)
    assert callback.next_contact_at == clock.due_at
    assert clock.warn_at < clock.due_at
    assert clock.rule["basis"] == "fixed", "a moment moved into calling hours is not recomputed by a calendar change"


def test_a_term_inside_their_hours_is_left_alone(register, far_customer):
    with time_machine.travel(moscow(2026, 11, 23, 10, 0), tick=False):  # 17:00 in Vladivostok
        callback = register(customer=far_customer)
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
