"""The only way a case opens, moves, pauses and meets its clocks.

Each function works on the open clock of one ``kind`` of one ``case``, takes the row lock, and is meant
to be called inside the case's own transaction (it opens one of its own when called alone). Pauses,
moves and cancellations leave an audit entry on the case.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter import reference_cache
from contactcenter.audit.services import record_audit
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.calendars.calling_hours import earliest_call_at
from contactcenter.hooks import Hook

from .models import ClockPause, ClockPolicy, Deadline, DueMoveNotice, PauseReason
from .rules import CALENDAR_DEPENDENT, ClockRule


class ClockError(ValidationError):
    """A clock operation that the clock's state does not allow (no open clock, already paused...)."""


# Sent with a clock whose due moment changed (moved, resumed after a pause, or recomputed for a new
# calendar), inside the same transaction: a case that keeps a copy of the moment for its lists updates it.
due_moved = Hook("deadlines.services.due_moved", arguments="clock: Deadline")


PAUSE_NOTE_MAX_LENGTH = 500


def _due_moved(clock: Deadline, *, old_due: datetime, cause: str, by=None, customer_told: bool = False) -> None:
    _note_move(clock, old_due=old_due, cause=cause, by=by, customer_told=customer_told)
    due_moved.send(clock)


def _note_move(clock: Deadline, *, old_due: datetime, cause: str, by, customer_told: bool) -> None:
    """A moment the customer was given moved: "tell the customer the new date" (a ``DueMoveNotice``), unless
    whoever moved it told them already (``customer_told``). A second move before they were told keeps the
    moment they were given. A new moment already past is nothing to tell (a backdated complaint): the case's
    page says that the date has passed instead, and an untold notice of an earlier move goes."""
    if not clock.promised_to_customer or clock.due_at == old_due:
        return
    now = timezone.now()
    untold = DueMoveNotice.objects.select_for_update().filter(deadline=clock).untold().first()
    if clock.due_at <= now:
        if untold is not None:
            untold.delete()
        return
    if untold is None:
        untold = DueMoveNotice(deadline=clock, told_due_at=old_due)
    elif untold.told_due_at == clock.due_at:
        # Back to the moment the customer was given: nothing to tell any more.
        untold.delete()
        return
    untold.new_due_at = clock.due_at
    untold.moved_at = now
    untold.cause = cause
    untold.email_id = None
    if customer_told:
        untold.told_at, untold.told_how, untold.told_by = now, DueMoveNotice.Told.STAFF, by
    untold.save()


def _policy(kind: str) -> ClockPolicy:
    """The kind's policy, kept while the policies are unchanged (``reference_cache``), as a copy of its own."""
    policy = reference_cache.cached_instance(("clock policy", kind), ClockPolicy.objects.filter(kind=kind).first)
    if policy is None:
        raise ClockError(_("No clock policy is defined for “%(kind)s”.") % {"kind": kind})
    return policy


def _open_clock_for(case, kind: str) -> Deadline:
    clock = (
        Deadline.objects.select_for_update()
        .filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk, kind=kind)
        .open()
        .first()
    )
    if clock is None:
        raise ClockError(_("This case has no open “%(kind)s” clock.") % {"kind": kind})
    return clock


def _reset_state(clock: Deadline) -> None:
    """After the due moment changed: back on track, in a new round of alerts. The next scan flips it to
    due soon or overdue again, and alerts, if the new moments are already past."""
    clock.round += 1
    clock.state = Deadline.State.ON_TRACK
    clock.overdue_since = clock.long_overdue_at = clock.next_reminder_at = None
    clock.reminders_sent = 0


def _bounded(moment: datetime, low: datetime, high: datetime) -> datetime:
    return min(max(moment, low), high)


def _callable(clock: Deadline, moment: datetime) -> datetime:
    """A clock that calls the case's customer (``ClockRule.calls_customer``) is never due outside their calling
    hours: ``moment``, or the next moment they open (the clock's branch's hours, in the zone of the case's
    ``customer``). Any other clock: ``moment``."""
    if not ClockRule.from_json(clock.rule).calls_customer:
        return moment
    return earliest_call_at(moment, customer=clock.case.customer, branch=clock.branch)


@transaction.atomic
def open_clock(
    *,
    case: models.Model,
    kind: str,
    branch,
    rule: ClockRule | None = None,
    due_at: datetime | None = None,
    owner=None,
    opened_at: datetime | None = None,
    title: str | None = None,
    calendar: BusinessCalendar | None = None,
    warn_at: datetime | None = None,
    promised_to_customer: bool = False,
    team=None,
    calls_customer: bool = False,
) -> Deadline:
    """Start a clock: give either a ``rule`` (computed from ``opened_at`` in the branch calendar, or in the
    ``team``'s schedule when the clock counts in a team's hours) or a fixed ``due_at`` (a moment the customer
    asked for). ``warn_at`` replaces the policy's warning moment when the case knows better (a reason "due
    soon at one day, overdue at two"). ``calendar``, when given, must be the branch's or the team's.
    ``promised_to_customer``: the customer is given this moment, and must be told when it moves.
    ``calls_customer``: the clock is a call to the case's ``customer``; the case gives a moment inside their
    calling hours, and when the moment is computed again (a calendar change, a resumed pause) it is moved into
    them (``calendars.calling_hours.earliest_call_at``), so it is never due while they may not be called."""
    if (rule is None) == (due_at is None):
        raise TypeError("open_clock() takes exactly one of rule and due_at")
    policy = _policy(kind)
    opened_at = opened_at or timezone.now()
    if rule is None:
        rule = ClockRule.fixed()
    else:
        calendar = calendar or (BusinessCalendar.for_team(team) if team else BusinessCalendar.for_branch(branch))
        due_at = rule.due_from(opened_at, calendar)
    if calls_customer:
        rule = replace(rule, calls_customer=True)
    if due_at <= opened_at:
        raise ClockError(_("The due moment must come after the clock starts."))
    get_url = getattr(case, "get_absolute_url", None)
    return Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        kind=kind,
        title=(title or str(case))[:300],
        case_url=get_url() if get_url else "",
        branch=branch,
        team=team,
        owner=owner,
        opened_at=opened_at,
        due_at=due_at,
        warn_at=_bounded(warn_at, opened_at, due_at) if warn_at else policy.warn_at_for(opened_at, due_at),
        rule=rule.as_json(),
        promised_to_customer=promised_to_customer,
    )


@transaction.atomic
def meet_clock(*, case, kind: str, at: datetime | None = None) -> Deadline:
    """The promise is kept: the clock stops, on time or late."""
    clock = _open_clock_for(case, kind)
    at = at or timezone.now()
    if clock.is_paused:
        _end_pause(clock, at, by=None)
    clock.state = Deadline.State.MET
    clock.met_at = at
    clock.met_late = at > clock.due_at
    clock.next_reminder_at = None
    clock.save()
    return clock


@transaction.atomic
def move_clock(
    *,
    case,
    kind: str,
    due_at: datetime,
    by,
    reason: str,
    warn_at: datetime | None = None,
    customer_told: bool = False,
) -> Deadline:
    """A new due moment agreed (a follow-up call, an extension): alerts start afresh for it. A moment the
    customer was given asks for them to be told the new one, unless ``customer_told`` says they were."""
    clock = _open_clock_for(case, kind)
    now = timezone.now()
    if due_at <= now:
        raise ClockError(_("The new due moment must lie in the future."))
    old_due = clock.due_at
    policy = _policy(kind)
    clock.due_at = due_at
    start = max(now, clock.opened_at)
    clock.warn_at = _bounded(warn_at, start, due_at) if warn_at else policy.warn_at_for(start, due_at)
    clock.rule = ClockRule.fixed().as_json()
    _reset_state(clock)
    clock.save()
    _due_moved(clock, old_due=old_due, cause=DueMoveNotice.Cause.MOVED, by=by, customer_told=customer_told)
    record_audit(
        actor=by,
        action="clock.moved",
        target=case,
        changes={f"{kind}.due_at": [old_due.isoformat(), due_at.isoformat()]},
        note=reason,
    )
    return clock


def check_may_pause(user) -> None:
    """Pausing and resuming a clock is for supervisors and up (``deadlines.pause_deadline``), never an operator."""
    if user is None or not user.has_perm("deadlines.pause_deadline"):
        raise ClockError(_("Only a supervisor or a manager may pause or resume a clock."), code="not_allowed")


def pause_text(*, reason: PauseReason | None, note: str = "") -> str:
    """What a pause records as its reason: the chosen reason from the admin's list, completed by the note
    (required where the reason says so: "customer abroad until…")."""
    note = " ".join((note or "").split())
    if reason is None or not reason.is_active:
        raise ClockError(_("Choose a reason for the pause from the list."), code="no_reason")
    if reason.needs_note and not note:
        raise ClockError(_("Complete the reason “%(reason)s” in words.") % {"reason": reason}, code="no_note")
    if len(note) > PAUSE_NOTE_MAX_LENGTH:
        raise ClockError(
            _("The note is at most %(limit)d characters long.") % {"limit": PAUSE_NOTE_MAX_LENGTH}, code="long_note"
        )
    return f"{reason.label}: {note}" if note else reason.label


@transaction.atomic
def pause_clock_for_reason(*, case, kind: str, reason: PauseReason | None, note: str = "", by) -> Deadline:
    """A supervisor stops a case's clock for a reason from the admin's list plus free text."""
    check_may_pause(by)
    return pause_clock(case=case, kind=kind, reason=pause_text(reason=reason, note=note), by=by)


@transaction.atomic
def pause_clock(*, case, kind: str, reason: str, by) -> Deadline:
    """Stop the clock for a recorded reason (waiting for the customer's documents...)."""
    if not _policy(kind).may_pause:
        raise ClockError(_("This clock can never be paused: the law gives no pause for it."), code="never_paused")
    if not (reason or "").strip():
        raise ClockError(_("A pause needs a reason."))
    clock = _open_clock_for(case, kind)
    if clock.is_paused:
        raise ClockError(_("This clock is already paused."))
    now = timezone.now()
    clock.paused_at = now
    clock.pause_reason = reason.strip()
    clock.save()
    ClockPause.objects.create(deadline=clock, started_at=now, reason=clock.pause_reason, started_by=by)
    record_audit(actor=by, action="clock.paused", target=case, changes={"clock": [kind, None]}, note=reason)
    return clock


def _end_pause(clock: Deadline, at: datetime, by) -> None:
    paused_for = at - clock.paused_at
    clock.due_at += paused_for
    clock.warn_at += paused_for
    clock.paused_total += paused_for
    clock.paused_at = None
    clock.pause_reason = ""
    ClockPause.objects.filter(deadline=clock, ended_at=None).update(ended_at=at, ended_by=by)


@transaction.atomic
def resume_clock(*, case, kind: str, by) -> Deadline:
    """Restart a paused clock; the time it stood still does not count against the promise. A call to the
    customer that the pause pushed outside their calling hours is due when they next open."""
    clock = _open_clock_for(case, kind)
    if not clock.is_paused:
        raise ClockError(_("This clock is not paused."))
    now = timezone.now()
    old_due = clock.due_at
    _end_pause(clock, now, by)
    # A call to the customer pushed by the pause into their night waits for their morning.
    clock.due_at = _callable(clock, clock.due_at)
    if clock.state != Deadline.State.ON_TRACK and clock.due_at > now:
        _reset_state(clock)
    clock.save()
    _due_moved(clock, old_due=old_due, cause=DueMoveNotice.Cause.RESUMED, by=by)
    record_audit(
        actor=by,
        action="clock.resumed",
        target=case,
        changes={f"{kind}.due_at": [old_due.isoformat(), clock.due_at.isoformat()]},
    )
    return clock


def _end_unmet(*, case, kind: str, state: str, reason: str, by, action: str) -> Deadline:
    clock = _open_clock_for(case, kind)
    if clock.is_paused:
        _end_pause(clock, timezone.now(), by)
    clock.state = state
    clock.cancel_reason = reason
    clock.next_reminder_at = None
    clock.save()
    record_audit(actor=by, action=action, target=case, changes={"clock": [kind, None]}, note=reason)
    return clock


@transaction.atomic
def cancel_clock(*, case, kind: str, reason: str, by=None) -> Deadline:
    """The promise no longer applies (the case was withdrawn): the clock stops without counting."""
    return _end_unmet(
        case=case, kind=kind, state=Deadline.State.CANCELLED, reason=reason, by=by, action="clock.cancelled"
    )


@transaction.atomic
def end_clock_not_kept(*, case, kind: str, reason: str, by=None) -> Deadline:
    """The case ended another way before the promise was kept: the clock stops and counts as a promise broken."""
    return _end_unmet(
        case=case, kind=kind, state=Deadline.State.NOT_KEPT, reason=reason, by=by, action="clock.not_kept"
    )


def reassign_clocks(*, case, owner) -> int:
    """The case changed hands: its open clocks follow it."""
    return Deadline.objects.for_case(case).open().update(owner=owner)


def recompute_for_calendar_change(branch, dates) -> int:
    """The rule when a calendar override changes (registered with ``calendars.services``).

    A clock counts in its branch's calendar, or in its team's schedule (``Deadline.team``; a change of the
    schedule reaches its clocks as a change of the branch's calendar basis does, see ``directory.services``).
    A clock is recomputed when all of these hold: it is open and not paused; its rule depends on the
    business calendar (business days or hours, the next business day at a time: a moment the customer
    asked for, or calendar hours, never moves); it belongs to the changed branch (any branch for an
    all-branches override); and a changed date lies between the day it started and the day it is due,
    both included. Its due moment is computed again from its start with the new calendar (plus any time
    it was paused), moved into the customer's calling hours for a call to the customer (``_callable``). If
    the moment changed, the clock starts a new round of alerts, and the case's audit trail records the old
    and the new moment. Met and cancelled clocks are never changed: they are history.
    """
    if not dates:
        return 0
    first, last = min(dates), max(dates)
    # A day later and earlier than the dates covers every time zone; the exact test is per clock below.
    clocks = Deadline.objects.open().filter(
        paused_at=None,
        rule__basis__in=sorted(CALENDAR_DEPENDENT),
        opened_at__lt=datetime.combine(last + timedelta(days=2), time(), tzinfo=UTC),
        due_at__gte=datetime.combine(first - timedelta(days=1), time(), tzinfo=UTC),
    )
    if branch is not None:
        clocks = clocks.filter(branch=branch)
    calendars, changed = {}, 0
    for clock in clocks.select_related("branch", "team").select_for_update(of=("self",)):
        tz = clock.branch.tz
        if not (clock.opened_at.astimezone(tz).date() <= last and clock.due_at.astimezone(tz).date() >= first):
            continue
        if clock.branch_id not in calendars:
            calendars[clock.branch_id] = BusinessCalendar.for_branch(clock.branch)
        calendar = calendars[clock.branch_id]
        if clock.team_id is not None:
            # A team's schedule counts in its branch's days: the same change reaches it.
            key = (clock.branch_id, clock.team_id)
            if key not in calendars:
                calendars[key] = BusinessCalendar.for_team(clock.team, branch_calendar=calendar)
            calendar = calendars[key]
        rule = ClockRule.from_json(clock.rule)
        new_due = _callable(clock, rule.due_from(clock.opened_at, calendar) + clock.paused_total)
        if new_due == clock.due_at:
            continue
        old_due = clock.due_at
        clock.due_at = new_due
        clock.warn_at = _policy(clock.kind).warn_at_for(clock.opened_at, new_due)
        _reset_state(clock)
        clock.save()
        _due_moved(clock, old_due=old_due, cause=DueMoveNotice.Cause.RECOMPUTED)
        record_audit(
            actor=None,
            action="clock.recomputed",
            target=clock.case,
            changes={f"{clock.kind}.due_at": [old_due.isoformat(), new_due.isoformat()]},
            note=_("The business calendar changed."),
        )
        changed += 1
    return changed


def _check_may_record_told(notice: DueMoveNotice, user) -> None:
    """Whoever may change the case (and see its branch) may record that its customer was told."""
    if not (
        user
        and user.has_perm(notice.change_permission)
        and DueMoveNotice.objects.for_user(user).filter(pk=notice.pk).exists()
    ):
        raise ClockError(_("You may not record this for the case."), code="not_allowed")


@transaction.atomic
def customer_told_of_move(*, notice: DueMoveNotice, by) -> DueMoveNotice:
    """A member of staff told the customer the new moment (by phone, in the branch): the flag goes, with an
    audit entry on the case naming the moment they had been given and the new one."""
    _check_may_record_told(notice, by)
    now = timezone.now()
    if not DueMoveNotice.objects.filter(pk=notice.pk, told_at=None).update(
        told_at=now, told_how=DueMoveNotice.Told.STAFF, told_by=by
    ):
        raise ClockError(_("That the customer was told has already been recorded."), code="already_told")
    notice.refresh_from_db()
    clock = notice.deadline
    record_audit(
        actor=by,
        action="customer.told_new_date",
        target=clock.case,
        changes={f"{clock.kind}.due_at": [notice.told_due_at.isoformat(), notice.new_due_at.isoformat()]},
    )
    return notice


def move_notice_emailed(*, clock: Deadline, email_id: int) -> None:
    """The e-mail telling the customer this clock's new moment is queued: once the mail server accepts it, the
    flag goes by itself (``move_notice_told_by_email``). Inside the move's transaction."""
    DueMoveNotice.objects.filter(deadline=clock).untold().update(email_id=email_id)


def move_notice_told_by_email(*, email_id: int, at: datetime) -> int:
    """The mail server accepted the e-mail with the new moment: its notice is told (a later move, which
    queued its own e-mail, is not)."""
    return (
        DueMoveNotice.objects.filter(email_id=email_id).untold().update(told_at=at, told_how=DueMoveNotice.Told.EMAIL)
    )
