"""The month grid of the admin's calendar preview: what each day of a branch's month is, and why."""

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.translation import gettext as _

from .business_time import END_OF_DAY, BusinessCalendar, DayKind


@dataclass(frozen=True)
class PreviewDay:
    date: date
    kind: str
    label: str
    hours: tuple[time, time] | None
    detail: str  # the holiday's name (a regional one with its region) or the override's note
    intervals: tuple[tuple[time, time], ...] = ()
    shortened: bool = False

    @property
    def intervals_text(self) -> str:
        """ "09:00–13:00, 14:00–18:00"; a day running to midnight ends at 24:00."""
        return ", ".join(f"{opens:%H:%M}–{_clock(closes)}" for opens, closes in self.intervals)


def _clock(moment: time) -> str:
    return "24:00" if moment == END_OF_DAY else f"{moment:%H:%M}"


def preview_day(calendar: BusinessCalendar, day: date) -> PreviewDay:
    kind = calendar.day_kind(day)
    override = calendar.override_on(day)
    if override is not None and override.region:
        detail = _("%(region)s: %(holiday)s") % {"region": override.region, "holiday": override.note}
    elif override is not None:
        detail = override.note
    else:
        detail = calendar.holiday_name(day) or ""
    return PreviewDay(
        day,
        kind,
        DayKind(kind).label,
        calendar.hours_on(day),
        detail,
        intervals=calendar.intervals_on(day),
        shortened=calendar.is_shortened(day),
    )


def month_grid(calendar: BusinessCalendar, first: date) -> list[list[PreviewDay | None]]:
    """Weeks from Monday to Sunday; the cells of the neighbouring months are None."""
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[preview_day(calendar, day) if day.month == first.month else None for day in week] for week in weeks]


def neighbour_months(first: date) -> tuple[date, date]:
    """The first days of the previous and the next month."""
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return previous, following
