"""A working day as it really is: breaks, shortened pre-holiday days (art. 95), regional holidays."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from contactcenter.calendars import business_time
from contactcenter.calendars.business_time import BusinessCalendar, DayKind, calendars_for
from contactcenter.calendars.models import CalendarOverride, CalendarRegion
from contactcenter.directory.models import WorkingHours
from tests.calendars.factories import CalendarOverrideFactory
from tests.factories import BranchFactory

MOSCOW = ZoneInfo("Europe/Moscow")
WEEKDAYS_9_TO_18 = {weekday: (time(9), time(18)) for weekday in range(5)}
PREVIEW = reverse("admin:calendars_calendaroverride_preview")

# Every shortened pre-holiday day of the Russian production calendars (five-day week), 2024 to 2026 as the
# published calendars give them (2024 after decree No. 1314 of 10.08.2023; 2025 and 2026 after the decrees
# the ``holidays`` package cites). 2024: 27 April and 28 December are working Saturdays standing in for full
# days (Mondays 29 April and 30 December, each followed by a moved day off, not a holiday), so they are full
# days; 2 November stands in for 30 April, the eve of 1 May. 2027: the days the rule gives with the transfers
# of the decree the package cites; check them again when the official 2027 calendar is published.
OFFICIAL_SHORTENED_DAYS = {
    2024: [date(2024, 2, 22), date(2024, 3, 7), date(2024, 5, 8), date(2024, 6, 11), date(2024, 11, 2)],
    2025: [date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11), date(2025, 11, 1)],
    2026: [date(2026, 4, 30), date(2026, 5, 8), date(2026, 6, 11), date(2026, 11, 3)],
    2027: [date(2027, 2, 20), date(2027, 4, 30), date(2027, 6, 11), date(2027, 11, 3)],
}


def russian(**kwargs):
    return BusinessCalendar(
        country="RU", tz=MOSCOW, weekly_hours=kwargs.pop("weekly_hours", WEEKDAYS_9_TO_18), **kwargs
    )


def at(*parts):
    return datetime(*parts, tzinfo=MOSCOW)


# --- breaks --------------------------------------------------------------------------------------


def test_business_hours_skip_the_lunch_break():
    calendar = russian(weekly_hours={day: (time(9), time(18), time(13), time(14)) for day in range(5)})
    monday = date(2026, 11, 23)
    assert calendar.intervals_on(monday) == ((time(9), time(13)), (time(14), time(18)))
    assert calendar.hours_on(monday) == (time(9), time(18))
    # 12:30 plus one working hour: 30 minutes before the break, 30 after it.
    assert calendar.add_business_hours(at(2026, 11, 23, 12, 30), 1) == at(2026, 11, 23, 14, 30)
    # Asked during the break, the count starts when it ends.
    assert calendar.add_business_hours(at(2026, 11, 23, 13, 20), 1) == at(2026, 11, 23, 15)
    # Eight working hours make the whole day: from 09:00 to 18:00.
    assert calendar.add_business_hours(at(2026, 11, 23, 9), 8) == at(2026, 11, 23, 18)
    assert not calendar.is_working_at(at(2026, 11, 23, 13, 30))
    assert calendar.is_working_at(at(2026, 11, 23, 14))


@time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=MOSCOW), tick=False)
def test_a_branch_with_a_break_counts_it_from_its_working_hours(msk):
    msk.working_hours.update(break_starts=time(13), break_ends=time(14))
    assert business_time.add_business_hours(msk, at(2026, 11, 23, 12), 2) == at(2026, 11, 23, 15)
    assert calendars_for([msk])[msk.pk].intervals_on(date(2026, 11, 23)) == ((time(9), time(13)), (time(14), time(18)))


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(time(13), None), (time(8), time(10)), (time(14), time(13)), (time(17), time(19))],
)
def test_a_break_must_lie_inside_the_day(msk, starts, ends):
    from django.core.exceptions import ValidationError

    row = WorkingHours(branch=msk, weekday=5, opens=time(9), closes=time(18), break_starts=starts, break_ends=ends)
    with pytest.raises(ValidationError):
        row.full_clean()


def test_the_branch_page_saves_a_break_and_the_preview_shows_it(admin_client, msk):
    change = reverse("admin:directory_branch_change", args=[msk.pk])
    page = admin_client.get(change)
    assert "break_starts" in page.content.decode()
    msk.working_hours.filter(weekday=0).update(break_starts=time(13), break_ends=time(14))
    preview = admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2026-11"}).content.decode()
    assert "09:00–13:00, 14:00–18:00" in preview


# --- shortened pre-holiday days ------------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(OFFICIAL_SHORTENED_DAYS))
def test_the_shortened_days_are_those_of_the_official_production_calendar(year):
    calendar = russian()
    days = [date(year, 1, 1) + timedelta(days=n) for n in range(366) if (date(year, 1, 1) + timedelta(n)).year == year]
    assert [day for day in days if calendar.is_shortened(day)] == OFFICIAL_SHORTENED_DAYS[year]
    for day in OFFICIAL_SHORTENED_DAYS[year]:
        assert calendar.hours_on(day) == (time(9), time(17))


@pytest.mark.parametrize(
    ("day", "shortened"),
    [
        (date(2025, 3, 7), True),  # Friday before Saturday 8 March
        (date(2025, 4, 30), True),
        (date(2025, 6, 11), True),
        (date(2025, 11, 1), True),  # a working Saturday standing in for Monday 3 November, the eve of the 4th
        (date(2026, 2, 20), False),  # the holiday of the 23rd is preceded by a weekend
        (date(2025, 5, 7), False),  # followed by 8 May, a day off moved from 23 February, not a holiday
        (date(2024, 12, 28), False),  # stands in for Monday 30 December, a full day
    ],
)
def test_examples_of_the_issue(day, shortened):
    assert russian().is_shortened(day) is shortened


def test_every_clock_that_ends_at_the_close_of_a_shortened_day_ends_an_hour_earlier(msk):
    thursday = at(2025, 3, 6, 12)
    assert business_time.add_business_days(msk, thursday, 1) == at(2025, 3, 7, 17)
    # One working hour from 16:30 on the eve: 30 minutes that day, 30 after the holiday weekend.
    assert business_time.add_business_hours(msk, at(2025, 3, 7, 16, 30), 1) == at(2025, 3, 10, 9, 30)


def test_the_shortening_cuts_into_the_last_interval_even_across_a_break():
    calendar = russian(weekly_hours={day: (time(9), time(18), time(13), time(17, 30)) for day in range(5)})
    assert calendar.intervals_on(date(2025, 3, 7)) == ((time(9), time(12, 30)),)


def test_an_admin_override_wins_over_the_rule():
    full = russian(overrides={date(2025, 3, 7): (True, time(9), time(18), "Full day by order No. 5")})
    assert not full.is_shortened(date(2025, 3, 7))
    assert full.hours_on(date(2025, 3, 7)) == (time(9), time(18))
    # A working override on the holiday itself: the day before is no longer an eve.
    working_holiday = russian(overrides={date(2025, 6, 12): (True, time(10), time(16))})
    assert not working_holiday.is_shortened(date(2025, 6, 11))


def test_another_country_shortens_nothing():
    calendar = BusinessCalendar(country="HU", tz=ZoneInfo("Europe/Budapest"), weekly_hours=WEEKDAYS_9_TO_18)
    assert not calendar.is_shortened(date(2026, 12, 23))


def test_the_month_preview_shows_the_shortened_days(admin_client, msk):
    page = admin_client.get(PREVIEW, {"branch": msk.pk, "month": "2025-03"}).content.decode()
    cell = page[page.index('data-date="2025-03-07"') :]
    cell = cell[: cell.index("</td>")]
    assert "09:00–17:00" in cell
    assert 'data-shortened="true"' in cell
    other = page[page.index('data-date="2025-03-06"') :]
    assert 'data-shortened="true"' not in other[: other.index("</td>")]


def test_the_command_marks_the_shortened_days(msk, capsys):
    call_command("business_days", "--branch", "MSK", "--month", "2025-11")
    lines = capsys.readouterr().out.splitlines()
    assert "2025-11-01 shortened, closes 17:00" in lines
    assert "2025-11-05" in lines
    assert not any(line.startswith("2025-11-03") or line.startswith("2025-11-04") for line in lines)


# --- regional holidays ---------------------------------------------------------------------------


@pytest.fixture
def tatarstan(db):
    kzn = BranchFactory(code="KZN", name="Kazan", time_zone="Europe/Moscow", country="RU")
    region = CalendarRegion.objects.create(name="Tatarstan")
    region.branches.add(kzn)
    # Uraza Bayram 2026 (decree of the President of Tatarstan); Friday 20 March.
    CalendarOverride.objects.create(region=region, date=date(2026, 3, 20), note="Uraza Bayram")
    return kzn


def test_a_regional_holiday_is_a_day_off_in_the_regions_branches_only(tatarstan, msk):
    kazan, moscow = BusinessCalendar.for_branch(tatarstan), BusinessCalendar.for_branch(msk)
    friday = date(2026, 3, 20)
    assert kazan.day_kind(friday) == DayKind.REGIONAL_HOLIDAY
    assert not kazan.is_business_day(friday)
    assert moscow.day_kind(friday) == DayKind.WORKING
    assert kazan.regional_holiday_on(friday).region == "Tatarstan"
    # Its eve is shortened too, and a clock to the close of the next business day skips it.
    assert kazan.is_shortened(date(2026, 3, 19))
    assert not moscow.is_shortened(date(2026, 3, 19))
    assert kazan.add_business_days(at(2026, 3, 19, 12), 1) == at(2026, 3, 23, 18)
    assert calendars_for([tatarstan, msk])[tatarstan.pk].day_kind(friday) == DayKind.REGIONAL_HOLIDAY
    assert calendars_for([tatarstan, msk])[msk.pk].day_kind(friday) == DayKind.WORKING


def test_a_branchs_own_override_beats_its_regions(tatarstan):
    CalendarOverrideFactory(date=date(2026, 3, 20), branch=tatarstan, is_working=True, opens=time(10), closes=time(14))
    assert BusinessCalendar.for_branch(tatarstan).hours_on(date(2026, 3, 20)) == (time(10), time(14))


def test_the_preview_says_whose_holiday_it_is(admin_client, tatarstan):
    page = admin_client.get(PREVIEW, {"branch": tatarstan.pk, "month": "2026-03"}).content.decode()
    assert 'data-date="2026-03-20" data-kind="regional_holiday"' in page
    assert "Tatarstan: Uraza Bayram" in page


def test_a_region_and_its_holidays_are_edited_in_the_admin_and_audited(admin_client, msk):
    from contactcenter.audit.models import AuditEntry

    response = admin_client.post(
        reverse("admin:calendars_calendarregion_add"),
        {
            "name": "Bashkortostan",
            "branches": [msk.pk],
            "overrides-TOTAL_FORMS": "1",
            "overrides-INITIAL_FORMS": "0",
            "overrides-0-date": "2026-10-11",
            "overrides-0-note": "Republic Day",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    region = CalendarRegion.objects.get()
    assert AuditEntry.objects.for_target(region).filter(action="admin.added").exists()
    assert BusinessCalendar.for_branch(msk).day_kind(date(2026, 10, 11)) == DayKind.REGIONAL_HOLIDAY


# --- clocks follow a region's days off -----------------------------------------------------------


def _ten_business_days(case, branch):
    from contactcenter.deadlines import services as clocks
    from contactcenter.deadlines.rules import ClockRule

    return clocks.open_clock(
        case=case, kind="test_clock", branch=branch, rule=ClockRule.business_days(10), opened_at=at(2026, 11, 20, 15)
    )


def _region_form(region_pk=None, *, branches, holidays, initial=0):
    data = {"name": "Tatarstan", "branches": branches, "overrides-TOTAL_FORMS": str(len(holidays))}
    data["overrides-INITIAL_FORMS"] = str(initial)
    for number, (pk, day, note) in enumerate(holidays):
        data |= {f"overrides-{number}-date": day, f"overrides-{number}-note": note, f"overrides-{number}-region": ""}
        if pk:
            data |= {f"overrides-{number}-id": pk, f"overrides-{number}-region": region_pk}
    return data


def test_a_new_regional_holiday_moves_the_clocks_of_the_regions_branches(admin_client, case, msk, policy):
    clock = _ten_business_days(case, msk)
    assert clock.due_at == at(2026, 12, 4, 18)
    region = CalendarRegion.objects.create(name="Tatarstan")
    region.branches.add(msk)
    change = reverse("admin:calendars_calendarregion_change", args=[region.pk])
    response = admin_client.post(change, _region_form(branches=[msk.pk], holidays=[(None, "2026-11-25", "Local day")]))
    assert response.status_code == 302, response.content.decode()[:3000]
    clock.refresh_from_db()
    assert clock.due_at == at(2026, 12, 7, 18)


def test_a_branch_joining_a_region_has_its_clocks_follow_the_regions_days_off(admin_client, case, msk, policy):
    clock = _ten_business_days(case, msk)
    region = CalendarRegion.objects.create(name="Tatarstan")
    holiday = CalendarOverride.objects.create(region=region, date=date(2026, 11, 25), note="Local day")
    change = reverse("admin:calendars_calendarregion_change", args=[region.pk])
    form = _region_form(region.pk, branches=[msk.pk], holidays=[(holiday.pk, "2026-11-25", "Local day")], initial=1)
    response = admin_client.post(change, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    clock.refresh_from_db()
    assert clock.due_at == at(2026, 12, 7, 18)
