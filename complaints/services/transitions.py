"""Which step a complaint's status allows, in one table, and the row lock every step takes first."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Complaint, Status

_ALL_BUT_CLOSED = frozenset(Status.values) - {Status.CLOSED}

# step: (statuses that allow it, what the user reads otherwise)
ALLOWED = {
    "forward": (
        frozenset({Status.REGISTERED}),
        _("Only a registered complaint that has not been forwarded yet can be forwarded; this one is %(status)s."),
    ),
    "assign": (
        frozenset({Status.FORWARDED, Status.IN_REVIEW}),
        _("A complaint is taken into review once it has been forwarded; this one is %(status)s."),
    ),
    "answer": (
        frozenset({Status.IN_REVIEW}),
        _("Only a complaint in review can be answered; this one is %(status)s."),
    ),
    "close": (frozenset({Status.ANSWERED}), _("Only an answered complaint can be closed; this one is %(status)s.")),
    "reopen": (
        frozenset({Status.ANSWERED, Status.CLOSED}),
        _("Only an answered or closed complaint can be reopened; this one is %(status)s."),
    ),
    "change": (_ALL_BUT_CLOSED, _("A closed complaint cannot be changed; reopen it first.")),
}


def lock(complaint: Complaint) -> Complaint:
    """The complaint's row, locked until the end of the transaction, as it is now (not as the caller saw it)."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("branch", "customer", "assigned_to")
        .get(pk=complaint.pk)
    )


def allows(complaint: Complaint, step: str) -> bool:
    """Whether the complaint's status allows ``step`` (what its page offers; the step itself checks again)."""
    return complaint.status in ALLOWED[step][0]


def require(complaint: Complaint, step: str) -> None:
    if not allows(complaint, step):
        message = ALLOWED[step][1]
        raise ValidationError(message, code="wrong_status", params={"status": complaint.get_status_display()})
