"""When a callback is due: whose hours its clock counts in, and the moment its reason's term ends there.

A callback is worked by a contact-centre team, not by the branch: its clock counts in the schedule of the
assigned operator's team in the callback's branch, or, for a callback waiting in the branch queue (or an
operator in no team of the branch), of the branch's queue team (``Team.takes_branch_queue``); with neither,
in the branch's own business hours. The team is chosen when a clock opens and kept on it (``Deadline.team``),
so a reassignment does not move a promise already made; the next clock is counted in the new team's hours.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from contactcenter import reference_cache
from contactcenter.calendars.business_time import BusinessCalendar, place_of
from contactcenter.calendars.calling_hours import CallingHours
from contactcenter.directory.models import Team
from contactcenter.formats import moment_text

from .models import CallbackReason


def callback_team(*, branch, operator) -> Team | None:
    """The team whose schedule a callback of ``branch`` assigned to ``operator`` (None: the queue) counts in."""
    teams = Team.objects.filter(branch=branch).select_related("branch").order_by("name", "pk")
    if operator is not None:
        team = teams.filter(members=operator).first()
        if team is not None:
            return team
    return teams.filter(takes_branch_queue=True).first()


def callback_calendar(*, branch, operator) -> tuple[BusinessCalendar, Team | None]:
    """The calendar a callback's clock counts in, and the team it belongs to (None: the branch's hours); kept
    while the set-up (teams, their members and hours, the branch's hours and days) is unchanged
    (``reference_cache``), the team as a copy of its own."""

    def read():
        team = callback_team(branch=branch, operator=operator)
        return (BusinessCalendar.for_team(team) if team is not None else BusinessCalendar.for_branch(branch)), team

    if branch.pk is None:
        return read()
    key = ("callback calendar", *place_of(branch), operator.pk if operator is not None else None)
    calendar, team = reference_cache.cached(key, read)
    if team is None:
        return calendar, None
    own = copy.copy(team)
    own.branch = copy.copy(team.branch)  # a copy holds the same related objects: its own branch too
    return calendar, own


def callback_due_at(*, reason: CallbackReason, now: datetime, calendar: BusinessCalendar) -> datetime:
    """The moment the reason's term, started ``now``, ends in ``calendar``: the one computation of a callback's
    due moment from its reason, for its clock and for the registration form's preview.

    A term in business hours counts only the hours the team works: "within the hour" asked at 17:55 on a
    team closing at 18:00 has 5 minutes that day and 55 minutes from the next opening (Monday 09:55)."""
    return reason.due_rule.due_from(now, calendar)


def _moment(moment: datetime, tz) -> str:
    local = moment.astimezone(tz)
    # The weekday in the reader's language, then the moment as every page writes it (``contactcenter.formats``).
    return f"{formats.date_format(local, 'D')} {moment_text(moment, tz)}"


def due_explanation(*, reason, branch, operator, now: datetime, tz) -> dict:
    """What the registration form says before saving: the due moment, and why it is later than the term's
    length when the team's hours interrupt it ("due Mon 23.11.2026 09:29: the centre closes at 18:00")."""
    calendar, team = callback_calendar(branch=branch, operator=operator)
    # The customer is not known yet (the phone is still being typed): their calling hours in the branch's zone,
    # as the clock will clamp the term's end into them for a customer of that zone.
    due = CallingHours.of(branch).earliest(callback_due_at(reason=reason, now=now, calendar=calendar), branch.tz)
    who = team.name if team is not None else branch.name
    text = _("Due %(moment)s (%(term)s).") % {"moment": _moment(due, tz), "term": reason.term}
    if reason.due_rule.depends_on_calendar and not calendar.around_the_clock:
        closing = calendar.next_closing_after(now)
        if closing is None:
            text += " " + _("%(who)s is not working now: the term counts from its next opening.") % {"who": who}
        elif due > closing:
            text += " " + _("%(who)s closes at %(time)s: the rest of the term counts from its next opening.") % {
                "who": who,
                "time": f"{closing.astimezone(tz):%H:%M}",
            }
    elif not calendar.is_working_at(due):
        text += " " + _("%(who)s is not working at that moment: the term is counted in calendar time.") % {"who": who}
    return {"due_at": due.isoformat(), "text": text, "team": team.name if team is not None else ""}
