from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from contactcenter.deadlines.names import clock_name as name_of_clock
from contactcenter.deadlines.names import pause_reason_in_language, pause_reasons_by_english
from contactcenter.directory.zones import customer_zone, reader_and_customer_time, reader_zone
from contactcenter.formats import day_text, moment_text
from contactcenter.reference_labels import read_once_per_request

register = template.Library()


def duration_in_words(delta) -> str:
    """ "1 d 3 h", "2 h 5 min", "12 min": a length of time the way the pages say it."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.simple_tag
def time_left(clock, now=None):
    """ "2 h 5 min left" or "overdue by 1 d 3 h", coloured by the clock's state (frozen while paused)."""
    return due_badge(clock.due_at, clock.state, now=clock.paused_at or now)


@register.simple_tag
def due_badge(moment, state="", now=None):
    """The time left to ``moment`` in words, red when past, amber when the clock says due soon."""
    if moment is None:
        return ""
    delta = moment - (now or timezone.now())
    if delta.total_seconds() < 0:
        text = _("overdue by %(time)s") % {"time": duration_in_words(delta)}
        return format_html('<span class="badge text-bg-danger">{}</span>', text)
    css = "text-bg-warning" if state == "due_soon" else "text-bg-light border"
    return format_html('<span class="badge {}">{}</span>', css, _("%(time)s left") % {"time": duration_in_words(delta)})


@register.simple_tag
def local_time(moment, branch):
    """A moment in the branch's time zone, the way its staff read a clock (``contactcenter.formats``)."""
    return moment_text(moment, branch.tz)


@register.simple_tag
def local_day(moment, branch):
    """The day of a moment in the branch's time zone (``15.12.2026``): a due date told to a customer."""
    return day_text(moment, branch.tz)


@register.simple_tag(takes_context=True)
def paused_since(context, paused_at, reason, branch):
    """ "paused since 01.12.2026 14:05 MSK (waiting for the customer's documents)", in the reader's time zone;
    nothing for a clock that runs."""
    if paused_at is None:
        return ""
    zone = reader_zone(context.get("user"), branch)
    text = _("paused since %(moment)s (%(reason)s)") % {
        "moment": f"{moment_text(paused_at, zone)} {timezone.localtime(paused_at, zone).tzname()}",
        "reason": pause_reason_in_language(reason, read_once_per_request("pause_reasons", pause_reasons_by_english)),
    }
    return format_html('<span class="badge text-bg-info text-wrap text-start" data-testid="paused">{}</span>', text)


@register.filter
def clock_name(kind: str) -> str:
    """ "Forwarding to the manager": what a kind of clock is called, in the reader's language."""
    return name_of_clock(kind)


@register.simple_tag
def clock_due(clock) -> str:
    """ "Forwarding to the manager, due 02.12.2026 11:00": the clock named, with its due moment in its branch's
    time zone, so that two clocks of one case read as two different things to do."""
    return clock_due_at(clock.kind, clock.due_at, clock.branch)


@register.simple_tag
def clock_due_at(kind: str, moment, branch, customer=None) -> str:
    """``clock_due`` for a list that reads the due moment from its case (``Callback.next_contact_at``…); with the
    ``customer``, their time beside it when their clock shows another ("…, due 24.11.2026 22:00 your time, 05:00
    customer's time")."""
    if moment is None:
        return name_of_clock(kind)
    if customer is None:
        when = local_time(moment, branch)
    else:
        when = reader_and_customer_time(moment, reader_zone=branch.tz, customer_zone=customer_zone(customer, branch))
    return _("%(clock)s, due %(moment)s") % {"clock": name_of_clock(kind), "moment": when}
