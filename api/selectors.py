"""What the API tells about a case: its status and its open clocks (the due moment the IVR reads out)."""

from __future__ import annotations

from datetime import UTC

from callbacks.models import Callback
from complaints.models import Complaint
from contactcenter.deadlines.models import Deadline
from contactcenter.directory.models import Customer
from contactcenter.directory.phones import parse_phone
from escalations.models import Escalation

from .models import WebhookSubscription
from .serializers import PRIORITY_NAMES


def _clocks(case, open_clocks=None) -> list[dict]:
    if open_clocks is None:
        open_clocks = Deadline.objects.for_case(case).open().most_urgent_first()
    # In UTC, as the database gives it back: a clock just opened holds its moment in the branch's zone.
    return [{"kind": clock.kind, "state": clock.state, "due_at": clock.due_at.astimezone(UTC)} for clock in open_clocks]


def _common(case, *, created_at, open_clocks=None) -> dict:
    type_, number = case_identity(case)
    clocks = _clocks(case, open_clocks)
    return {
        "number": number,
        "type": type_,
        "branch": case.branch.code,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "customer_phone": case.customer.phone if case.customer_id else "",  # a draft received by e-mail has none yet
        "created_at": created_at,
        "due_at": clocks[0]["due_at"] if clocks else None,
        "clocks": clocks,
    }


def case_identity(case) -> tuple[str, str]:
    """(type, number) of a case, as the API names it: a callback's or escalation's number, a complaint's register
    number."""
    if isinstance(case, Complaint):
        return "complaint", case.register_number
    if isinstance(case, Callback):
        return "callback", str(case.pk)
    if isinstance(case, Escalation):
        return "escalation", str(case.pk)
    raise TypeError(f"{type(case).__name__} is no case of the API")


def case_summary(case) -> dict:
    """What a webhook event says of its case: what identifies it and where it stands, no personal data."""
    type_, number = case_identity(case)
    due_at = Deadline.objects.for_case(case).open().most_urgent_first().values_list("due_at", flat=True).first()
    return {"type": type_, "number": number, "branch": case.branch.code, "status": case.status, "due_at": due_at}


def callback_status(callback: Callback, *, open_clocks=None) -> dict:
    """``open_clocks``: the callback's open clocks when the caller has them in hand (a callback just registered
    has one, its ``contact_clock``), else they are read."""
    return {
        **_common(callback, created_at=callback.created_at, open_clocks=open_clocks),
        "channel": callback.channel,
        "reason": callback.reason.code,
        "priority": PRIORITY_NAMES.get(callback.priority, str(callback.priority)),
        "window_start": callback.window_start,
        "window_end": callback.window_end,
    }


def complaint_status(complaint: Complaint) -> dict:
    return {
        **_common(complaint, created_at=complaint.registered_at),
        "channel": complaint.channel,
        "category": complaint.category,
        "received_at": complaint.received_at,
        "pages": complaint.pages.count(),
    }


def escalation_status(escalation: Escalation) -> dict:
    return {
        **_common(escalation, created_at=escalation.opened_at),
        "kind": escalation.kind.code,
        "level": escalation.level,
    }


def client_callbacks(client):
    return Callback.objects.filter(branch__in=client.branches.all()).select_related("branch", "customer", "reason")


def client_complaints(client):
    return Complaint.objects.filter(branch__in=client.branches.all()).select_related("branch", "customer")


def client_escalations(client):
    return Escalation.objects.filter(branch__in=client.branches.all()).select_related("branch", "customer", "kind")


def client_subscriptions(client):
    """The client's own subscriptions, not deleted: another client's are never found."""
    return WebhookSubscription.objects.filter(client=client, deleted_at=None)


def open_cases_by_phone(*, client, phone: str, branches) -> list[dict]:
    """The open cases of the customers with ``phone`` (any spelling) in ``branches``, oldest first.

    Raises ValidationError (field ``phone``) when ``phone`` is no phone number in a branch's country."""
    customers = []
    for branch in branches:
        customer = Customer.objects.filter(branch=branch, phone=parse_phone(phone, branch.country)).first()
        if customer is not None:
            customers.append(customer)
    cases = [
        *(callback_status(c) for c in client_callbacks(client).filter(customer__in=customers).open()),
        *(complaint_status(c) for c in client_complaints(client).filter(customer__in=customers).open()),
        *(escalation_status(e) for e in client_escalations(client).filter(customer__in=customers).not_closed()),
    ]
    return sorted(cases, key=lambda case: case["created_at"])
