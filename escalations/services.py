"""Changes to escalations: each one transaction, with its audit entry and its clock.

An escalation is opened from a call, a callback or a complaint. A live transfer that was answered hands the
customer to someone who decides while the call lasts; otherwise the escalation is a promise to call the
customer back, and a clock runs at its level (``CLOCK_KINDS``) by the kind's term. Acknowledging it stops
the raising; calling the customer back meets the clock; the outcome closes it. A clock that runs out while
nobody acknowledged the escalation raises it to the next level (``raise_overdue_escalations``, a handler of
the deadline scan), whose holders are told at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.audit.services import record_audit
from contactcenter.case_events import case_closed, case_opened
from contactcenter.deadlines import services as clocks
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.models import Level as AlertLevel
from contactcenter.deadlines.names import case_title
from contactcenter.deadlines.scan import Transition
from contactcenter.directory import roles
from contactcenter.directory.merging import customer_lock
from contactcenter.directory.models import Customer
from contactcenter.directory.services import case_concluded, check_customer_of_branch, customer_find_or_register

from . import notices
from .models import CLOCK_KINDS, LEVEL_OF_CLOCK, NEXT_LEVEL, Escalation, EscalationKind, Level, TransferAttempt

HANDLE = "escalations.handle_escalation"


@dataclass(frozen=True)
class Transfer:
    """A live transfer tried while the call lasted: to whom (a colleague, or a role as told to the customer),
    whether the customer agreed to be put through, whether anyone answered."""

    customer_agreed: bool
    answered: bool
    to_user: object | None = None
    to_name: str = ""
    note: str = ""


# The complaint category an escalation becomes by default, by kind (the form lets the handler choose another).
COMPLAINT_CATEGORY_OF_KIND = {"complaint_about_operator": "staff", "system_failure": "remote"}


def _require(by, permission: str, branch) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(_("You may not do this with escalations."))
    if not by.sees_all_branches and not by.branches.filter(pk=branch.pk).exists():
        raise PermissionDenied(_("You do not work in branch %(branch)s.") % {"branch": branch.code})


def _kind(kind: EscalationKind | str | None) -> EscalationKind:
    if isinstance(kind, EscalationKind):
        found = kind
    else:
        found = EscalationKind.objects.filter(code=kind or "").first()
        if found is None:
            raise ValidationError({"kind": _("Unknown kind of escalation: “%(kind)s”.") % {"kind": kind}})
    if not found.is_active:
        raise ValidationError({"kind": _("This kind of escalation is no longer in use.")})
    return found


def _check_transfer(transfer: Transfer, *, branch, kind: EscalationKind) -> str:
    """What is wrong with a transfer record, or its ``to_name``."""
    if not (kind.allows_live_transfer and branch.allows_live_transfer):
        raise ValidationError(
            {
                "transfer": _("A live transfer is not allowed for this kind of escalation in branch %(branch)s.")
                % {"branch": branch.code}
            }
        )
    if transfer.answered and not transfer.customer_agreed:
        raise ValidationError({"transfer": _("A transfer the customer did not agree to cannot have been answered.")})
    to_user = transfer.to_user
    if to_user is not None and not to_user.branches.filter(pk=branch.pk).exists() and not to_user.sees_all_branches:
        raise ValidationError(
            {
                "transfer_to": _("%(user)s does not work in branch %(branch)s.")
                % {"user": to_user, "branch": branch.code}
            }
        )
    to_name = (transfer.to_name or "").strip() or (str(to_user) if to_user is not None else "")
    if not to_name:
        raise ValidationError({"transfer_to": _("Say to whom the call was to be put through.")})
    return to_name[:200]


def _enter_level(escalation: Escalation, level: str, now: datetime) -> None:
    """The escalation is now the business of ``level``: its clock runs by the kind's term from ``now``."""
    clock = clocks.open_clock(
        case=escalation,
        kind=CLOCK_KINDS[level],
        branch=escalation.branch,
        rule=escalation.kind.contact_rule,
        opened_at=now,
        title=case_title(escalation.pk, escalation.customer.full_name),
    )
    escalation.level = level
    escalation.due_at = clock.due_at
    if level == Level.SECURITY and escalation.reached_security_at is None:
        escalation.reached_security_at = now


def _record_transfer(escalation: Escalation, transfer: Transfer, *, to_name: str, by, now) -> TransferAttempt:
    attempt = TransferAttempt.objects.create(
        escalation=escalation,
        at=now,
        by=by,
        to_user=transfer.to_user,
        to_name=to_name,
        customer_agreed=transfer.customer_agreed,
        answered=transfer.answered,
        note=(transfer.note or "").strip(),
    )
    if transfer.answered:
        # Handled live: whoever took the call has acknowledged it and spoken with the customer.
        escalation.status = Escalation.Status.CONTACTED
        escalation.acknowledged_at = escalation.acknowledged_at or now
        escalation.acknowledged_by = escalation.acknowledged_by or transfer.to_user
        escalation.contacted_at = now
        escalation.contacted_by = transfer.to_user
        escalation.contact_note = _("Live transfer to %(name)s.") % {"name": to_name}
    return attempt


def _transfer_changes(transfer: Transfer | None, to_name: str) -> dict:
    if transfer is None:
        return {}
    return {
        "transfer": [
            None,
            {"to": to_name, "customer_agreed": transfer.customer_agreed, "answered": transfer.answered},
        ]
    }


def _operator_complained_about(kind: EscalationKind, named, *, opened_by, branch):
    """Whom a kind that names an operator is about: the one named, who must be an active operator of the branch
    (the form offers no one else, and the API is held to the same rule), or else the one on the line who opens it."""
    if not kind.names_an_operator:
        return None
    if named is None:
        if not opened_by.branches.filter(pk=branch.pk).exists():
            raise ValidationError(
                {
                    "about_operator": _("%(user)s does not work in branch %(branch)s.")
                    % {"user": opened_by, "branch": branch.code}
                }
            )
        return opened_by
    if not get_user_model().objects.holding(roles.OPERATOR, branch=branch).filter(pk=named.pk).exists():
        raise ValidationError(
            {
                "about_operator": _("%(user)s is not an operator of branch %(branch)s.")
                % {"user": named, "branch": branch.code}
            }
        )
    return named


@transaction.atomic
def escalation_open(
    *,
    branch,
    kind: EscalationKind | str,
    customer_wants: str,
    opened_by,
    customer: Customer | None = None,
    customer_phone: str = "",
    customer_name: str = "",
    callback=None,
    complaint=None,
    about_operator=None,
    transfer: Transfer | None = None,
) -> Escalation:
    """Record what the caller demands, from a call (or a ``callback``, or a ``complaint``, linked both ways).

    The customer is ``customer``, or the case's customer, or the branch's customer with ``customer_phone``, or
    a new one registered with ``customer_name`` (``customer_find_or_register``), in the same transaction.

    With a ``transfer`` that was answered the escalation was handled live; otherwise (no transfer, the
    customer did not agree, or nobody answered) it is a request to call the customer back, and the clock of
    the kind's first level starts at once and its holders are told. An aggressive kind tells security at once
    too. Nothing is stored when anything is wrong.
    """
    _require(opened_by, "escalations.add_escalation", branch)
    kind = _kind(kind)
    now = timezone.now()
    if not branch.is_active:
        raise ValidationError(_("The branch %(branch)s is closed.") % {"branch": branch.code})
    customer_wants = (customer_wants or "").strip()
    if not customer_wants:
        raise ValidationError({"customer_wants": _("Write what the customer wants, in their words.")})
    if callback is not None and complaint is not None:
        raise ValidationError(_("An escalation comes from one case: a callback or a complaint, not both."))
    if customer is None and (callback or complaint) is not None:
        customer = (callback or complaint).customer
        if customer is None:
            raise ValidationError(_("Name the complaint's customer first: it is a draft received by e-mail."))
    check_customer_of_branch(customer, branch)
    for case in (callback, complaint):
        if case is not None and (case.branch_id != branch.pk or case.customer_id != customer.pk):
            raise ValidationError(_("%(case)s is about another customer or branch.") % {"case": case})
    about_operator = _operator_complained_about(kind, about_operator, opened_by=opened_by, branch=branch)
    to_name = _check_transfer(transfer, branch=branch, kind=kind) if transfer is not None else ""
    if customer is None:
        customer, _registered = customer_find_or_register(
            branch=branch, phone=customer_phone, full_name=customer_name, by=opened_by
        )
    else:
        customer = customer_lock(customer)

    source = Escalation.Source.CALL
    if callback is not None:
        source = Escalation.Source.CALLBACK
    elif complaint is not None:
        source = Escalation.Source.COMPLAINT
    escalation = Escalation.objects.create(
        branch=branch,
        customer=customer,
        kind=kind,
        customer_wants=customer_wants,
        source=source,
        callback=callback,
        complaint=complaint,
        about_operator=about_operator,
        opened_by=opened_by,
        opened_at=now,
        level=kind.first_level,
    )
    if transfer is not None:
        _record_transfer(escalation, transfer, to_name=to_name, by=opened_by, now=now)
    told = []
    if escalation.awaits_contact:
        _enter_level(escalation, kind.first_level, now)
        told.append(escalation.level)
    if kind.tells_security_at_once:
        escalation.reached_security_at = now
        told.append(Level.SECURITY)
    escalation.save()
    record_audit(
        actor=opened_by,
        action="escalation.opened",
        target=escalation,
        changes={
            "kind": [None, kind.code],  # the code: the history names it in each reader's language
            "level": [None, escalation.level],
            "status": [None, escalation.status],
            **_transfer_changes(transfer, to_name),
        },
        note=customer_wants,
    )
    if told:
        notices.tell_levels(escalation, levels=told, purpose=notices.OPENED, by=opened_by)
    case_opened.send(escalation)
    return escalation


def _locked(escalation: Escalation) -> Escalation:
    """The escalation's row, locked until the end of the transaction, as it is now.

    Its open clock is locked first: the deadline scan locks the clock (its UPDATE) before the escalation (the
    raising handler), and taking the two in the same order means a change and a scan at the same moment wait
    for each other instead of deadlocking.
    """
    list(Deadline.objects.for_case(escalation).open().select_for_update().values_list("pk", flat=True))
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("branch", "kind", "customer", "acknowledged_by")
        .get(pk=escalation.pk)
    )


def _refuse_closed(escalation: Escalation, what: str) -> None:
    if escalation.is_closed:
        raise ValidationError(
            _("This escalation is closed (%(outcome)s): %(what)s")
            % {"outcome": escalation.get_outcome_display(), "what": what},
            code="closed",
        )


@transaction.atomic
def transfer_record(
    *,
    escalation: Escalation,
    by,
    customer_agreed: bool,
    answered: bool,
    to_user=None,
    to_name: str = "",
    note: str = "",
) -> TransferAttempt:
    """A live transfer tried while the customer is on the line (the operator again, or whoever called them
    back). Answered: the customer reached someone who decides, and the clock is met."""
    _require(by, "escalations.add_transferattempt", escalation.branch)
    escalation = _locked(escalation)
    _refuse_closed(escalation, _("a transfer cannot be recorded on it."))
    if not escalation.awaits_contact:
        raise ValidationError(
            _("The customer has already been contacted: record the outcome instead."), code="contacted"
        )
    transfer = Transfer(customer_agreed=customer_agreed, answered=answered, to_user=to_user, to_name=to_name, note=note)
    to_name = _check_transfer(transfer, branch=escalation.branch, kind=escalation.kind)
    now = timezone.now()
    before = escalation.status
    attempt = _record_transfer(escalation, transfer, to_name=to_name, by=by, now=now)
    changes = _transfer_changes(transfer, to_name)
    if answered:
        clocks.meet_clock(case=escalation, kind=escalation.clock_kind, at=now)
        changes["status"] = [before, escalation.status]
        escalation.due_at = None
        escalation.save()
    record_audit(actor=by, action="escalation.transfer_recorded", target=escalation, changes=changes, note=note)
    return attempt


@transaction.atomic
def escalation_acknowledge(*, escalation: Escalation, by) -> Escalation:
    """Someone of the level takes it: it no longer rises, and its clock is theirs. The customer still has to be
    called back by the due moment."""
    _require(by, HANDLE, escalation.branch)
    escalation = _locked(escalation)
    _refuse_closed(escalation, _("there is nothing to acknowledge."))
    if escalation.status != Escalation.Status.OPEN:
        raise ValidationError(
            _("This escalation was already acknowledged by %(user)s.")
            % {"user": escalation.acknowledged_by or _("someone")},
            code="acknowledged",
        )
    now = timezone.now()
    escalation.status = Escalation.Status.ACKNOWLEDGED
    escalation.acknowledged_at = now
    escalation.acknowledged_by = by
    escalation.save()
    clocks.reassign_clocks(case=escalation, owner=by)
    record_audit(
        actor=by,
        action="escalation.acknowledged",
        target=escalation,
        changes={"status": [Escalation.Status.OPEN, escalation.status], "acknowledged_by": [None, str(by)]},
    )
    return escalation


@transaction.atomic
def escalation_record_contact(*, escalation: Escalation, by, note: str) -> Escalation:
    """The customer was called back: the promise is kept (on time or late). Calling back acknowledges too."""
    _require(by, HANDLE, escalation.branch)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what was said with the customer.")})
    escalation = _locked(escalation)
    _refuse_closed(escalation, _("the customer's contact cannot be recorded any more."))
    if not escalation.awaits_contact:
        raise ValidationError(_("The customer's contact has already been recorded."), code="contacted")
    now = timezone.now()
    before = escalation.status
    clocks.meet_clock(case=escalation, kind=escalation.clock_kind, at=now)
    if escalation.acknowledged_at is None:
        escalation.acknowledged_at, escalation.acknowledged_by = now, by
    escalation.status = Escalation.Status.CONTACTED
    escalation.contacted_at, escalation.contacted_by, escalation.contact_note = now, by, note
    escalation.due_at = None
    escalation.save()
    record_audit(
        actor=by,
        action="escalation.contacted",
        target=escalation,
        changes={"status": [before, escalation.status]},
        note=note,
    )
    return escalation


def _register_complaint(escalation: Escalation, *, by, note: str, category: str | None, now):
    from complaints.models import Channel
    from complaints.services import complaint_register

    summary = escalation.customer_wants
    if note:
        summary = f"{summary}\n\n{note}"
    summary += "\n\n" + _("From %(escalation)s (%(kind)s).") % {"escalation": escalation, "kind": escalation.kind}
    return complaint_register(
        branch=escalation.branch,
        channel=Channel.DEDICATED_LINE,
        category=category or COMPLAINT_CATEGORY_OF_KIND.get(escalation.kind.code, "service"),
        received_at=now,
        summary=summary,
        registered_by=by,
        customer=escalation.customer,
    )


@transaction.atomic
def escalation_close(
    *, escalation: Escalation, by, outcome: str, note: str = "", complaint_category: str | None = None
) -> Escalation:
    """Record the outcome: resolved (after the customer was contacted), the customer declined, turned into a
    complaint (registered in the complaint register and linked), or passed to security (who are told at once).

    A clock still running ends with the outcome as its reason: turned into a complaint, the promise to call back
    was not kept (the complaint carries its own clocks from now); otherwise it no longer applies and is cancelled.
    """
    _require(by, HANDLE, escalation.branch)
    if outcome not in Escalation.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    note = (note or "").strip()
    if outcome != Escalation.Outcome.COMPLAINT and not note:
        raise ValidationError({"note": _("Write what was done or agreed.")})
    escalation = _locked(escalation)
    _refuse_closed(escalation, _("its outcome is already recorded."))
    if outcome == Escalation.Outcome.RESOLVED and escalation.status != Escalation.Status.CONTACTED:
        raise ValidationError(
            {"outcome": _("Record the call with the customer first: “resolved” means they were called back.")}
        )
    now = timezone.now()
    before = escalation.status
    outcome_label = Escalation.Outcome(outcome).label
    if escalation.awaits_contact:
        # Turned into a complaint before anyone called the customer back: the call-back was promised and not
        # made. The other outcomes withdraw the promise (the customer declined, security takes it over).
        end = clocks.end_clock_not_kept if outcome == Escalation.Outcome.COMPLAINT else clocks.cancel_clock
        end(case=escalation, kind=escalation.clock_kind, reason=str(outcome_label), by=by)
        escalation.due_at = None
    if outcome == Escalation.Outcome.COMPLAINT:
        escalation.resulting_complaint = _register_complaint(
            escalation, by=by, note=note, category=complaint_category, now=now
        )
    if outcome == Escalation.Outcome.SECURITY and escalation.reached_security_at is None:
        escalation.reached_security_at = now
    escalation.status = Escalation.Status.CLOSED
    escalation.outcome, escalation.outcome_note = outcome, note
    escalation.closed_at, escalation.closed_by = now, by
    escalation.save()
    changes = {"status": [before, escalation.status], "outcome": [None, outcome]}
    if escalation.resulting_complaint is not None:
        changes["complaint"] = [None, str(escalation.resulting_complaint)]
    record_audit(actor=by, action="escalation.closed", target=escalation, changes=changes, note=note)
    if outcome == Escalation.Outcome.RESOLVED:
        case_concluded.send(escalation, by)
    if outcome == Escalation.Outcome.SECURITY:
        notices.tell_levels(escalation, levels=[Level.SECURITY], purpose=notices.SECURITY, by=by)
    case_closed.send(escalation)
    return escalation


def escalation_raise(escalation: Escalation, *, now: datetime) -> bool:
    """Nobody acknowledged the escalation by its due moment: it goes to the next level, whose clock starts now
    and whose holders are told at once. Call it inside a transaction with the escalation's row locked; the
    caller has checked that it is still open and unacknowledged. False at the top level (security), where the
    clock's alerts go on."""
    old_level = escalation.level
    new_level = NEXT_LEVEL.get(old_level)
    if new_level is None:
        return False
    clocks.cancel_clock(
        case=escalation,
        kind=CLOCK_KINDS[old_level],
        reason=_("Nobody acknowledged it in time: raised to %(level)s.") % {"level": Level(new_level).label},
    )
    _enter_level(escalation, new_level, now)
    escalation.raised_at = now
    escalation.save()
    record_audit(
        actor=None,
        action="escalation.raised",
        target=escalation,
        changes={"level": [old_level, new_level]},
        note=_("Nobody acknowledged it by its due moment."),
    )
    notices.tell_levels(escalation, levels=[new_level], purpose=notices.RAISED)
    return True


def follow_clock_due(clock: Deadline) -> None:
    """Keep the escalation's "call back by" (a copy for its lists) on the due moment of its current clock
    when that clock moves: a paused clock resumed, or a new business calendar."""
    level = LEVEL_OF_CLOCK.get(clock.kind)
    if level is None or clock.content_type_id != ContentType.objects.get_for_model(Escalation).pk:
        return
    Escalation.objects.filter(pk=clock.object_id, level=level, due_at__isnull=False).update(due_at=clock.due_at)


def raise_overdue_escalations(transitions: list[Transition], now: datetime) -> int:
    """A deadline-scan handler (same transaction): each escalation clock that just became overdue while nobody
    had acknowledged its escalation raises the escalation one level. Only the first overdue notice counts
    (reminders do not raise again), and only the clock of the escalation's current level. Returns how many
    were raised."""
    deadline_ids = [
        t.deadline_id
        for t in transitions
        if t.level == AlertLevel.OVERDUE and t.reminder == 0 and t.kind in LEVEL_OF_CLOCK
    ]
    if not deadline_ids:
        return 0
    kind_of = dict(
        Deadline.objects.filter(
            pk__in=deadline_ids,
            state=Deadline.State.OVERDUE,
            content_type=ContentType.objects.get_for_model(Escalation),
        ).values_list("object_id", "kind")
    )
    raised = 0
    escalations = (
        Escalation.objects.filter(pk__in=kind_of, status=Escalation.Status.OPEN)
        .select_for_update(of=("self",))
        .select_related("branch", "kind", "customer")
        .order_by("pk")
    )
    for escalation in escalations:
        if CLOCK_KINDS[escalation.level] == kind_of[escalation.pk]:
            raised += escalation_raise(escalation, now=now)
    return raised
