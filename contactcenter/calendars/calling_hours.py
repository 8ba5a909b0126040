"""Calling hours: when a customer may be called, in the customer's own local time.

Each branch sets them in the admin (``Branch.calls_weekdays_from`` … ``calls_weekends_until``; by default
08:00–21:00 on weekdays and 09:00–20:00 at weekends). A weekend is a Saturday or a Sunday that is not a
transferred working day, or a public holiday of the branch's country. The customer's zone is the one on their
record, or their branch's.

One rule, called by the callbacks' due computation (a term ending at 03:00 the customer's time is due at 08:00),
the retry scheduler (never a retry at night) and "Take next" (nobody is offered outside them): ``earliest_call_at``
and ``within_calling_hours``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from contactcenter.directory.zones import customer_zone

from .business_time import public_holidays_of

# A calendar whose next working moment and the customer's calling hours do not meet within this many rounds
# has no common hour (a team working 09:00–10:00 Moscow time for a customer on the other side of the world):
# the customer's hours win.
MAX_ROUNDS = 16


@dataclass(frozen=True)
class CallingHours:
    """A branch's calling hours: ``(from, until)`` on weekdays and at weekends, and whose public holidays count
    as weekends."""

    weekdays: tuple[time, time]
    weekends: tuple[time, time]
    country: str
    subdivision: str = ""

    @classmethod
    def of(cls, branch) -> CallingHours:
        return cls(
            weekdays=(branch.calls_weekdays_from, branch.calls_weekdays_until),
            weekends=(branch.calls_weekends_from, branch.calls_weekends_until),
            country=branch.country,
            subdivision=branch.subdivision,
        )

    def is_weekend(self, day: date) -> bool:
        public = public_holidays_of(self.country, self.subdivision or None, day.year)
        if day in public:
            return True
        return day.weekday() >= 5 and day not in public.weekend_workdays

    def hours_on(self, day: date) -> tuple[time, time]:
        return self.weekends if self.is_weekend(day) else self.weekdays

    def within(self, moment: datetime, tz: ZoneInfo) -> bool:
        local = moment.astimezone(tz)
        start, end = self.hours_on(local.date())
        return start <= local.time() < end

    def earliest(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """``moment`` itself when it is inside the calling hours, else the next moment they open."""
        local = moment.astimezone(tz)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            start, end = self.hours_on(day)
            opens, closes = _at(day, start, tz), _at(day, end, tz)
            if local < opens:
                return opens
            if local < closes:
                return moment
        raise AssertionError("calling hours open every day")  # pragma: no cover


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``tz``; a time skipped by a clock change moves forward."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


def within_calling_hours(moment: datetime, *, customer, branch=None) -> bool:
    """May ``customer`` be called at ``moment`` (the calling hours of ``branch``, the case's, or the customer's)?"""
    branch = branch or customer.branch
    return CallingHours.of(branch).within(moment, customer_zone(customer, branch))


def earliest_call_at(moment: datetime, *, customer, branch=None, calendar=None) -> datetime:
    """The first moment from ``moment`` on at which ``customer`` may be called.

    With a ``calendar`` (a ``BusinessCalendar``: the hours somebody works), the first moment that is both a
    working moment and inside the customer's calling hours: a retry for a customer in Vladivostok of a Moscow
    branch working 09:00–18:00 waits for 09:00 Moscow time (16:00 in Vladivostok), not for 08:00 in Vladivostok
    (01:00 in Moscow, when nobody works).
    """
    branch = branch or customer.branch
    hours, tz = CallingHours.of(branch), customer_zone(customer, branch)
    candidate = hours.earliest(moment, tz)
    if calendar is None:
        return candidate
    for _round in range(MAX_ROUNDS):
        working = calendar.add_business_hours(candidate, 0)
        callable_at = hours.earliest(working, tz)
        if callable_at == working:
            return working
        candidate = callable_at
    return candidate
