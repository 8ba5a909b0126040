"""The month grid of the admin's calendar preview: what each day of a branch's month is, and why."""

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

from .business_time import BusinessCalendar, DayKind


@dataclass(frozen=True)
class PreviewDay:
    date: date
    kind: str
    label: str
    hours: tuple[time, time] | None
    detail: str  # the holiday's name or the override's note


def preview_day(calendar: BusinessCalendar, day: date) -> PreviewDay:
    kind = calendar.day_kind(day)
    override = calendar.override_on(day)
    detail = override.note if override is not None else calendar.holiday_name(day) or ""
    return PreviewDay(day, kind, DayKind(kind).label, calendar.hours_on(day), detail)


def month_grid(calendar: BusinessCalendar, first: date) -> list[list[PreviewDay | None]]:
    """Weeks from Monday to Sunday; the cells of the neighbouring months are None."""
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[preview_day(calendar, day) if day.month == first.month else None for day in week] for week in weeks]


def neighbour_months(first: date) -> tuple[date, date]:
    """The first days of the previous and the next month."""
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return previous, following
