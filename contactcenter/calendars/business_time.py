"""All business-time arithmetic: the one place that adds working days and hours to a moment.

A day's status is decided in this order, first match wins:

1. a ``CalendarOverride`` (the branch's own beats an all-branches one);
2. a regional holiday of a region the branch belongs to (``RegionalHoliday``, e.g. Tatarstan's Uraza Bayram);
3. a public holiday of the ``holidays`` package, including the days off it moved onto a weekday
   (Russia's "Day off (substituted from ...)", e.g. 2026-01-09 and 2026-12-31);
4. a transferred working day (``holidays``' ``weekend_workdays``, e.g. Saturday 2027-02-20 in Russia): it works
   the hours of the weekday it stands in for (Saturday 2027-02-20 those of Monday 2027-02-22);
5. the branch's weekly hours: a weekday with hours is a working day, one without is a day off.

A working day may have several intervals (a lunch break: 09:00–13:00 and 14:00–18:00); working time skips
the gaps. In Russia (Labour Code art. 95) a working day immediately before a non-working public or regional
holiday closes one hour earlier (``is_shortened``); a transferred working day is shortened when the weekday it
stands in for would have been. An override's hours are taken as written, never shortened.

Everything is computed in the branch's time zone and returns aware datetimes in that zone. Elapsed
time is measured in UTC so that a daylight-saving change inside the working hours counts right.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import functools
import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contactcenter import reference_cache
from contactcenter.directory.models import WorkingHours

from .models import CalendarOverride

# A calendar with no working day in this many days has no working days at all: give up, don't loop.
MAX_SCAN_DAYS = 3 * 366
# The holidays library writes the dates inside English names the US way ("substituted from 01/03/2026").
_US_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


# How much shorter the eve of a holiday is, per country: Russia's Labour Code, art. 95.
SHORTER_EVE = {"RU": timedelta(hours=1)}
# The end of a day that runs to midnight (a team working round the clock): 24:00, shown as such.
END_OF_DAY = time.max
AROUND_THE_CLOCK = ((time.min, END_OF_DAY),)

Interval = tuple[time, time]


def day_intervals(opens: time, closes: time, break_starts: time | None = None, break_ends: time | None = None):
    """The working intervals of a day open from ``opens`` to ``closes`` with an optional break."""
    if break_starts is None or break_ends is None:
        return ((opens, closes),)
    return ((opens, break_starts), (break_ends, closes))


def _as_intervals(value) -> tuple[Interval, ...]:
    """A weekday's hours given as ``(opens, closes)``, ``(opens, closes, break_starts, break_ends)`` or
    already as intervals."""
    if value and isinstance(value[0], tuple):
        return tuple(value)
    return day_intervals(*value)


def _shortened(intervals: tuple[Interval, ...], by: timedelta) -> tuple[Interval, ...]:
    """The same day ending ``by`` earlier: the last interval is cut, and dropped if nothing is left of it."""
    kept, remaining = list(intervals), by
    while kept and remaining > timedelta(0):
        start, end = kept[-1]
        length = datetime.combine(date.min, end) - datetime.combine(date.min, start)
        if length > remaining:
            kept[-1] = (start, (datetime.combine(date.min, end) - remaining).time())
            remaining = timedelta(0)
        else:
            kept.pop()
            remaining -= length
    return tuple(kept)


class DayOverride(NamedTuple):
    is_working: bool
    opens: time | None
    closes: time | None
    note: str = ""
    region: str = ""  # the region whose day it is (a regional holiday); empty for a branch's or everyone's


class DayKind(models.TextChoices):
    """What ``BusinessCalendar.day_kind`` says about a date; the values are plain strings."""

    WORKING = "working", _("working day")
    WEEKEND = "weekend", _("weekend")
    HOLIDAY = "holiday", _("public holiday")
    REGIONAL_HOLIDAY = "regional_holiday", _("regional holiday")
    TRANSFERRED_WORKING = "transferred_working", _("transferred working day")
    OVERRIDE_WORKING = "override_working", _("working by override")
    OVERRIDE_OFF = "override_off", _("day off by override")


@functools.lru_cache(maxsize=512)
def public_holidays_of(country: str, subdivision: str | None, year: int) -> holidays.HolidayBase:
    """One year's public holidays and transferred days of a place: the ``holidays`` package's data, the same for
    the whole life of the process, so computed once per process and year (a calendar is built for every case
    created). Only dates of ``year`` are looked up in it, so it never grows."""
    return holidays.country_holidays(country, subdiv=subdivision, years=year)


@functools.lru_cache(maxsize=64)
def _check_place(country: str, subdivision: str | None) -> None:
    """Raises ValueError where the ``holidays`` package has no calendar (not cached: it raises every time)."""
    try:
        holidays.country_holidays(country, subdiv=subdivision, years=[])
    except NotImplementedError as error:
        raise ValueError(f"no public-holiday calendar for country {country!r}, subdivision {subdivision!r}") from error


def load_overrides(branch) -> dict[date, DayOverride]:
    """Every override that applies to ``branch`` (``None``: the all-branches ones), in one query.

    Overrides are a handful of rows a year, so all of them are loaded rather than a window that a
    long deadline could run past. The branch's regions' rows replace the all-branches ones, and its own
    rows replace both.
    """
    general, own = _split_overrides(CalendarOverride.objects.applying_to(branch), branch_of_regions=branch)
    return general | (own[branch.pk] if branch is not None else {})


def _split_overrides(
    overrides, *, branch_of_regions=None
) -> tuple[dict[date, DayOverride], dict[int, dict[date, DayOverride]]]:
    """The all-branches overrides, and each branch's own (its regions' first, then its very own), from one
    query. A region's rows belong to ``branch_of_regions`` when given (they were selected for it), else to
    each of the region's branches."""
    general, regional, own = {}, defaultdict(dict), defaultdict(dict)
    fields = ["branch_id", "date", "is_working", "opens", "closes", "note", "region__name"]
    if branch_of_regions is None:
        fields.append("region__branches")
    for row in overrides.order_by().values_list(*fields):
        branch_id, day, is_working, opens, closes, note, region = row[:7]
        override = DayOverride(is_working, opens, closes, note, region or "")
        if region is not None:
            keys = [branch_of_regions.pk] if branch_of_regions is not None else [row[7]] if row[7] else []
            for key in keys:
                regional[key][day] = override
        elif branch_id is None:
            general[day] = override
        else:
            own[branch_id][day] = override
    merged = defaultdict(dict, {key: regional[key] | own[key] for key in regional.keys() | own.keys()})
    return general, merged


def calendars_for(branches) -> dict[int, BusinessCalendar]:
    """The calendar of each branch, by primary key, in two queries however many branches there are
    (their weekly hours, every override), where ``for_branch`` would take two per branch."""
    branches = list(branches)
    hours = defaultdict(dict)
    for row in WorkingHours.objects.filter(branch__in=branches).order_by():
        hours[row.branch_id][row.weekday] = row.intervals
    applying = Q(branch__isnull=True, region__isnull=True) | Q(branch__in=branches) | Q(region__branches__in=branches)
    general, own = _split_overrides(CalendarOverride.objects.filter(applying))
    return {
        branch.pk: BusinessCalendar.for_branch(
            branch, weekly_hours=hours[branch.pk], overrides=general | own[branch.pk]
        )
        for branch in branches
    }


def place_of(branch) -> tuple:
    """What a branch's calendar depends on besides its tables: the instance may hold a change not yet saved."""
    return branch.pk, branch.country, branch.subdivision, branch.time_zone


class BusinessCalendar:
    """The working days and hours of one branch, or of any place described by its parts.

    ``weekly_hours`` maps a weekday (0 = Monday) to ``(opens, closes)``, ``(opens, closes, break_starts,
    break_ends)`` or a tuple of intervals; a missing weekday is a day off. ``overrides`` maps a date to
    ``(is_working, opens, closes[, note[, region]])``; a day off with a region is a regional holiday.
    ``around_the_clock``: every hour of every day is working time (a team working 24/7); holidays do not apply.

    A transferred working day (a weekend day the law makes a working day) has the hours of the weekday it
    stands in for (the day off it was swapped with, as the ``holidays`` package names it); when that is not
    known, the branch's hours for its own weekday if it has any, otherwise those of its first working weekday.
    """

    def __init__(
        self,
        *,
        country: str,
        subdivision: str = "",
        tz: ZoneInfo,
        weekly_hours: dict[int, tuple],
        overrides: dict[date, tuple] | None = None,
        around_the_clock: bool = False,
    ):
        _check_place(country, subdivision or None)
        self.country = country
        self.subdivision = subdivision or None
        self.tz = tz
        self.weekly_intervals = {weekday: _as_intervals(value) for weekday, value in weekly_hours.items() if value}
        self.weekly_hours = {weekday: (spans[0][0], spans[-1][1]) for weekday, spans in self.weekly_intervals.items()}
        self.overrides = {day: DayOverride(*value) for day, value in (overrides or {}).items()}
        self.around_the_clock = around_the_clock
        self._holidays_by_year: dict[int, holidays.HolidayBase] = {}
        self._names: dict[tuple[int, str], holidays.HolidayBase] = {}
        self._swaps_by_year: dict[int, tuple[frozenset[date], dict[date, date]]] = {}

    @classmethod
    def for_branch(cls, branch, *, weekly_hours=None, overrides=None) -> BusinessCalendar:
        """The branch's calendar, kept while its set-up is unchanged (``reference_cache``: one small query); read
        afresh, two queries (weekly hours, overrides, regional holidays among them). None when both are given
        (``calendars_for`` reads them for many branches at once)."""
        if weekly_hours is None and overrides is None and branch.pk is not None:
            # Read from the tables, never from rows the instance may hold (prefetched before a change committed).
            return reference_cache.cached(
                ("branch calendar", *place_of(branch)),
                lambda: cls._read_for_branch(branch, weekly_hours=branch_weekly_hours(branch.pk)),
            )
        return cls._read_for_branch(branch, weekly_hours=weekly_hours, overrides=overrides)

    @classmethod
    def _read_for_branch(cls, branch, *, weekly_hours=None, overrides=None) -> BusinessCalendar:
        if weekly_hours is None:
            weekly_hours = {row.weekday: row.intervals for row in branch.working_hours.all()}
        return cls(
            country=branch.country,
            subdivision=branch.subdivision,
            tz=branch.tz,
            weekly_hours=weekly_hours,
            overrides=load_overrides(branch) if overrides is None else overrides,
        )

    @classmethod
    def for_team(cls, team, *, branch_calendar: BusinessCalendar | None = None) -> BusinessCalendar:
        """The calendar a team's clocks count in: the branch's (a team on the branch's schedule), every hour
        of every day (24/7), or the team's own weekly hours with its branch's days (holidays, transferred
        days, regional days, overrides as written, shortened eves). Two or three queries, fewer when the
        branch's calendar is given; kept while the set-up is unchanged when it is not (``reference_cache``)."""
        from contactcenter.directory.models import Team

        if team.schedule == Team.Schedule.BRANCH:
            return branch_calendar or cls.for_branch(team.branch)
        if branch_calendar is None and team.pk is not None:
            return reference_cache.cached(
                ("team calendar", team.pk, team.schedule, *place_of(team.branch)),
                lambda: cls._read_for_team(team, fresh=True),
            )
        return cls._read_for_team(team, branch_calendar=branch_calendar)

    @classmethod
    def _read_for_team(
        cls, team, *, branch_calendar: BusinessCalendar | None = None, fresh: bool = False
    ) -> BusinessCalendar:
        """``fresh``: the team's hours from the table, not from rows the instance may hold."""
        from contactcenter.directory.models import Team

        branch = team.branch
        overrides = branch_calendar.overrides if branch_calendar is not None else None
        return cls(
            country=branch.country,
            subdivision=branch.subdivision,
            tz=branch.tz,
            weekly_hours={}
            if team.schedule == Team.Schedule.AROUND_THE_CLOCK
            else team_weekly_hours(team, fresh=fresh),
            overrides=load_overrides(branch) if overrides is None else overrides,
            around_the_clock=team.schedule == Team.Schedule.AROUND_THE_CLOCK,
        )

    # --- what a day is -------------------------------------------------------------------------

    def _public_holidays(self, year: int) -> holidays.HolidayBase:
        if year not in self._holidays_by_year:
            self._holidays_by_year[year] = public_holidays_of(self.country, self.subdivision, year)
        return self._holidays_by_year[year]

    def holiday_name(self, day: date, language: str | None = None) -> str | None:
        """The public holiday's name in ``language`` (a Django language code; the active one by default) where
        the calendar has it, else in English; a date inside it ("substituted from …") in the product's
        ``dd.mm.yyyy``, never the US ``mm/dd/yyyy``."""
        if day not in self._public_holidays(day.year):
            return None
        wanted = (language or translation.get_language() or "en").split("-")[0]
        key = (day.year, wanted)
        if key not in self._names:
            supported = self._public_holidays(day.year).supported_languages
            chosen = wanted if wanted in supported else "en_US"
            self._names[key] = holidays.country_holidays(
                self.country, subdiv=self.subdivision, years=day.year, language=chosen
            )
        return _US_DATE.sub(r"\2.\1.\3", self._names[key].get(day) or "")

    def override_on(self, day: date) -> DayOverride | None:
        return self.overrides.get(day)

    def regional_holiday_on(self, day: date) -> DayOverride | None:
        """The regional day off on ``day`` (its ``region`` and, in ``note``, its name), if one applies."""
        override = self.overrides.get(day)
        if self.around_the_clock or override is None or override.is_working or not override.region:
            return None
        return override

    def _swaps(self, year: int) -> tuple[frozenset[date], dict[date, date]]:
        """The year's holidays proper (neither a day off moved onto a weekday nor one observed after a weekend),
        and each transferred working day's stand-in: the weekday off it was swapped with."""
        if year not in self._swaps_by_year:
            named = holidays.country_holidays(
                self.country, subdiv=self.subdivision, years=year, observed=False, language="en_US"
            )
            workdays = self._public_holidays(year).weekend_workdays
            proper, stand_in = set(), {}
            for day, name in named.items():
                moved = [date(int(y), int(m), int(d)) for m, d, y in _US_DATE.findall(name)]
                if not moved:
                    proper.add(day)
                for source in moved:
                    if source in workdays:
                        stand_in[source] = day
            self._swaps_by_year[year] = (frozenset(proper), stand_in)
        return self._swaps_by_year[year]

    def stands_in_for(self, day: date) -> date | None:
        """The weekday off a transferred working day was swapped with (2025-11-01 → 2025-11-03), when known."""
        return self._swaps(day.year)[1].get(day)

    def _is_holiday_eve(self, day: date) -> bool:
        """Whether the next day is a non-working holiday proper: public (not a day off moved or observed) or
        regional, and not made a working day by an override."""
        following = day + timedelta(days=1)
        kind = self.day_kind(following)
        return kind == DayKind.REGIONAL_HOLIDAY or (
            kind == DayKind.HOLIDAY and following in self._swaps(following.year)[0]
        )

    def day_kind(self, day: date) -> str:
        if self.around_the_clock:
            return DayKind.WORKING
        override = self.overrides.get(day)
        if override is not None:
            if override.is_working:
                return DayKind.OVERRIDE_WORKING
            return DayKind.REGIONAL_HOLIDAY if override.region else DayKind.OVERRIDE_OFF
        public = self._public_holidays(day.year)
        if day in public:
            return DayKind.HOLIDAY
        if day in public.weekend_workdays:
            return DayKind.TRANSFERRED_WORKING
        return DayKind.WORKING if day.weekday() in self.weekly_hours else DayKind.WEEKEND

    def is_shortened(self, day: date) -> bool:
        """A working day of the weekly hours that is the eve of a holiday (art. 95): it closes an hour earlier.

        A transferred working day carries the shortening of the weekday it stands in for: Saturday 2025-11-01
        stands in for Monday 2025-11-03, the eve of 2025-11-04, so it is shortened; Saturday 2024-12-28 stands
        in for Monday 2024-12-30, followed by a moved day off, not a holiday, so it is not.
        """
        if self.country not in SHORTER_EVE:
            return False
        kind = self.day_kind(day)
        if kind == DayKind.TRANSFERRED_WORKING:
            stand_in = self.stands_in_for(day)
            return stand_in is not None and self._is_holiday_eve(stand_in)
        return kind == DayKind.WORKING and not self.around_the_clock and self._is_holiday_eve(day)

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """The working intervals of ``day`` in local time, earliest first; empty on a day off. An interval
        ending at ``END_OF_DAY`` runs to midnight."""
        if self.around_the_clock:
            return AROUND_THE_CLOCK
        kind = self.day_kind(day)
        if kind == DayKind.OVERRIDE_WORKING:
            override = self.overrides[day]
            return ((override.opens, override.closes),)
        if kind == DayKind.WORKING:
            spans = self.weekly_intervals[day.weekday()]
        elif kind == DayKind.TRANSFERRED_WORKING and self.weekly_intervals:
            stand_in = self.stands_in_for(day)
            spans = (
                (self.weekly_intervals.get(stand_in.weekday()) if stand_in else None)
                or self.weekly_intervals.get(day.weekday())
                or self.weekly_intervals[min(self.weekly_intervals)]
            )
        else:
            return ()
        if self.is_shortened(day):
            spans = _shortened(spans, SHORTER_EVE[self.country])
        return spans

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """When ``day`` opens and closes (its first and last working moment, breaks inside); None on a day off."""
        spans = self.intervals_on(day)
        return (spans[0][0], spans[-1][1]) if spans else None

    def is_working_at(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside a working interval (a break is not working time)."""
        local = self._local(moment)
        return any(
            self._at(local.date(), opens) <= local <= self._end(local.date(), closes)
            for opens, closes in self.intervals_on(local.date())
        )

    def is_business_day(self, day: date) -> bool:
        return bool(self.intervals_on(day))

    def business_days(self, year: int, month: int) -> list[date]:
        last = stdlib_calendar.monthrange(year, month)[1]
        days = (date(year, month, number) for number in range(1, last + 1))
        return [day for day in days if self.is_business_day(day)]

    def business_day_back(self, day: date, n: int) -> date:
        """The ``n``-th business day counted back from ``day``, ``day`` itself included when it is one.

        A case received on day ``r`` is at most ``k`` business days old on ``day`` (business days after
        ``r`` up to ``day``) exactly when ``r`` is on or after ``business_day_back(day, k + 1)``.
        """
        if n < 1:
            raise ValueError(f"n must be a positive number of business days, not {n!r}")
        found = 0
        for offset in range(MAX_SCAN_DAYS + 1):
            candidate = day - timedelta(days=offset)
            if self.is_business_day(candidate):
                found += 1
                if found == n:
                    return candidate
        raise ValueError(f"fewer than {n} business days within {MAX_SCAN_DAYS} days before {day:%Y-%m-%d}")

    def business_days_between(self, start: date, end: date) -> int:
        """How many business days come after ``start`` up to ``end`` included (0 when ``end`` is not later)."""
        return sum(1 for offset in range(1, (end - start).days + 1) if self.is_business_day(start + timedelta(offset)))

    # --- arithmetic ----------------------------------------------------------------------------

    def add_business_days(self, start: datetime, n: int) -> datetime:
        """The closing time of the ``n``-th business day after the (local) day of ``start``."""
        if n < 1:
            raise ValueError(f"n must be a positive number of business days, not {n!r}")
        day = self._local(start).date()
        for _step in range(n):
            day = self._next_business_day(day)
        return self._end(day, self.hours_on(day)[1])

    def next_business_day_at(self, start: datetime, at: time) -> datetime:
        """``at`` (local time) on the first business day after the (local) day of ``start``."""
        return self._at(self._next_business_day(self._local(start).date()), at)

    def add_business_hours(self, start: datetime, hours: float | timedelta) -> datetime:
        """``start`` plus ``hours`` of working time; outside working hours the count starts at the next opening.

        A result that lands exactly on a closing time stays there instead of moving to the next opening.
        """
        remaining = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        if remaining < timedelta(0):
            raise ValueError(f"hours must not be negative, not {hours!r}")
        cursor = self._local(start).astimezone(UTC)
        day = self._local(start).date()
        if not self.is_business_day(day):
            day = self._next_business_day(day)
        while True:
            for opens, closes in self.intervals_on(day):
                opening = self._at(day, opens).astimezone(UTC)
                closing = self._end(day, closes).astimezone(UTC)
                cursor = max(cursor, opening)
                if cursor <= closing:
                    if remaining <= closing - cursor:
                        return (cursor + remaining).astimezone(self.tz)
                    remaining -= closing - cursor
            day = self._next_business_day(day)

    def next_closing_after(self, moment: datetime) -> datetime | None:
        """The end of the working interval ``moment`` is in (None when it is outside working time)."""
        local = self._local(moment)
        for opens, closes in self.intervals_on(local.date()):
            closing = self._end(local.date(), closes)
            if self._at(local.date(), opens) <= local < closing:
                return closing
        return None

    # --- internals -----------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"a naive datetime cannot be placed in a time zone: {moment!r}")
        return moment.astimezone(self.tz)

    def _at(self, day: date, at: time) -> datetime:
        """``at`` on ``day`` in the calendar's zone; a time skipped by a clock change moves forward."""
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def _end(self, day: date, at: time) -> datetime:
        """The end of an interval: ``END_OF_DAY`` is midnight at the start of the next day."""
        return self._at(day + timedelta(days=1), time.min) if at == END_OF_DAY else self._at(day, at)

    def _next_business_day(self, day: date) -> date:
        for offset in range(1, MAX_SCAN_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_business_day(candidate):
                return candidate
        raise ValueError(f"no business day within {MAX_SCAN_DAYS} days after {day:%Y-%m-%d}")


def team_weekly_hours(team, *, fresh: bool = False) -> dict[int, tuple[Interval, ...]]:
    """``fresh``: from the table, whatever the instance holds (prefetched rows)."""
    from contactcenter.directory.models import TeamHours

    rows = TeamHours.objects.filter(team_id=team.pk) if fresh else team.hours.all()
    return {row.weekday: row.intervals for row in rows}


def branch_weekly_hours(branch_id: int) -> dict[int, tuple[Interval, ...]]:
    return {row.weekday: row.intervals for row in WorkingHours.objects.filter(branch_id=branch_id)}


def add_business_days(branch, start: datetime, n: int) -> datetime:
    return BusinessCalendar.for_branch(branch).add_business_days(start, n)


def next_business_day_at(branch, start: datetime, at: time) -> datetime:
    return BusinessCalendar.for_branch(branch).next_business_day_at(start, at)


def add_business_hours(branch, start: datetime, hours: float | timedelta) -> datetime:
    return BusinessCalendar.for_branch(branch).add_business_hours(start, hours)
