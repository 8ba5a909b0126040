"""Days and moments in templates, through the one formatter (``contactcenter.formats``).

``{{ moment|moment }}`` writes it in the active time zone (an e-mail to a customer renders in theirs,
``{% timezone %}`` sets one); ``{{ moment|moment:branch }}`` in the branch's zone. ``day`` and ``clock_time``
the same for the day and the time of day. Usable inside ``{% blocktranslate with … %}``, unlike a tag.
"""

import zoneinfo

from django import template
from django.utils import timezone
from django.utils.formats import get_format

from contactcenter.formats import day_text, moment_text, time_text

register = template.Library()


def _zone(where):
    if where in (None, ""):
        return timezone.get_current_timezone()
    if isinstance(where, str):
        return zoneinfo.ZoneInfo(where)
    return getattr(where, "tz", where)


@register.filter
def moment(value, where=None) -> str:
    return moment_text(value, _zone(where)) if value else ""


@register.filter
def day(value, where=None) -> str:
    return day_text(value, _zone(where)) if value else ""


@register.filter
def clock_time(value, where=None) -> str:
    return time_text(value, _zone(where)) if value else ""


@register.simple_tag
def printed_format(name: str) -> str:
    """The active language's format ``name`` (``SHORT_DATE_FORMAT``), for the script that prints the day chosen in
    a date picker the way the pages do (``static/js/printed-dates.js``)."""
    return get_format(name)
