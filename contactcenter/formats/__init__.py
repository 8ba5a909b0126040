"""One way to write a moment, a day and a time of day, per language: pages, flash messages, e-mails, CSV
downloads and the admin all read the same formats.

The formats themselves are Django format modules, one per language beside this file
(``FORMAT_MODULE_PATH`` points here): ``SHORT_DATETIME_FORMAT`` is how a moment reads (``01.12.2026 11:41``
in English and Russian, ``2026.12.01. 11:41`` in Hungarian), ``SHORT_DATE_FORMAT`` a day. The admin reads
``DATETIME_FORMAT`` and ``DATE_FORMAT``, which are the same. A moment is always written in a zone the caller
names (the case's branch, or the reader's: ``User.reading_zone``), never in the server's UTC.

The first input format (``DATE_INPUT_FORMATS``, ``DATETIME_INPUT_FORMATS``) is the printed one, so the admin's
date fields and their calendar popup show and write a day as the pages print it, and a day copied from a page can
be typed back; the ISO day is accepted too. The native pickers of the project's forms render ISO themselves
(``contactcenter.widgets``).
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from django.utils import dateformat, timezone
from django.utils.formats import get_format


def moment_text(moment: datetime | None, zone: tzinfo) -> str:
    """The moment in ``zone`` as the active language writes it (``01.12.2026 11:41``); empty when there is none."""
    if moment is None:
        return ""
    return dateformat.format(timezone.localtime(moment, zone), get_format("SHORT_DATETIME_FORMAT"))


def _in_zone(value, zone: tzinfo | None, part: str):
    """The day or time of day (``part``) of a moment read in ``zone``; a day or a time as it is."""
    if not isinstance(value, datetime):
        return value
    if zone is None:
        raise ValueError("a moment needs the zone it is read in")
    return getattr(timezone.localtime(value, zone), part)()


def current_moment_text(moment: datetime | None) -> str:
    """The moment in the active zone (the admin's reader's, ``AdminReaderZoneMiddleware``): a record's name, which
    knows no branch of its own to read it in."""
    return moment_text(moment, timezone.get_current_timezone())


def day_text(value: date | datetime | None, zone: tzinfo | None = None) -> str:
    """The day as the active language writes it (``01.12.2026``); a moment is read in ``zone`` first."""
    if value is None:
        return ""
    return dateformat.format(_in_zone(value, zone, "date"), get_format("SHORT_DATE_FORMAT"))


def time_text(value: time | datetime | None, zone: tzinfo | None = None) -> str:
    """The time of day (``11:41``); a moment is read in ``zone`` first."""
    if value is None:
        return ""
    return dateformat.time_format(_in_zone(value, zone, "time"), get_format("TIME_FORMAT"))
