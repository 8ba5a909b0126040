"""How a clock's due moment follows from its start, kept on the clock so that it can be computed again.

A case says "10 business days" or "11:00 on the next business day", not a date; the clock stores the rule
beside the moment it gave, and ``recompute_for_calendar_change`` applies it again when the calendar changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contactcenter.calendars.business_time import BusinessCalendar

FIXED = "fixed"
CALENDAR_HOURS = "calendar_hours"
BUSINESS_HOURS = "business_hours"
BUSINESS_DAYS = "business_days"
NEXT_BUSINESS_DAY_AT = "next_business_day_at"

# Rules whose result depends on the business calendar, and so may move when it changes.
CALENDAR_DEPENDENT = frozenset({BUSINESS_HOURS, BUSINESS_DAYS, NEXT_BUSINESS_DAY_AT})


class TermUnit(models.TextChoices):
    """The unit of an admin-edited term ("2 business hours", "3 days")."""

    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")


class TermBasis(models.TextChoices):
    CALENDAR = "calendar", _("calendar time")
    BUSINESS = "business", _("business time (the branch's working hours and days)")


def term_in_words(*, unit: str, basis: str, upto: int, since: int | None = None) -> str:
    """An admin-edited term as people say it: "1 hour", "2 business hours", "1–2 business days". The plural
    follows the last figure, as in Russian ("1–2 дня", "24 часа")."""
    figures = f"{since}–{upto}" if since else str(upto)
    business = basis == TermBasis.BUSINESS
    if unit == TermUnit.MINUTES:
        if business:
            text = ngettext("%(term)s business minute", "%(term)s business minutes", upto)
        else:
            text = ngettext("%(term)s minute", "%(term)s minutes", upto)
    elif unit == TermUnit.DAYS:
        if business:
            text = ngettext("%(term)s business day", "%(term)s business days", upto)
        else:
            text = ngettext("%(term)s day", "%(term)s days", upto)
    elif business:
        text = ngettext("%(term)s business hour", "%(term)s business hours", upto)
    else:
        text = ngettext("%(term)s hour", "%(term)s hours", upto)
    return text % {"term": figures}


@dataclass(frozen=True)
class ClockRule:
    basis: str
    amount: float = 0
    at: time | None = None
    # The clock is a call to the case's customer: never due outside their calling hours, however the engine
    # computes its moment again (a calendar change, a resumed pause). See ``deadlines.services.open_clock``.
    calls_customer: bool = False

    @classmethod
    def fixed(cls) -> ClockRule:
        """A moment given outright (a time the customer asked for): never recomputed."""
        return cls(FIXED)

    @classmethod
    def calendar_hours(cls, hours: float) -> ClockRule:
        return cls(CALENDAR_HOURS, amount=hours)

    @classmethod
    def business_hours(cls, hours: float) -> ClockRule:
        return cls(BUSINESS_HOURS, amount=hours)

    @classmethod
    def business_days(cls, days: int) -> ClockRule:
        return cls(BUSINESS_DAYS, amount=days)

    @classmethod
    def next_business_day_at(cls, at: time) -> ClockRule:
        return cls(NEXT_BUSINESS_DAY_AT, at=at)

    @classmethod
    def from_term(cls, amount: int, unit: str, basis: str) -> ClockRule:
        """The rule of a term edited in the admin: business days count whole days to their closing time,
        business minutes and hours count working time, calendar terms count the clock on the wall."""
        if basis == TermBasis.BUSINESS:
            if unit == TermUnit.DAYS:
                return cls.business_days(amount)
            return cls.business_hours(amount / 60 if unit == TermUnit.MINUTES else amount)
        hours = {TermUnit.MINUTES: amount / 60, TermUnit.HOURS: amount, TermUnit.DAYS: amount * 24}[unit]
        return cls.calendar_hours(hours)

    @property
    def depends_on_calendar(self) -> bool:
        return self.basis in CALENDAR_DEPENDENT

    def due_from(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        if self.basis == CALENDAR_HOURS:
            return start + timedelta(hours=self.amount)
        if self.basis == BUSINESS_HOURS:
            return calendar.add_business_hours(start, self.amount)
        if self.basis == BUSINESS_DAYS:
            return calendar.add_business_days(start, int(self.amount))
        if self.basis == NEXT_BUSINESS_DAY_AT:
            return calendar.next_business_day_at(start, self.at)
        raise ValueError(f"a {self.basis} rule has no due moment of its own")

    def as_json(self) -> dict:
        data = {"basis": self.basis}
        if self.amount:
            data["amount"] = self.amount
        if self.at is not None:
            data["at"] = self.at.strftime("%H:%M")
        if self.calls_customer:
            data["calls_customer"] = True
        return data

    @classmethod
    def from_json(cls, data: dict) -> ClockRule:
        if not data:
            return cls.fixed()
        at = data.get("at")
        return cls(
            data["basis"],
            amount=data.get("amount", 0),
            at=time.fromisoformat(at) if at else None,
            calls_customer=bool(data.get("calls_customer")),
        )
