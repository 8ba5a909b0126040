"""How far a date a person types may lie: every typed day and moment is checked against these bounds.

Two layers. Every form field and filter that takes a typed date refuses a day outside ``EARLIEST_DAY`` …
``LATEST_DAY`` (``check_day``): a year-1 date cannot be placed in a time zone or stored safely (PostgreSQL
keeps it as a date BC, which the pages then fail to read). The services then apply the rule of each date, with
its own message: a complaint received at most ``COMPLAINT_RECEIVED_MAX_AGE_DAYS`` ago and not before its
branch opened, a customer's time or an agreed next contact at most ``CALLBACK_MAX_DAYS_AHEAD`` ahead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField

from contactcenter.formats import day_text

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def check_day(value: date | datetime | None) -> None:
    """Refuse a typed day (or the day of a typed moment) outside ``EARLIEST_DAY`` … ``LATEST_DAY``; a field
    validator, and the guard of the selectors that turn days into moments."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            _("Choose days from %(first)s to %(last)s."),
            code="day_out_of_range",
            params={"first": day_text(EARLIEST_DAY), "last": day_text(LATEST_DAY)},
        )


def check_period(date_from: date, date_to: date) -> None:
    check_day(date_from)
    check_day(date_to)


def oldest_complaint_moment(now: datetime) -> datetime:
    return now - timedelta(days=settings.COMPLAINT_RECEIVED_MAX_AGE_DAYS)


def latest_callback_moment(now: datetime) -> datetime:
    return now + timedelta(days=settings.CALLBACK_MAX_DAYS_AHEAD)


class DayRangeField(DateRangeField):
    """django-filter's "from … to" days, each one within the bounds (checked before it becomes a moment)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(check_day)


class DayRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = DayRangeField


class DayFilter(django_filters.DateFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, validators=[check_day], **kwargs)
