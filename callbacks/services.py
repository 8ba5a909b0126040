"""Changes to callbacks: each one transaction, with its audit entry and its clock.

The clock of a callback is the next promised contact. Every attempt keeps or breaks the promise in
force (the clock is met at the moment of the attempt, on time or late); unless the callback ends, a new
clock opens for the next contact: the moment the customer agreed, or the next try after no answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.alerts.customers import tell_customer
from contactcenter.alerts.outbound import queue_staff_notice
from contactcenter.audit.services import record_audit
from contactcenter.calendars.calling_hours import CallingHours, earliest_call_at, within_calling_hours
from contactcenter.case_events import case_closed, case_opened
from contactcenter.deadlines import services as clocks
from contactcenter.deadlines.names import case_title
from contactcenter.directory.merging import customer_lock
from contactcenter.directory.models import Customer
from contactcenter.directory.services import case_concluded, check_customer_of_branch, customer_find_or_register
from contactcenter.directory.zones import customer_zone, reader_and_customer_time
from contactcenter.formats import day_text, moment_text, time_text
from contactcenter.typed_dates import latest_callback_moment

from .due import callback_calendar, callback_due_at
from .models import CLOCK_KIND, Callback, CallbackReason, ContactAttempt
from .retries import next_try_at, retry_wait
from .selectors import queue_callable_now


def _reminder_lead() -> timedelta:
    return timedelta(minutes=settings.CALLBACK_REMINDER_LEAD_MINUTES)


def _check_operator(user, branch) -> None:
    if user is not None and not user.is_active:
        raise ValidationError({"assigned_to": _("%(user)s has been deactivated.") % {"user": user}})
    if user is not None and not user.branches.filter(pk=branch.pk).exists():
        raise ValidationError(
            {"assigned_to": _("%(user)s does not work in branch %(branch)s.") % {"user": user, "branch": branch.code}}
        )


def _check_customer_time(*, branch, window_start, window_end, now, calendar, confirm_outside_hours) -> None:
    if window_end and not window_start:
        raise ValidationError({"window_start": _("Give the start of the customer's time too.")})
    if not window_start:
        return
    if window_start <= now:
        raise ValidationError({"window_start": _("The customer's time must lie in the future.")})
    if window_end and window_end < window_start:
        raise ValidationError({"window_end": _("The end of the customer's time must come after its start.")})
    for name, moment in (("window_start", window_start), ("window_end", window_end)):
        _check_not_too_far(name, moment, now=now, branch=branch)
    local = window_start.astimezone(branch.tz)
    # Inside a working interval of the team's (or the branch's) day: a lunch break is outside.
    inside = calendar.is_working_at(window_start)
    if not inside and not confirm_outside_hours:
        raise ValidationError(
            {
                "window_start": ValidationError(
                    _(
                        "%(moment)s is outside the branch's working hours. Tick “call outside working or calling "
                        "hours” to confirm the customer wants it."
                    )
                    % {"moment": moment_text(local, branch.tz)},
                    code="outside_hours",
                )
            }
        )


def _check_calling_hours(*, field: str, moment: datetime | None, customer, branch, confirmed: bool) -> None:
    """A moment the customer asked for outside their calling hours needs the operator's confirmation."""
    if moment is None or confirmed or within_calling_hours(moment, customer=customer, branch=branch):
        return
    tz = customer_zone(customer, branch)
    start, end = CallingHours.of(branch).hours_on(moment.astimezone(tz).date())
    raise ValidationError(
        {
            field: ValidationError(
                _(
                    "%(moment)s the customer's time is outside the calling hours (%(start)s–%(end)s that day). "
                    "Tick “call outside working or calling hours” to confirm the customer wants it."
                )
                % {
                    "moment": moment_text(moment, tz),
                    "start": time_text(start),
                    "end": time_text(end),
                },
                code="outside_calling_hours",
            )
        }
    )


def _check_not_too_far(name: str, moment: datetime | None, *, now: datetime, branch) -> None:
    """A promised moment at most ``CALLBACK_MAX_DAYS_AHEAD`` ahead: further is a typing mistake."""
    latest = latest_callback_moment(now)
    if moment is not None and moment > latest:
        raise ValidationError(
            {
                name: ValidationError(
                    _("Choose a moment at most %(days)d days ahead, until %(day)s."),
                    code="too_far_ahead",
                    params={
                        "days": settings.CALLBACK_MAX_DAYS_AHEAD,
                        "day": day_text(latest, branch.tz),
                    },
                )
            }
        )


def _reason_term(reason: CallbackReason, *, now, calendar, customer, branch) -> datetime:
    """The end of the reason's term from ``now`` in ``calendar``, moved into the customer's calling hours when it
    falls outside them (a term ending at 03:00 the customer's time is due at 08:00 there)."""
    return earliest_call_at(
        callback_due_at(reason=reason, now=now, calendar=calendar), customer=customer, branch=branch
    )


def _open_contact_clock(
    callback: Callback, *, now, calendar, team, due_at=None, remind_before=None, agreed: bool = False
):
    """The next promised contact: a moment agreed with the customer (``due_at``, ``agreed``: they must be told
    if it moves; the operator is reminded shortly before ``remind_before``, the start of the customer's
    window, or before ``due_at``), a retry (``due_at``, not agreed), or the reason's term counted in
    ``calendar``, the schedule of the callback's ``team`` (``due.callback_calendar``): ``open_clock`` applies
    the reason's rule in that calendar, which is what ``due.callback_due_at`` computes for the form's
    preview, and keeps the rule to compute it again when the schedule changes. Returns the clock."""
    if due_at is None:
        reason = callback.reason
        soon = reason.due_soon_rule
        # The term's end, moved into the customer's calling hours when it falls outside them (a term ending at
        # 03:00 the customer's time is due at 08:00 there): the moved moment is then a fixed one.
        term_end = callback_due_at(reason=reason, now=now, calendar=calendar)
        callable_at = _reason_term(
            reason, now=now, calendar=calendar, customer=callback.customer, branch=callback.branch
        )
        due = {"rule": reason.due_rule, "calendar": calendar} if callable_at == term_end else {"due_at": callable_at}
        clock = clocks.open_clock(
            case=callback,
            kind=CLOCK_KIND,
            title=case_title(callback.pk, callback.customer.full_name),
            branch=callback.branch,
            team=team,
            opened_at=now,
            owner=callback.assigned_to,
            warn_at=soon.due_from(now, calendar) if soon else None,
            calls_customer=True,
            **due,
        )
    else:
        clock = clocks.open_clock(
            case=callback,
            kind=CLOCK_KIND,
            title=case_title(callback.pk, callback.customer.full_name),
            branch=callback.branch,
            team=team,
            due_at=due_at,
            opened_at=now,
            owner=callback.assigned_to,
            warn_at=(remind_before or due_at) - _reminder_lead(),
            promised_to_customer=agreed,
            # A time the customer asked for outside their calling hours (confirmed by the operator) stays theirs
            # when a pause moves it; any other is kept inside them.
            calls_customer=within_calling_hours(
                remind_before or due_at, customer=callback.customer, branch=callback.branch
            ),
        )
    callback.next_contact_at = clock.due_at
    return clock


@transaction.atomic
def callback_register(
    *,
    branch,
    reason: CallbackReason,
    customer_said: str,
    created_by,
    channel: str = Callback.Channel.PHONE,
    priority: int = Callback.Priority.NORMAL,
    assigned_to=None,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    confirm_outside_hours: bool = False,
    customer: Customer | None = None,
    customer_phone: str = "",
    customer_name: str = "",
) -> Callback:
    """Promise the customer a call back: by the reason's term, or in the time they asked for (which wins).

    The customer is ``customer``, or the branch's customer with ``customer_phone``, or a new one registered
    with ``customer_name`` (``customer_find_or_register``), in the same transaction."""
    now = timezone.now()
    check_customer_of_branch(customer, branch, field="customer")
    if not reason.is_active:
        raise ValidationError({"reason": _("This reason is no longer in use.")})
    _check_operator(assigned_to, branch)
    calendar, team = callback_calendar(branch=branch, operator=assigned_to)
    _check_customer_time(
        branch=branch,
        window_start=window_start,
        window_end=window_end,
        now=now,
        calendar=calendar,
        confirm_outside_hours=confirm_outside_hours,
    )
    if customer is None:
        customer, _registered = customer_find_or_register(
            branch=branch, phone=customer_phone, full_name=customer_name, by=created_by
        )
    else:
        customer = customer_lock(customer)
    _check_calling_hours(
        field="window_start", moment=window_start, customer=customer, branch=branch, confirmed=confirm_outside_hours
    )
    agreed = window_end or window_start
    callback = Callback.objects.create(
        branch=branch,
        customer=customer,
        reason=reason,
        customer_said=customer_said.strip(),
        channel=channel,
        priority=priority,
        assigned_to=assigned_to,
        window_start=window_start,
        window_end=window_end,
        created_by=created_by,
        # The clock's due moment, known before the row is written, so that the row is written once.
        next_contact_at=agreed or _reason_term(reason, now=now, calendar=calendar, customer=customer, branch=branch),
    )
    expected = callback.next_contact_at
    # The clock just opened, for a caller that answers with it (the API) without reading it back.
    callback.contact_clock = _open_contact_clock(
        callback,
        now=now,
        calendar=calendar,
        team=team,
        due_at=agreed,
        remind_before=window_start,
        agreed=window_start is not None,
    )
    if callback.next_contact_at != expected:
        callback.save(update_fields=["next_contact_at"])
    record_audit(actor=created_by, action="callback.registered", target=callback)
    case_opened.send(callback)
    if window_start is not None:
        _tell_customer_agreed_time(callback, start=window_start, end=window_end, by=created_by)
    return callback


def _tell_customer_agreed_time(callback: Callback, *, start: datetime, end: datetime | None, by):
    """The customer told by e-mail (with their consent) when we will call: in their time zone, or the branch's.
    The e-mail queued, or None."""
    return tell_customer(
        customer=callback.customer,
        purpose="callback.agreed_time",
        subject=lambda: _("We will call you back"),
        template="callbacks/email/customer_agreed_time.txt",
        context={"callback": callback, "branch": callback.branch, "start": start, "end": end},
        origin=callback,
        requested_by=by,
    )


def callback_take_next(*, operator) -> Callback | None:
    """The most urgent callback waiting in the operator's branches' queue whose customer may be called now (inside
    their calling hours), now theirs.

    Two operators pressing "Take next" at once never get the same one: on PostgreSQL the row lock is taken
    with SKIP LOCKED, so the second takes the next row instead of waiting; on SQLite the write transaction
    (BEGIN IMMEDIATE) serialises them.
    """
    with transaction.atomic():
        callback = (
            queue_callable_now(operator, now=timezone.now())
            .most_urgent_first()
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if callback is None:
            return None
        callback.assigned_to = operator
        callback.save(update_fields=["assigned_to"])
        clocks.reassign_clocks(case=callback, owner=operator)
        record_audit(
            actor=operator, action="callback.taken", target=callback, changes={"assigned_to": [None, str(operator)]}
        )
    return callback


def _locked_open(callback: Callback) -> Callback:
    locked = (
        Callback.objects.select_for_update(of=("self",))
        .select_related("reason", "branch", "customer")
        .get(pk=callback.pk)
    )
    if not locked.is_open:
        raise ValidationError(
            _("This callback is already closed (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def _close(callback: Callback, status: str, at: datetime) -> None:
    callback.status = status
    callback.closed_at = at
    callback.next_contact_at = None


@transaction.atomic
def attempt_log(
    *,
    callback: Callback,
    by,
    outcome: str,
    note: str = "",
    next_contact_at: datetime | None = None,
    resolution: str = "",
    override_reason: str = "",
) -> ContactAttempt:
    """Record a contact attempt and what follows from it: solved, the next agreed contact, a retry, or
    "unreachable" once the reason's attempts are used up (a wrong number ends it at once).

    A missed attempt ("no answer", "busy", "voicemail") is refused before the retry planned after the last one
    (``retries.retry_wait``); a supervisor (``callbacks.log_attempt_before_retry``) may log it earlier with an
    ``override_reason``, which the audit trail keeps."""
    now = timezone.now()
    callback = _locked_open(callback)
    if callback.assigned_to_id not in (None, by.pk) and not by.has_perm("callbacks.reassign_callback"):
        raise ValidationError(_("This callback is assigned to %(user)s.") % {"user": callback.assigned_to})
    if outcome not in ContactAttempt.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if outcome == ContactAttempt.Outcome.SOLVED and not resolution.strip():
        raise ValidationError({"resolution": _("Say what was done to solve the customer's problem.")})
    if outcome in ContactAttempt.AGREED:
        if next_contact_at is None:
            raise ValidationError({"next_contact_at": _("Give the moment agreed with the customer.")})
        if next_contact_at <= now:
            raise ValidationError({"next_contact_at": _("The next contact must lie in the future.")})
        _check_not_too_far("next_contact_at", next_contact_at, now=now, branch=callback.branch)
    else:
        next_contact_at = None
    if outcome in ContactAttempt.RETRIED:
        _check_retry_wait(callback, by=by, now=now, override_reason=override_reason)

    calendar, team = callback_calendar(branch=callback.branch, operator=callback.assigned_to or by)
    attempt = ContactAttempt.objects.create(
        callback=callback, at=now, by=by, outcome=outcome, note=note.strip(), next_contact_at=next_contact_at
    )
    if callback.assigned_to_id is None:
        callback.assigned_to = by
        clocks.reassign_clocks(case=callback, owner=by)
    clocks.meet_clock(case=callback, kind=CLOCK_KIND, at=now)
    changes = {"outcome": [None, outcome]}

    if outcome == ContactAttempt.Outcome.SOLVED:
        _close(callback, Callback.Status.SOLVED, now)
        callback.resolution = resolution.strip()
    elif outcome in ContactAttempt.AGREED:
        _open_contact_clock(callback, now=now, calendar=calendar, team=team, due_at=next_contact_at, agreed=True)
        _tell_customer_agreed_time(callback, start=next_contact_at, end=None, by=by)
    else:
        missed = callback.attempts.filter(outcome__in=ContactAttempt.NOT_REACHED).count()
        if outcome == ContactAttempt.Outcome.WRONG_NUMBER or missed >= callback.reason.attempts_before_unreachable:
            _close(callback, Callback.Status.UNREACHABLE, now)
            _tell_supervisors_unreachable(callback, by)
        else:
            retry = next_try_at(callback=callback, after=now, calendar=calendar)
            _open_contact_clock(callback, now=now, calendar=calendar, team=team, due_at=retry)
    callback.save()
    changes["status"] = [Callback.Status.OPEN, callback.status]
    record_audit(actor=by, action="callback.attempt_logged", target=callback, changes=changes, note=note)
    if callback.status == Callback.Status.SOLVED:
        case_concluded.send(callback, by)
    if not callback.is_open:
        case_closed.send(callback)
    return attempt


def _check_retry_wait(callback: Callback, *, by, now: datetime, override_reason: str) -> None:
    """Refuse a missed attempt before the planned retry, saying when it may be logged, in the reader's time and
    the customer's; a supervisor's reason lets it through, on the audit trail."""
    retry_at = retry_wait(callback, now=now)
    if retry_at is None:
        return
    override_reason = " ".join((override_reason or "").split())
    if not override_reason:
        when = reader_and_customer_time(
            retry_at,
            reader_zone=by.reading_zone(fallback=callback.branch.tz),
            customer_zone=customer_zone(callback.customer, callback.branch),
        )
        raise ValidationError(
            {
                "outcome": ValidationError(
                    _(
                        "The customer was not reached on the last try and the next one is planned for %(when)s. "
                        "Log a missed attempt from then on, so that “unreachable” means tries spread over the "
                        "day; a supervisor may log it earlier with a reason."
                    )
                    % {"when": when},
                    code="before_retry",
                )
            }
        )
    if not by.has_perm("callbacks.log_attempt_before_retry"):
        raise ValidationError(
            {
                "override_reason": ValidationError(
                    _("Only a supervisor may log a missed attempt before the planned retry."), code="not_allowed"
                )
            }
        )
    record_audit(
        actor=by,
        action="callback.retry_wait_overridden",
        target=callback,
        changes={"retry_at": [retry_at.isoformat(), now.isoformat()]},
        note=override_reason,
    )


def _tell_supervisors_unreachable(callback: Callback, by) -> None:
    """The branch's supervisors learn that a customer could not be reached (an e-mail in the outbox)."""
    staff = get_user_model().objects
    queue_staff_notice(
        people=staff.filter(pk__in=staff.supervisors_by_branch(callback.branch_id)[callback.branch_id]),
        purpose="callback_unreachable",
        subject=lambda: _("Customer unreachable: %(callback)s") % {"callback": callback},
        template="callbacks/email/unreachable",
        context={
            "callback": callback,
            "attempts": callback.attempts.count(),
            "by": by,
            "url": settings.SITE_URL + callback.get_absolute_url(),
        },
        origin=callback,
        requested_by=by,
    )


@transaction.atomic
def callback_reassign(*, callbacks, to, by) -> int:
    """Give open callbacks to another operator of their branch (or back to the queue with ``to=None``).
    All or nothing: one callback of a branch the operator does not work in refuses the whole batch."""
    chosen = list(
        Callback.objects.filter(pk__in=[c.pk for c in callbacks])
        .select_for_update(of=("self",))
        .select_related("branch")
    )
    if to is not None and not to.is_active:
        raise ValidationError(_("%(user)s has been deactivated.") % {"user": to})
    for callback in chosen:
        if not callback.is_open:
            raise ValidationError(_("%(callback)s is closed and cannot be reassigned.") % {"callback": callback})
        if to is not None and not to.branches.filter(pk=callback.branch_id).exists():
            raise ValidationError(
                _("%(user)s does not work in branch %(branch)s (%(callback)s).")
                % {"user": to, "branch": callback.branch.code, "callback": callback}
            )
    for callback in chosen:
        before = callback.assigned_to
        if before == to:
            continue
        callback.assigned_to = to
        callback.save(update_fields=["assigned_to"])
        clocks.reassign_clocks(case=callback, owner=to)
        record_audit(
            actor=by,
            action="callback.reassigned",
            target=callback,
            changes={"assigned_to": [str(before) if before else None, str(to) if to else None]},
        )
    return len(chosen)


@transaction.atomic
def callback_cancel(*, callback: Callback, by, reason: str) -> Callback:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the callback is cancelled.")})
    callback = _locked_open(callback)
    now = timezone.now()
    clocks.cancel_clock(case=callback, kind=CLOCK_KIND, reason=reason, by=by)
    _close(callback, Callback.Status.CANCELLED, now)
    callback.cancel_reason = reason.strip()
    callback.save()
    record_audit(
        actor=by, action="callback.cancelled", target=callback, changes={"status": ["open", "cancelled"]}, note=reason
    )
    case_closed.send(callback)
    return callback


@transaction.atomic
def callback_pause_clock(*, callback: Callback, reason, note: str = "", by):
    """A supervisor stops the clock of the promised contact for a reason from the list (waiting for the
    customer's documents…); the time it stands still does not count against the promise."""
    clocks.check_may_pause(by)
    callback = _locked_open(callback)
    return clocks.pause_clock_for_reason(case=callback, kind=CLOCK_KIND, reason=reason, note=note, by=by)


def follow_clock_due(clock) -> None:
    """Connected to ``deadlines.services.due_moved``: the callback's next contact (a copy for its lists) follows
    its open clock when the clock moves (a resumed pause, a recompute for a new calendar or team schedule)."""
    if clock.kind != CLOCK_KIND or not clock.is_open:
        return
    if clock.content_type_id != ContentType.objects.get_for_model(Callback).pk:
        return
    Callback.objects.filter(pk=clock.object_id).update(next_contact_at=clock.due_at)


def tell_agreed_time_moved(clock) -> None:
    """Connected to ``deadlines.services.due_moved``: the time agreed with the customer moved (a resumed pause):
    they are e-mailed the new one (with their consent), the customer's window keeping its length, and once the
    mail server accepts it the callback's "tell the customer the new date" flag goes. A time already past is
    not told."""
    if clock.kind != CLOCK_KIND or not clock.is_open or not clock.promised_to_customer:
        return
    if clock.content_type_id != ContentType.objects.get_for_model(Callback).pk or clock.due_at <= timezone.now():
        return
    callback = Callback.objects.select_related("customer__branch", "branch").filter(pk=clock.object_id).first()
    if callback is None:
        return
    told = clock.move_notices.filter(told_at=None).values_list("told_due_at", flat=True).first()
    # The customer's window at registration (its clock is due at its end) moves whole; a later agreed time is one.
    window = (
        callback.window_end - callback.window_start if callback.window_end and told == callback.window_end else None
    )
    start, end = (clock.due_at - window, clock.due_at) if window else (clock.due_at, None)
    email = _tell_customer_agreed_time(callback, start=start, end=end, by=None)
    if email is not None:
        clocks.move_notice_emailed(clock=clock, email_id=email.pk)


@transaction.atomic
def callback_resume_clock(*, callback: Callback, by):
    """The clock runs again, its due moment later by the time it stood still; the list's copy follows
    (``follow_clock_due``)."""
    clocks.check_may_pause(by)
    callback = _locked_open(callback)
    return clocks.resume_clock(case=callback, kind=CLOCK_KIND, by=by)
