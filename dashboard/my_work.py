"""The home page of those who work cases themselves: an operator's own work, and what reached security.

Each list is one query of at most ``HOME_LIST_LENGTH`` + 1 rows (the extra row only tells that the full list has
more), scoped by ``for_user`` like every list, so the page costs the same whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When
from django.utils import timezone

from callbacks.selectors import callbacks_for_list, queue_callable_now
from complaints.models import FORWARDING_CLOCK, Complaint
from complaints.selectors import visible_complaints
from contactcenter.deadlines.models import Deadline
from contactcenter.directory import roles
from escalations.models import Escalation
from escalations.selectors import with_clock_state

HOME_LIST_LENGTH = 25


@dataclass
class HomeList:
    """The first rows of a list, and whether the full list holds more."""

    rows: list = field(default_factory=list)
    has_more: bool = False

    @classmethod
    def of(cls, queryset, limit: int = HOME_LIST_LENGTH) -> HomeList:
        rows = list(queryset[: limit + 1])
        return cls(rows=rows[:limit], has_more=len(rows) > limit)


def sees_my_work(user) -> bool:
    """Operators and security staff start their day on this page (the dashboard's roles on the dashboard)."""
    return user.is_authenticated and bool(user.role_names & {roles.OPERATOR, roles.SECURITY})


def my_callbacks(user):
    """The operator's own open callbacks: due soon and overdue first, then by the agreed time."""
    attention_first = Case(When(clock_state__in=Deadline.ATTENTION_STATES, then=Value(0)), default=Value(1))
    return (
        callbacks_for_list(user)
        .open()
        .filter(assigned_to=user)
        .alias(attention_first=attention_first)
        .order_by("attention_first", F("next_contact_at").asc(nulls_last=True), "pk")
    )


def my_complaints_to_forward(user):
    """The complaints the user registered whose forwarding to the manager is still to be done, the one due first
    first; each with ``forwarding_due_at`` (the due moment of the open forwarding clock)."""
    open_forwarding = Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=OuterRef("pk"), kind=FORWARDING_CLOCK
    )
    return (
        visible_complaints(user)
        .filter(registered_by=user)
        .open()
        .alias(waits_for_forwarding=Exists(open_forwarding))
        .filter(waits_for_forwarding=True)
        .with_clocks()
        .select_related("customer", "branch")
        .order_by(F("forwarding_due_at").asc(nulls_last=True), "pk")
    )


def my_open_escalations(user):
    """The escalations the user opened that are not closed yet, the one to call back first first."""
    escalations = Escalation.objects.for_user(user).filter(opened_by=user).not_closed()
    return (
        with_clock_state(escalations)
        .select_related("customer", "branch", "kind")
        .order_by(F("due_at").asc(nulls_last=True), "-opened_at", "-pk")
    )


def escalations_at_security(user):
    """The escalations of the user's branches that reached security and are not closed: those nobody has
    acknowledged first, then by the moment the customer must be contacted."""
    escalations = Escalation.objects.for_user(user).filter(reached_security_at__isnull=False).not_closed()
    waiting_first = Case(
        When(status=Escalation.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        with_clock_state(escalations)
        .select_related("customer", "branch", "kind", "acknowledged_by")
        .alias(waiting_first=waiting_first)
        .order_by("waiting_first", F("due_at").asc(nulls_last=True), "pk")
    )


def operator_work(user) -> dict:
    return {
        "callbacks": HomeList.of(my_callbacks(user)),
        "complaints": HomeList.of(my_complaints_to_forward(user)),
        "escalations": HomeList.of(my_open_escalations(user)),
        # The "Take next" button's count: what it would offer now (``callbacks.selectors.queue_callable_now``).
        "queue": queue_callable_now(user, now=timezone.now()).count(),
    }


def security_work(user) -> dict:
    return {"escalations": HomeList.of(escalations_at_security(user))}
