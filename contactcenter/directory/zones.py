"""Whose clock a moment is read on: the reader's zone, the customer's, and the two side by side."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from contactcenter.formats import moment_text, time_text


def reader_zone(user, branch) -> ZoneInfo:
    """The reader's time zone for a moment of a case of ``branch``: that of the branches they work in when these
    share one, otherwise (a deputy director, staff of branches in several zones) the case's branch's."""
    if not getattr(user, "is_authenticated", False):
        return branch.tz
    return user.reading_zone(fallback=branch.tz)


def customer_zone(customer, branch=None) -> ZoneInfo:
    """The customer's zone: theirs, or their branch's. Give ``branch`` (the case's, already read) to read no row."""
    if customer.time_zone:
        return ZoneInfo(customer.time_zone)
    return (branch or customer.branch).tz


def reader_and_customer_time(moment: datetime, *, reader_zone: ZoneInfo, customer_zone: ZoneInfo) -> str:
    """ "01.12.2026 14:30 your time, 18:30 customer's time" (the customer's day too when it is another); only the
    reader's when the customer's clock shows the same time."""
    yours, theirs = moment.astimezone(reader_zone), moment.astimezone(customer_zone)
    text = moment_text(moment, reader_zone)
    if yours.utcoffset() == theirs.utcoffset():
        return text
    if theirs.date() == yours.date():
        their_text = time_text(moment, customer_zone)
    else:
        their_text = moment_text(moment, customer_zone)
    return _("%(yours)s your time, %(theirs)s customer's time") % {"yours": text, "theirs": their_text}
