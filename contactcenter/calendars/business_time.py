"""All business-time arithmetic: the one place that adds working days and hours to a moment.

A day's status is decided in this order, first match wins:

1. a ``CalendarOverride`` (the branch's own beats an all-branches one);
2. a public holiday of the ``holidays`` package, including the days off it moved onto a weekday
   (Russia's "Day off (substituted from ...)", e.g. 2026-01-09 and 2026-12-31);
3. a transferred working day (``holidays``' ``weekend_workdays``, e.g. Saturday 2027-02-20 in Russia);
4. the branch's weekly hours: a weekday with hours is a working day, one without is a day off.

Everything is computed in the branch's time zone and returns aware datetimes in that zone. Elapsed
time is measured in UTC so that a daylight-saving change inside the working hours counts right.
"""

from __future__ import annotations

import calendar as stdlib_calendar
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

from contactcenter.directory.models import WorkingHours

from .models import CalendarOverride

# A calendar with no working day in this many days has no working days at all: give up, don't loop.
MAX_SCAN_DAYS = 3 * 366
# The holidays library writes the dates inside English names the US way ("substituted from 01/03/2026").
_US_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


class DayOverride(NamedTuple):
    is_working: bool
    opens: time | None
    closes: time | None
    note: str = ""


class DayKind(models.TextChoices):
    """What ``BusinessCalendar.day_kind`` says about a date; the values are plain strings."""

    WORKING = "working", _("working day")
    WEEKEND = "weekend", _("weekend")
    HOLIDAY = "holiday", _("public holiday")
    TRANSFERRED_WORKING = "transferred_working", _("transferred working day")
    OVERRIDE_WORKING = "override_working", _("working by override")
    OVERRIDE_OFF = "override_off", _("day off by override")


def load_overrides(branch) -> dict[date, DayOverride]:
    """Every override that applies to ``branch`` (``None``: the all-branches ones), in one query.

    Overrides are a handful of rows a year, so all of them are loaded rather than a window that a
    long deadline could run past. The branch's own rows are merged last so that they replace the others.
    """
    general, own = _split_overrides(CalendarOverride.objects.applying_to(branch))
    return general | (own[branch.pk] if branch is not None else {})


def _split_overrides(overrides) -> tuple[dict[date, DayOverride], dict[int, dict[date, DayOverride]]]:
    """The all-branches overrides, and each branch's own, from one query."""
    general, own = {}, defaultdict(dict)
    rows = overrides.order_by().values_list("branch_id", "date", "is_working", "opens", "closes", "note")
    for branch_id, day, is_working, opens, closes, note in rows:
        (general if branch_id is None else own[branch_id])[day] = DayOverride(is_working, opens, closes, note)
    return general, own


def calendars_for(branches) -> dict[int, BusinessCalendar]:
    """The calendar of each branch, by primary key, in two queries however many branches there are
    (their weekly hours, every override), where ``for_branch`` would take two per branch."""
    branches = list(branches)
    hours = defaultdict(dict)
    for row in WorkingHours.objects.filter(branch__in=branches).order_by():
        hours[row.branch_id][row.weekday] = (row.opens, row.closes)
    general, own = _split_overrides(CalendarOverride.objects.filter(Q(branch__isnull=True) | Q(branch__in=branches)))
    return {
        branch.pk: BusinessCalendar.for_branch(
            branch, weekly_hours=hours[branch.pk], overrides=general | own[branch.pk]
        )
        for branch in branches
    }


class BusinessCalendar:
    """The working days and hours of one branch, or of any place described by its parts.

    ``weekly_hours`` maps a weekday (0 = Monday) to ``(opens, closes)``; a missing weekday is a day
    off. ``overrides`` maps a date to ``(is_working, opens, closes[, note])``.

    A transferred working day (a weekend day the law makes a working day) has the branch's hours for
    that weekday if it has any, otherwise the hours of its first working weekday (Monday's, usually):
    a Monday–Friday branch works a transferred Saturday on Monday hours.
    """

    def __init__(
        self,
        *,
        country: str,
        subdivision: str = "",
        tz: ZoneInfo,
        weekly_hours: dict[int, tuple[time, time]],
        overrides: dict[date, tuple] | None = None,
    ):
        try:
            holidays.country_holidays(country, subdiv=subdivision or None, years=[])
        except NotImplementedError as error:
            raise ValueError(
                f"no public-holiday calendar for country {country!r}, subdivision {subdivision!r}"
            ) from error
        self.country = country
        self.subdivision = subdivision or None
        self.tz = tz
        self.weekly_hours = dict(weekly_hours)
        self.overrides = {day: DayOverride(*value) for day, value in (overrides or {}).items()}
        self._holidays_by_year: dict[int, holidays.HolidayBase] = {}
        self._names: dict[tuple[int, str], holidays.HolidayBase] = {}

    @classmethod
    def for_branch(cls, branch, *, weekly_hours=None, overrides=None) -> BusinessCalendar:
        """Two queries (weekly hours, overrides); one if the branch's ``working_hours`` were prefetched, none
        when both are given (``calendars_for`` reads them for many branches at once)."""
        if weekly_hours is None:
            weekly_hours = {row.weekday: (row.opens, row.closes) for row in branch.working_hours.all()}
        return cls(
            country=branch.country,
            subdivision=branch.subdivision,
            tz=branch.tz,
            weekly_hours=weekly_hours,
            overrides=load_overrides(branch) if overrides is None else overrides,
        )

    # --- what a day is -------------------------------------------------------------------------

    def _public_holidays(self, year: int) -> holidays.HolidayBase:
        if year not in self._holidays_by_year:
            self._holidays_by_year[year] = holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
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

    def day_kind(self, day: date) -> str:
        override = self.overrides.get(day)
        if override is not None:
            return DayKind.OVERRIDE_WORKING if override.is_working else DayKind.OVERRIDE_OFF
        public = self._public_holidays(day.year)
        if day in public:
            return DayKind.HOLIDAY
        if day in public.weekend_workdays:
            return DayKind.TRANSFERRED_WORKING
        return DayKind.WORKING if day.weekday() in self.weekly_hours else DayKind.WEEKEND

    def hours_on(self, day: date) -> tuple[time, time] | None:
        kind = self.day_kind(day)
        if kind == DayKind.OVERRIDE_WORKING:
            override = self.overrides[day]
            return override.opens, override.closes
        if kind == DayKind.WORKING:
            return self.weekly_hours[day.weekday()]
        if kind == DayKind.TRANSFERRED_WORKING and self.weekly_hours:
            return self.weekly_hours.get(day.weekday()) or self.weekly_hours[min(self.weekly_hours)]
        return None

    def is_business_day(self, day: date) -> bool:
        return self.hours_on(day) is not None

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
        return self._at(day, self.hours_on(day)[1])

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
            opens, closes = self.hours_on(day)
            opening = self._at(day, opens).astimezone(UTC)
            closing = self._at(day, closes).astimezone(UTC)
            cursor = max(cursor, opening)
            if cursor <= closing:
                if remaining <= closing - cursor:
                    return (cursor + remaining).astimezone(self.tz)
                remaining -= closing - cursor
            day = self._next_business_day(day)

    # --- internals -----------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"a naive datetime cannot be placed in a time zone: {moment!r}")
        return moment.astimezone(self.tz)

    def _at(self, day: date, at: time) -> datetime:
        """``at`` on ``day`` in the calendar's zone; a time skipped by a clock change moves forward."""
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def _next_business_day(self, day: date) -> date:
        for offset in range(1, MAX_SCAN_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_business_day(candidate):
                return candidate
        raise ValueError(f"no business day within {MAX_SCAN_DAYS} days after {day:%Y-%m-%d}")


def add_business_days(branch, start: datetime, n: int) -> datetime:
    return BusinessCalendar.for_branch(branch).add_business_days(start, n)


def next_business_day_at(branch, start: datetime, at: time) -> datetime:
    return BusinessCalendar.for_branch(branch).next_business_day_at(start, at)


def add_business_hours(branch, start: datetime, hours: float | timedelta) -> datetime:
    return BusinessCalendar.for_branch(branch).add_business_hours(start, hours)
