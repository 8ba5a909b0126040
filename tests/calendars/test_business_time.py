from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from contactcenter.calendars import business_time
from contactcenter.calendars.business_time import BusinessCalendar, DayKind
from contactcenter.directory.models import Branch, WorkingHours
from tests.calendars.factories import CalendarOverrideFactory
from tests.factories import BranchFactory

MOSCOW = ZoneInfo("Europe/Moscow")
BUDAPEST = ZoneInfo("Europe/Budapest")
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")
WEEKDAYS_9_TO_18 = {weekday: (time(9), time(18)) for weekday in range(5)}


def at(tz, *parts):
    return datetime(*parts, tzinfo=tz)


def russian(**kwargs):
    return BusinessCalendar(country="RU", tz=MOSCOW, weekly_hours=WEEKDAYS_9_TO_18, **kwargs)


# --- the worked example of the issue, and the awkward days of STYLE.md ---------------------------


def test_worked_example_from_a_friday_afternoon_in_moscow(msk):
    friday = at(MOSCOW, 2026, 11, 20, 15, 0)
    monday_at_11 = business_time.next_business_day_at(msk, friday, time(11))
    ten_days_later = business_time.add_business_days(msk, friday, 10)
    assert monday_at_11.isoformat() == "2026-11-23T11:00:00+03:00"
    assert ten_days_later.isoformat() == "2026-12-04T18:00:00+03:00"


def test_one_hour_from_friday_17_59_ends_on_monday_morning(msk):
    result = business_time.add_business_hours(msk, at(MOSCOW, 2026, 11, 20, 17, 59), 1)
    assert result.isoformat() == "2026-11-23T09:59:00+03:00"


def test_reaching_closing_time_exactly_stays_on_that_evening(msk):
    assert business_time.add_business_hours(msk, at(MOSCOW, 2026, 11, 20, 17, 0), 1) == at(MOSCOW, 2026, 11, 20, 18)
    assert business_time.add_business_hours(msk, at(MOSCOW, 2026, 11, 20, 9, 0), 9) == at(MOSCOW, 2026, 11, 20, 18)


def test_counting_starts_at_the_next_opening_when_started_outside_working_hours(msk):
    before_opening = at(MOSCOW, 2026, 11, 23, 7, 30)
    saturday = at(MOSCOW, 2026, 11, 21, 12, 0)
    assert business_time.add_business_hours(msk, before_opening, 1) == at(MOSCOW, 2026, 11, 23, 10)
    assert business_time.add_business_hours(msk, saturday, timedelta(hours=2, minutes=30)) == at(
        MOSCOW, 2026, 11, 23, 11, 30
    )
    assert business_time.add_business_hours(msk, saturday, 0) == at(MOSCOW, 2026, 11, 23, 9)


def test_many_business_hours_span_several_days(msk):
    # 9 hours a day: 20 hours from Monday 09:00 are Monday, Tuesday and 2 hours of Wednesday.
    assert business_time.add_business_hours(msk, at(MOSCOW, 2026, 11, 23, 9), 20) == at(MOSCOW, 2026, 11, 25, 11)


@pytest.mark.parametrize(
    ("saturday", "country", "tz", "stands_in_for", "hours"),
    [
        # Monday 2025-11-03 is the eve of 2025-11-04: the Saturday that stands in for it is shortened (art. 95).
        (date(2025, 11, 1), "RU", MOSCOW, date(2025, 11, 3), (time(10), time(18))),
        # Monday 2027-02-22 is the eve of 2027-02-23: the same.
        (date(2027, 2, 20), "RU", MOSCOW, date(2027, 2, 22), (time(10), time(18))),
        # Hungary shortens no eve; the Saturday works Friday 2026-01-02's hours.
        (date(2026, 1, 10), "HU", BUDAPEST, date(2026, 1, 2), (time(9), time(18))),
    ],
)
def test_a_transferred_saturday_works_the_hours_of_the_weekday_it_stands_in_for(
    saturday, country, tz, stands_in_for, hours
):
    assert saturday in holidays.country_holidays(country, years=saturday.year).weekend_workdays
    weekly_hours = {0: (time(10), time(19)), **{weekday: (time(9), time(18)) for weekday in range(1, 5)}}
    calendar = BusinessCalendar(country=country, tz=tz, weekly_hours=weekly_hours)
    assert calendar.day_kind(saturday) == DayKind.TRANSFERRED_WORKING
    assert calendar.stands_in_for(saturday) == stands_in_for
    assert calendar.hours_on(saturday) == hours
    friday_evening = datetime.combine(saturday - timedelta(days=1), time(18, 30), tzinfo=tz)
    assert calendar.next_business_day_at(friday_evening, time(11)) == datetime.combine(saturday, time(11), tzinfo=tz)
    assert calendar.add_business_days(friday_evening, 1) == datetime.combine(saturday, hours[1], tzinfo=tz)


def test_a_transferred_saturday_takes_the_length_of_its_weekday_not_the_branchs_saturday_hours():
    weekly_hours = {**WEEKDAYS_9_TO_18, 5: (time(10), time(15))}
    calendar = BusinessCalendar(country="RU", tz=MOSCOW, weekly_hours=weekly_hours)
    # It stands in for Monday 2027-02-22, the eve of Defender of the Fatherland Day: 09:00–18:00 less an hour.
    assert calendar.hours_on(date(2027, 2, 20)) == (time(9), time(17))


def test_a_transferred_saturday_without_a_known_stand_in_keeps_the_branchs_own_saturday_hours():
    weekly_hours = {**WEEKDAYS_9_TO_18, 5: (time(10), time(15))}
    calendar = BusinessCalendar(country="RU", tz=MOSCOW, weekly_hours=weekly_hours)
    calendar._swaps(2027)[1].clear()  # as if the package named no day off it was swapped with
    assert calendar.hours_on(date(2027, 2, 20)) == (time(10), time(15))


def test_new_year_holidays_push_a_deadline_to_the_eleventh_of_january(msk):
    # Check the package's data first: a failure here means the law (or the package) changed, not our code.
    public = holidays.country_holidays("RU", years=[2026, 2027])
    days_off = [date(2026, 12, 31) + timedelta(days=n) for n in range(11)]  # 31 December – 10 January
    assert all(day in public or day.weekday() >= 5 for day in days_off)
    assert date(2027, 1, 11) not in public

    result = business_time.add_business_days(msk, at(MOSCOW, 2026, 12, 30, 12, 0), 1)
    assert result.isoformat() == "2027-01-11T18:00:00+03:00"
    assert business_time.add_business_days(msk, at(MOSCOW, 2026, 12, 29, 12, 0), 1) == at(MOSCOW, 2026, 12, 30, 18)


@pytest.mark.parametrize("day", [date(2026, 1, 9), date(2026, 12, 31), date(2027, 2, 22)])
def test_a_day_off_moved_onto_a_weekday_is_not_a_business_day(day):
    calendar = russian()
    assert day.weekday() < 5
    assert calendar.day_kind(day) == DayKind.HOLIDAY
    assert calendar.hours_on(day) is None
    assert not calendar.is_business_day(day)
    assert "Day off" in calendar.holiday_name(day)


def test_thursday_before_a_moved_day_off_goes_to_monday(msk):
    # Friday 9 January 2026 is the day off moved from Saturday 3 January.
    assert business_time.next_business_day_at(msk, at(MOSCOW, 2026, 1, 8, 12), time(9)) == at(MOSCOW, 2026, 1, 12, 9)


def test_day_kinds():
    calendar = russian(
        overrides={date(2026, 11, 25): (False, None, None), date(2026, 11, 29): (True, time(10), time(14))}
    )
    assert calendar.day_kind(date(2026, 11, 24)) == "working"
    assert calendar.day_kind(date(2026, 11, 28)) == "weekend"
    assert calendar.day_kind(date(2026, 11, 4)) == "holiday"
    assert calendar.day_kind(date(2027, 2, 20)) == "transferred_working"
    assert calendar.day_kind(date(2026, 11, 29)) == "override_working"
    assert calendar.day_kind(date(2026, 11, 25)) == "override_off"


# --- overrides -----------------------------------------------------------------------------------


def test_a_branch_override_beats_an_all_branches_one_which_beats_the_package(msk, bud):
    wednesday = date(2026, 11, 25)
    CalendarOverrideFactory(date=wednesday, branch=None, is_working=False, note="City-wide closure")
    CalendarOverrideFactory(date=wednesday, branch=msk, is_working=True, opens=time(10), closes=time(14))
    # 9 January 2026 is a day off in the package; an all-branches override makes it a working day.
    CalendarOverrideFactory(date=date(2026, 1, 9), branch=None, is_working=True, opens=time(9), closes=time(13))

    moscow, budapest = BusinessCalendar.for_branch(msk), BusinessCalendar.for_branch(bud)
    assert moscow.hours_on(wednesday) == (time(10), time(14))
    assert moscow.day_kind(wednesday) == DayKind.OVERRIDE_WORKING
    assert budapest.day_kind(wednesday) == DayKind.OVERRIDE_OFF
    assert moscow.hours_on(date(2026, 1, 9)) == (time(9), time(13))
    assert moscow.add_business_days(at(MOSCOW, 2026, 1, 8, 12), 1) == at(MOSCOW, 2026, 1, 9, 13)


def test_a_day_off_override_on_a_weekday_skips_it(msk):
    CalendarOverrideFactory(date=date(2026, 11, 23), branch=msk, is_working=False, note="Office move")
    friday = at(MOSCOW, 2026, 11, 20, 15)
    assert business_time.next_business_day_at(msk, friday, time(11)) == at(MOSCOW, 2026, 11, 24, 11)
    assert business_time.add_business_hours(msk, at(MOSCOW, 2026, 11, 20, 17), 2) == at(MOSCOW, 2026, 11, 24, 10)


def test_a_working_override_on_a_sunday_uses_its_own_hours(msk):
    CalendarOverrideFactory(date=date(2026, 11, 22), branch=msk, is_working=True, opens=time(10), closes=time(16))
    friday_evening = at(MOSCOW, 2026, 11, 20, 18, 30)
    assert business_time.next_business_day_at(msk, at(MOSCOW, 2026, 11, 21, 12), time(12)) == at(
        MOSCOW, 2026, 11, 22, 12
    )
    assert business_time.add_business_days(msk, friday_evening, 1) == at(MOSCOW, 2026, 11, 22, 16)
    assert business_time.add_business_hours(msk, friday_evening, 7) == at(MOSCOW, 2026, 11, 23, 10)


def test_an_override_can_close_a_transferred_saturday(msk):
    CalendarOverrideFactory(date=date(2027, 2, 20), branch=None, is_working=False)
    assert not BusinessCalendar.for_branch(msk).is_business_day(date(2027, 2, 20))


def test_a_calendar_without_a_branch_sees_only_all_branches_overrides(msk):
    CalendarOverrideFactory(date=date(2026, 11, 24), branch=msk, is_working=False)
    CalendarOverrideFactory(date=date(2026, 11, 25), branch=None, is_working=False)
    calendar = russian(overrides=business_time.load_overrides(None))
    assert calendar.is_business_day(date(2026, 11, 24))
    assert not calendar.is_business_day(date(2026, 11, 25))


# --- time zones and daylight saving --------------------------------------------------------------


def test_results_are_in_the_branchs_zone_whatever_the_zone_of_the_input(ekb, msk):
    late_thursday_in_moscow = at(MOSCOW, 2026, 11, 19, 23, 30)  # already Friday 01:30 in Yekaterinburg
    assert business_time.add_business_days(ekb, at(YEKATERINBURG, 2026, 11, 20, 15), 10).isoformat() == (
        "2026-12-04T18:00:00+05:00"
    )
    assert business_time.next_business_day_at(ekb, late_thursday_in_moscow, time(11)).isoformat() == (
        "2026-11-23T11:00:00+05:00"
    )
    assert business_time.next_business_day_at(msk, late_thursday_in_moscow, time(11)).isoformat() == (
        "2026-11-20T11:00:00+03:00"
    )
    in_utc = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 17:00 in Yekaterinburg
    assert business_time.add_business_hours(ekb, in_utc, 2).isoformat() == "2026-11-23T10:00:00+05:00"


def test_budapest_deadlines_across_the_clock_changes_keep_wall_clock_times(bud):
    # Summer time starts on Sunday 29 March 2026 and ends on Sunday 25 October 2026.
    friday_in_march = at(BUDAPEST, 2026, 3, 27, 17)
    assert friday_in_march.utcoffset() == timedelta(hours=1)
    assert business_time.add_business_days(bud, friday_in_march, 1).isoformat() == "2026-03-30T18:00:00+02:00"
    assert business_time.add_business_hours(bud, friday_in_march, 2).isoformat() == "2026-03-30T10:00:00+02:00"
    # Friday 23 October is a Hungarian holiday; the Monday after the change is on winter time.
    thursday_in_october = at(BUDAPEST, 2026, 10, 22, 17)
    assert business_time.add_business_hours(bud, thursday_in_october, 2).isoformat() == "2026-10-26T10:00:00+01:00"
    assert business_time.next_business_day_at(bud, thursday_in_october, time(9)).isoformat() == (
        "2026-10-26T09:00:00+01:00"
    )


def test_budapest_night_shift_counts_the_real_hours_of_a_clock_change_night(bud_night):
    # 00:00–06:00 local lasts 5 hours on 29 March and 7 hours on 25 October. The next Sundays worked
    # skip Easter (5 April) and All Saints' Day (1 November).
    march = at(BUDAPEST, 2026, 3, 29, 0)
    october = at(BUDAPEST, 2026, 10, 25, 0)
    assert business_time.add_business_hours(bud_night, march, 5).isoformat() == "2026-03-29T06:00:00+02:00"
    assert business_time.add_business_hours(bud_night, march, 6).isoformat() == "2026-04-12T01:00:00+02:00"
    assert business_time.add_business_hours(bud_night, october, 6).isoformat() == "2026-10-25T05:00:00+01:00"
    assert business_time.add_business_hours(bud_night, october, 7).isoformat() == "2026-10-25T06:00:00+01:00"
    assert business_time.add_business_hours(bud_night, october, 8).isoformat() == "2026-11-08T01:00:00+01:00"


def test_a_time_skipped_by_the_clock_change_moves_forward():
    calendar = BusinessCalendar(country="HU", tz=BUDAPEST, weekly_hours={6: (time(2, 30), time(6))})
    saturday = at(BUDAPEST, 2026, 3, 28, 12)
    assert calendar.next_business_day_at(saturday, time(2, 30)).isoformat() == "2026-03-29T03:30:00+02:00"
    assert calendar.add_business_hours(saturday, 1).isoformat() == "2026-03-29T04:30:00+02:00"


# --- programming errors --------------------------------------------------------------------------


def test_a_naive_datetime_is_refused(msk):
    naive = datetime(2026, 11, 20, 15, 0)
    with pytest.raises(ValueError, match="naive"):
        business_time.add_business_days(msk, naive, 1)
    with pytest.raises(ValueError, match="naive"):
        business_time.next_business_day_at(msk, naive, time(11))
    with pytest.raises(ValueError, match="naive"):
        business_time.add_business_hours(msk, naive, 1)


def test_nonsense_amounts_are_refused():
    calendar = russian()
    start = at(MOSCOW, 2026, 11, 20, 15)
    with pytest.raises(ValueError):
        calendar.add_business_days(start, 0)
    with pytest.raises(ValueError):
        calendar.add_business_hours(start, -1)


def test_a_calendar_without_working_days_gives_up_instead_of_looping():
    calendar = BusinessCalendar(country="HU", tz=BUDAPEST, weekly_hours={})
    start = at(BUDAPEST, 2026, 11, 20, 15)
    with pytest.raises(ValueError, match="no business day"):
        calendar.add_business_days(start, 1)
    with pytest.raises(ValueError, match="no business day"):
        calendar.add_business_hours(start, 1)


def test_an_unknown_country_or_subdivision_is_refused():
    with pytest.raises(ValueError):
        BusinessCalendar(country="XX", tz=MOSCOW, weekly_hours=WEEKDAYS_9_TO_18)
    with pytest.raises(ValueError):
        BusinessCalendar(country="RU", subdivision="ZZ", tz=MOSCOW, weekly_hours=WEEKDAYS_9_TO_18)


# --- month listing and cost ----------------------------------------------------------------------


def test_business_days_of_a_month():
    calendar = russian()
    january = calendar.business_days(2026, 1)
    assert january == [date(2026, 1, day) for day in (*range(12, 17), *range(19, 24), *range(26, 31))]
    february_2027 = calendar.business_days(2027, 2)
    assert date(2027, 2, 20) in february_2027
    assert date(2027, 2, 22) not in february_2027
    assert date(2027, 2, 23) not in february_2027
    assert len(february_2027) == 19


def test_a_calendar_and_a_hundred_computations_cost_two_queries(msk, django_assert_num_queries):
    for offset in range(5):
        CalendarOverrideFactory(date=date(2026, 12, 1) + timedelta(days=offset), branch=msk)
        CalendarOverrideFactory(date=date(2027, 3, 1) + timedelta(days=offset), branch=None)
    branch = Branch.objects.get(pk=msk.pk)
    start = at(MOSCOW, 2026, 11, 2, 10)
    with django_assert_num_queries(3):  # the reference token, weekly hours, overrides
        calendar = BusinessCalendar.for_branch(branch)
        for offset in range(100):
            moment = start + timedelta(days=offset)
            calendar.add_business_days(moment, 10)
            calendar.next_business_day_at(moment, time(11))
            calendar.add_business_hours(moment, 30)
        calendar.business_days(2027, 1)
    with django_assert_num_queries(1):  # kept while the set-up is unchanged: the token alone
        assert BusinessCalendar.for_branch(branch) is calendar


def test_hours_prefetched_before_a_change_are_never_kept_for_the_branch(db):
    """The kept calendar is read from the tables, not from rows an instance was given before a change committed
    (``reference_cache``): otherwise the old hours would be served to every caller until the next change."""
    BranchFactory(code="PRE")
    stale = Branch.objects.prefetch_related("working_hours").get(code="PRE")
    WorkingHours.objects.filter(branch=stale, weekday=0).update(closes=time(17))
    assert BusinessCalendar.for_branch(stale).weekly_hours[0] == (time(9), time(17))
    assert BusinessCalendar.for_branch(Branch.objects.get(code="PRE")).weekly_hours[0] == (time(9), time(17))


# --- counting back, and many branches' calendars at once ----------------------------------------


def test_counting_business_days_back_skips_the_holiday_and_the_weekend():
    calendar = russian()
    monday = date(2026, 11, 9)
    assert calendar.business_day_back(monday, 1) == monday
    assert calendar.business_day_back(date(2026, 11, 8), 1) == date(2026, 11, 6)  # Sunday: Friday
    # Back from Monday the 9th: 9, 6, 5, then 3 (the 4th is Unity Day).
    assert calendar.business_day_back(monday, 4) == date(2026, 11, 3)
    with pytest.raises(ValueError, match="positive"):
        calendar.business_day_back(monday, 0)


def test_business_days_between_counts_after_the_start_up_to_the_end():
    calendar = russian()
    assert calendar.business_days_between(date(2026, 11, 2), date(2026, 11, 9)) == 4  # 3, 5, 6, 9
    assert calendar.business_days_between(date(2026, 11, 9), date(2026, 11, 9)) == 0
    assert calendar.business_days_between(date(2026, 11, 9), date(2026, 11, 2)) == 0


@pytest.mark.parametrize("days", [1, 5, 16])
def test_counting_back_and_between_agree(days):
    calendar = russian()
    today = date(2026, 11, 23)
    cutoff = calendar.business_day_back(today, days + 1)
    assert calendar.business_days_between(cutoff, today) == days
    assert calendar.business_days_between(cutoff - timedelta(days=1), today) == days + 1


def test_calendars_for_many_branches_take_two_queries(msk, bud, django_assert_num_queries):
    CalendarOverrideFactory(date=date(2026, 11, 23), branch=msk)
    CalendarOverrideFactory(date=date(2026, 11, 24))
    with django_assert_num_queries(2):
        calendars = business_time.calendars_for([msk, bud])
    assert not calendars[msk.pk].is_business_day(date(2026, 11, 23))  # Moscow's own day off
    assert calendars[bud.pk].is_business_day(date(2026, 11, 23))
    assert not calendars[bud.pk].is_business_day(date(2026, 11, 24))  # everybody's day off
    for branch in (msk, bud):
        single = BusinessCalendar.for_branch(branch)
        november = [calendars[branch.pk].is_business_day(date(2026, 11, d)) for d in range(1, 31)]
        assert november == [single.is_business_day(date(2026, 11, d)) for d in range(1, 31)]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Day off (substituted from 03.01.2026)"),
        ("ru", "Выходной (перенесено с 03.01.2026)"),
        ("hu", "Day off (substituted from 03.01.2026)"),  # the Russian calendar has no Hungarian names
    ],
)
def test_a_holiday_is_named_in_the_reader_s_language_with_the_date_as_we_write_it(language, name):
    from django.utils import translation

    with translation.override(language):
        assert russian().holiday_name(date(2026, 1, 9)) == name
    assert russian().holiday_name(date(2026, 1, 12)) is None, "a working day has no holiday name"


def test_a_hungarian_substituted_day_off_reads_in_hungarian():
    calendar = BusinessCalendar(country="HU", tz=ZoneInfo("Europe/Budapest"), weekly_hours={})
    assert calendar.holiday_name(date(2026, 1, 2), language="hu") == "Pihenőnap (2026. 01. 10.-től helyettesítve)"
    assert calendar.holiday_name(date(2026, 1, 2), language="en") == "Day off (substituted from 10.01.2026)"
