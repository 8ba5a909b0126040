"""The customer's calling hours: 08:00–21:00 on weekdays, 09:00–20:00 at weekends and public holidays, in the
customer's own time zone (issue 15)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.calendars.calling_hours import CallingHours, earliest_call_at, within_calling_hours
from contactcenter.directory.zones import customer_zone
from tests.factories import CustomerFactory
from tests.moments import moscow

VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


def vladivostok(*args) -> datetime:
    return datetime(*args, tzinfo=VLADIVOSTOK)


@pytest.fixture
def far_customer(msk):
    """A customer of the Moscow branch who lives in Vladivostok, seven hours ahead of Moscow (UTC+10)."""
    return CustomerFactory(branch=msk, time_zone="Asia/Vladivostok")


def test_the_defaults_of_a_branch(msk):
    hours = CallingHours.of(msk)
    assert hours.weekdays == (time(8), time(21)) and hours.weekends == (time(9), time(20))


@pytest.mark.parametrize(
    "moment, inside",
    [
        (vladivostok(2026, 11, 23, 7, 59), False),  # Monday, before 08:00
        (vladivostok(2026, 11, 23, 8, 0), True),
        (vladivostok(2026, 11, 23, 20, 59), True),
        (vladivostok(2026, 11, 23, 21, 0), False),  # the end is not included
        (vladivostok(2026, 11, 21, 8, 30), False),  # Saturday: from 09:00
        (vladivostok(2026, 11, 21, 20, 30), False),  # Saturday: until 20:00
        (vladivostok(2026, 11, 4, 8, 30), False),  # Unity Day, a public holiday on a Wednesday: weekend hours
        (vladivostok(2027, 2, 20, 8, 30), True),  # Saturday 2027-02-20 is a transferred working day in Russia
    ],
)
def test_inside_or_outside_in_the_customers_time(far_customer, moment, inside):
    assert within_calling_hours(moment, customer=far_customer) is inside


def test_the_customers_zone_or_the_branchs(msk, far_customer):
    assert customer_zone(far_customer) == VLADIVOSTOK
    assert customer_zone(CustomerFactory(branch=msk)) == msk.tz


def test_a_moment_at_night_where_the_customer_lives_waits_for_their_morning(far_customer):
    # 20:00 in Moscow is 03:00 the next day in Vladivostok: callable from 08:00 there, 01:00 in Moscow.
    assert earliest_call_at(moscow(2026, 11, 23, 20, 0), customer=far_customer) == vladivostok(2026, 11, 24, 8, 0)
    # Friday 21:30 there: Saturday opens at 09:00.
    assert earliest_call_at(vladivostok(2026, 11, 20, 21, 30), customer=far_customer) == vladivostok(2026, 11, 21, 9, 0)
    inside = moscow(2026, 11, 23, 10, 0)
    assert earliest_call_at(inside, customer=far_customer) == inside


def test_with_a_calendar_the_first_moment_both_work_and_calling_hours_allow(msk, far_customer):
    calendar = BusinessCalendar.for_branch(msk)  # Monday to Friday 09:00–18:00 Moscow time
    # 14:30 Moscow is 21:30 in Vladivostok: the customer's morning (01:00 Moscow) is before the branch opens, so
    # the first common moment is 09:00 Moscow, 16:00 in Vladivostok.
    assert earliest_call_at(moscow(2026, 11, 23, 14, 30), customer=far_customer, calendar=calendar) == moscow(
        2026, 11, 24, 9, 0
    )


def test_a_customer_nine_hours_ahead(msk):
    kamchatka = CustomerFactory(branch=msk, time_zone="Asia/Kamchatka")  # UTC+12, nine hours ahead of Moscow
    # Monday 12:30 Moscow is 21:30 on Kamchatka: the next call at 08:00 Tuesday there, 23:00 Monday in Moscow.
    assert earliest_call_at(moscow(2026, 11, 23, 12, 30), customer=kamchatka) == moscow(2026, 11, 23, 23, 0)
    assert within_calling_hours(moscow(2026, 11, 23, 11, 59), customer=kamchatka)


def test_a_daylight_saving_change_where_the_customer_lives(msk):
    # Berlin moves its clocks forward on Sunday 2027-03-28; the weekend hours open at 09:00 local, 07:00 UTC.
    berliner = CustomerFactory(branch=msk, time_zone="Europe/Berlin")
    opens = earliest_call_at(datetime(2027, 3, 28, 1, 0, tzinfo=ZoneInfo("UTC")), customer=berliner)
    assert opens == datetime(2027, 3, 28, 7, 0, tzinfo=ZoneInfo("UTC"))


def test_the_branchs_own_hours(msk, far_customer):
    msk.calls_weekdays_from, msk.calls_weekdays_until = time(10), time(19)
    assert not within_calling_hours(vladivostok(2026, 11, 23, 9, 30), customer=far_customer, branch=msk)
    assert earliest_call_at(vladivostok(2026, 11, 23, 19, 0), customer=far_customer, branch=msk) == vladivostok(
        2026, 11, 24, 10, 0
    )


def test_calling_hours_that_end_before_they_start_are_refused(msk):
    msk.calls_weekends_until = time(8)
    with pytest.raises(ValidationError) as refused:
        msk.full_clean()
    assert refused.value.message_dict == {"calls_weekends_until": ["Calling hours must end after they start."]}
