from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contactcenter.calendars.models import CalendarOverride
from tests.calendars.factories import CalendarOverrideFactory

DAY = date(2026, 11, 25)


def test_one_override_per_branch_and_day(msk):
    CalendarOverrideFactory(date=DAY, branch=msk)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(date=DAY, branch=msk, is_working=False)


def test_one_all_branches_override_per_day_although_nulls_are_distinct(db):
    CalendarOverrideFactory(date=DAY, branch=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(date=DAY, branch=None, is_working=False)


def test_a_branch_override_may_sit_on_an_all_branches_day(msk, bud):
    CalendarOverrideFactory(date=DAY, branch=None)
    CalendarOverrideFactory(date=DAY, branch=msk)
    CalendarOverrideFactory(date=DAY, branch=bud)
    assert CalendarOverride.objects.filter(date=DAY).count() == 3


@pytest.mark.parametrize(("opens", "closes"), [(None, None), (time(9), None), (time(18), time(9)), (time(9), time(9))])
def test_a_working_day_needs_hours_in_order_in_the_database(db, opens, closes):
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(date=DAY, is_working=True, opens=opens, closes=closes)


def test_validation_explains_what_is_wrong(msk):
    CalendarOverrideFactory(date=DAY, branch=None)
    without_hours = CalendarOverride(date=date(2026, 11, 26), branch=msk, is_working=True)
    with pytest.raises(ValidationError) as error:
        without_hours.full_clean()
    assert set(error.value.message_dict) == {"opens", "closes"}

    reversed_hours = CalendarOverride(date=date(2026, 11, 26), is_working=True, opens=time(18), closes=time(9))
    with pytest.raises(ValidationError) as error:
        reversed_hours.full_clean()
    assert error.value.message_dict == {"closes": ["Closing time must be after opening time."]}

    hours_on_day_off = CalendarOverride(date=date(2026, 11, 26), is_working=False, closes=time(9))
    with pytest.raises(ValidationError) as error:
        hours_on_day_off.full_clean()
    assert list(error.value.message_dict) == ["closes"]

    duplicate = CalendarOverride(date=DAY, branch=None, is_working=False)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already an all-branches override" in str(error.value)


def test_str_says_where_and_what(msk):
    working = CalendarOverrideFactory(date=DAY, branch=msk, is_working=True, opens=time(10), closes=time(14))
    off = CalendarOverrideFactory(date=DAY, branch=None)
    assert str(working) == "25.11.2026 · MSK · working 10:00–14:00"
    assert str(off) == "25.11.2026 · all branches · day off"
