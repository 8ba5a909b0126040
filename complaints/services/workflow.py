"""Work on a forwarded complaint: review, answer, close, reopen, and the extension of the legal term.

Forwarded → in review (assigned) → answered → closed; an answered or closed complaint may be reopened with a
reason. Each step locks the complaint, checks that its status allows the step (``transitions``), moves its
clocks and writes its audit entry, in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.audit.services import field_changes, record_audit
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.case_events import case_closed
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.services import (
    cancel_clock,
    check_may_pause,
    meet_clock,
    move_clock,
    open_clock,
    pause_clock_for_reason,
    reassign_clocks,
    resume_clock,
)
from contactcenter.directory.models import Branch
from contactcenter.directory.services import case_concluded

from .. import photos
from ..models import ANSWER_CLOCK, LEGAL_CLOCK, AnswerChannel, Complaint, Status
from ..selectors import assignable_reviewers, open_clock_of
from . import transitions
from .registration import ANSWER_WITHIN, LEGAL_EXTENSION_MAX_DAYS, clock_title


def complaint_assign(*, complaint: Complaint, to, by) -> Complaint:
    """Take a forwarded complaint into review, or hand it to another reviewer; its open clocks follow."""
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "assign")
        if to is None or not assignable_reviewers(complaint.branch).filter(pk=to.pk).exists():
            raise ValidationError(
                {"assigned_to": _("%(name)s may not review complaints of this branch.") % {"name": to}},
                code="not_a_reviewer",
            )
        new_values = {"assigned_to": to, "status": Status.IN_REVIEW}
        changes = field_changes(complaint, new_values)
        if not changes:
            return complaint
        for name, value in new_values.items():
            setattr(complaint, name, value)
        complaint.save()
        reassign_clocks(case=complaint, owner=to)
        record_audit(actor=by, action="complaint.assigned", target=complaint, changes=changes)
    return complaint


def _check_answered_at(complaint: Complaint, answered_at: datetime) -> None:
    if answered_at is None:
        raise ValidationError({"answered_at": _("Enter when the answer was given.")})
    if answered_at > timezone.now():
        raise ValidationError({"answered_at": _("An answer cannot be given in the future.")})
    if answered_at < complaint.received_at:
        raise ValidationError({"answered_at": _("An answer cannot come before the complaint was received.")})
    reopened_clock = open_clock_of(complaint, ANSWER_CLOCK)
    if reopened_clock is not None and answered_at < reopened_clock.opened_at:
        raise ValidationError({"answered_at": _("This answer cannot come before the complaint was reopened.")})


def complaint_answer(
    *,
    complaint: Complaint,
    text: str,
    channel: str,
    answered_at: datetime,
    by,
    letter: photos.PreparedLetter | None = None,
) -> Complaint:
    """Record the answer (a text, an attached letter, or both): the answer clock and the legal term are met
    at ``answered_at``. Where the legal term applies, the answer must be a written one."""
    text = (text or "").strip()
    if not text and letter is None:
        raise ValidationError(_("Write the answer or attach the letter that was sent."), code="empty_answer")
    if channel not in AnswerChannel.values:
        raise ValidationError({"answer_channel": _("Choose how the answer was given.")})
    stored = None
    try:
        with transaction.atomic():
            complaint = transitions.lock(complaint)
            transitions.require(complaint, "answer")
            _check_answered_at(complaint, answered_at)
            if complaint.legal_term_applies and channel not in AnswerChannel.written():
                raise ValidationError(
                    {
                        "answer_channel": _(
                            "This branch is a financial organisation: the law requires a written answer "
                            "(a letter, an e-mail, or a letter handed over in person)."
                        )
                    },
                    code="written_answer_required",
                )
            new_values = {
                "answer_text": text,
                "answer_channel": channel,
                "answered_at": answered_at,
                "answered_by": by,
                "status": Status.ANSWERED,
            }
            if letter is not None:
                stored = photos.store_letter(letter)
                new_values |= {
                    "answer_letter": stored,
                    "answer_letter_name": letter.original_name,
                    "answer_letter_type": letter.content_type,
                }
            changes = field_changes(complaint, new_values)
            for name, value in new_values.items():
                setattr(complaint, name, value)
            complaint.save()
            for kind in (ANSWER_CLOCK, LEGAL_CLOCK):
                if open_clock_of(complaint, kind) is not None:
                    meet_clock(case=complaint, kind=kind, at=answered_at)
            record_audit(actor=by, action="complaint.answered", target=complaint, changes=changes)
            case_concluded.send(complaint, by)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return complaint


def complaint_close(*, complaint: Complaint, by, note: str = "") -> Complaint:
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "close")
        changes = field_changes(complaint, {"status": Status.CLOSED})
        complaint.status = Status.CLOSED
        complaint.closed_at = timezone.now()
        complaint.save()
        # An answered complaint has no open clock; this keeps a closed case from ever alerting anyone.
        for clock in Deadline.objects.for_case(complaint).open():
            cancel_clock(case=complaint, kind=clock.kind, reason=_("The complaint was closed."), by=by)
        record_audit(actor=by, action="complaint.closed", target=complaint, changes=changes, note=(note or "").strip())
        case_closed.send(complaint)
    return complaint


def complaint_reopen(*, complaint: Complaint, reason: str, by) -> Complaint:
    """Back into review, with a recorded reason, and a new answer clock of 10 business days from now."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the complaint is reopened.")}, code="reason_required")
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "reopen")
        changes = field_changes(complaint, {"status": Status.IN_REVIEW})
        complaint.status = Status.IN_REVIEW
        complaint.closed_at = None
        complaint.save()
        clock = open_clock(
            case=complaint,
            kind=ANSWER_CLOCK,
            branch=complaint.branch,
            rule=ANSWER_WITHIN,
            owner=complaint.assigned_to or complaint.branch.manager,
            title=clock_title(complaint),
            promised_to_customer=True,
        )
        changes["answer_due_at"] = [None, clock.due_at.astimezone(complaint.branch.tz).isoformat()]
        record_audit(actor=by, action="complaint.reopened", target=complaint, changes=changes, note=reason)
    return complaint


def legal_extension_due(*, branch: Branch, due_at: datetime, days: int) -> datetime:
    """The legal term moved ``days`` working days past ``due_at``, in the branch's calendar."""
    return BusinessCalendar.for_branch(branch).add_business_days(due_at, days)


def legal_extension_refusal(complaint: Complaint, clock: Deadline | None, *, now: datetime) -> ValidationError | None:
    """Why the legal term of ``complaint`` (its open legal clock: ``clock``) cannot be extended now, or None
    when it can: the complaint's page offers the extension exactly then, the extension checks it again."""
    try:
        transitions.require(complaint, "change")
    except ValidationError as error:
        return error
    if not complaint.legal_term_applies:
        return ValidationError(_("No legal answer term applies to this complaint."), code="no_legal_term")
    if complaint.legal_term_extended:
        return ValidationError(_("The legal term can be extended only once."), code="already_extended")
    if clock is None:
        return ValidationError(_("The legal term is no longer running: the complaint was answered."))
    if clock.due_at <= now:
        return ValidationError(_("The legal term has already run out; it can no longer be extended."), code="term_over")
    return None


def complaint_extend_legal_term(
    *, complaint: Complaint, days: int, reason: str, customer_told_on: date, by
) -> Complaint:
    """Extend the legal answer term once, by at most 10 working days, with the reason and the day the
    customer was told; only while the term is still running."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the answer needs more time.")}, code="reason_required")
    if not isinstance(days, int) or not 1 <= days <= LEGAL_EXTENSION_MAX_DAYS:
        raise ValidationError(
            {"days": _("The term can be extended by 1 to %(max)d working days.") % {"max": LEGAL_EXTENSION_MAX_DAYS}}
        )
    if customer_told_on is None:
        raise ValidationError({"customer_told_on": _("Enter the day the customer was told.")})
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        clock = open_clock_of(complaint, LEGAL_CLOCK)
        now = timezone.now()
        refusal = legal_extension_refusal(complaint, clock, now=now)
        if refusal is not None:
            raise refusal
        today = now.astimezone(complaint.branch.tz).date()
        if customer_told_on > today:
            raise ValidationError({"customer_told_on": _("The customer cannot have been told in the future.")})
        if customer_told_on < complaint.received_on:
            raise ValidationError(
                {"customer_told_on": _("The customer cannot have been told before the complaint was received.")}
            )
        old_due = clock.due_at
        new_due = legal_extension_due(branch=complaint.branch, due_at=old_due, days=days)
        # The extension records the day the customer was told of it: nothing more to tell them.
        move_clock(case=complaint, kind=LEGAL_CLOCK, due_at=new_due, by=by, reason=reason, customer_told=True)
        new_values = {
            "legal_extension_days": days,
            "legal_extension_reason": reason,
            "customer_told_of_extension_on": customer_told_on,
        }
        changes = field_changes(complaint, new_values)
        tz = complaint.branch.tz
        changes["legal_due_at"] = [old_due.astimezone(tz).isoformat(), new_due.astimezone(tz).isoformat()]
        for name, value in new_values.items():
            setattr(complaint, name, value)
        complaint.save()
        record_audit(actor=by, action="complaint.legal_term_extended", target=complaint, changes=changes, note=reason)
    return complaint


# The clocks of a complaint a supervisor may pause: the answer within 10 business days. Never the legal term
# (the law gives no pause) nor the forwarding by 11:00.
PAUSABLE_CLOCKS = (ANSWER_CLOCK,)


def _check_pausable(kind: str) -> None:
    if kind == LEGAL_CLOCK:
        raise ValidationError(_("The legal answer term cannot be paused: the law gives no pause."), code="legal_term")
    if kind not in PAUSABLE_CLOCKS:
        raise ValidationError(_("Only the answer's clock of a complaint can be paused."), code="not_pausable")


def complaint_pause_clock(*, complaint: Complaint, kind: str = ANSWER_CLOCK, reason, note: str = "", by) -> Deadline:
    """A supervisor stops the answer's clock for a reason from the list (waiting for the customer's
    documents…); the time it stands still does not count. The legal term is refused."""
    _check_pausable(kind)
    check_may_pause(by)
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "change")
        return pause_clock_for_reason(case=complaint, kind=kind, reason=reason, note=note, by=by)


def complaint_resume_clock(*, complaint: Complaint, kind: str = ANSWER_CLOCK, by) -> Deadline:
    """The answer's clock runs again, due later by the time it stood still."""
    _check_pausable(kind)
    check_may_pause(by)
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "change")
        return resume_clock(case=complaint, kind=kind, by=by)
