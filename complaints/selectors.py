"""Reads of the complaint register, scoped to the user who looks."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from contactcenter.audit.models import AuditEntry
from contactcenter.deadlines.models import Deadline
from contactcenter.directory import roles
from contactcenter.directory.models import Branch
from contactcenter.typed_dates import check_period

from .models import Complaint

CLOCK_ORDER = {"complaint_forwarding": 0, "complaint_answer": 1, "complaint_legal_answer": 2}


def visible_complaints(user) -> QuerySet[Complaint]:
    """The complaints ``user`` may see: none without the permission, else those of their branches."""
    if not user.has_perm("complaints.view_complaint"):
        return Complaint.objects.none()
    return Complaint.objects.for_user(user)


def complaint_list(user) -> QuerySet[Complaint]:
    """What the register's list and its CSV export read: one query for a page, whatever its size."""
    return visible_complaints(user).select_related("branch", "customer", "assigned_to").with_clocks()


def complaints_found(user, *, register_number=None, customer_ids=()) -> QuerySet[Complaint]:
    """The complaints the header search finds: by register number (``(code, year, number)``, the code may be
    None: ``2026-42`` is that number in any of the user's branches), or of the customers it found
    (``customer_ids``), newest first."""
    condition = Q(pk__in=[])
    if register_number is not None:
        code, year, number = register_number
        condition |= Q(year=year, number=number, **({"branch__code": code} if code else {}))
    if customer_ids:
        condition |= Q(customer_id__in=customer_ids)
    return (
        visible_complaints(user).filter(condition).select_related("customer", "branch").order_by("-received_at", "-pk")
    )


def complaints_for_customer(customer, user) -> QuerySet[Complaint]:
    """A customer's complaints, newest first, for their card (empty for a user who may not see complaints)."""
    return complaint_list(user).filter(customer=customer).order_by("-received_at", "-pk")


def complaint_clocks(complaint: Complaint) -> list[Deadline]:
    """Every clock of the complaint, the open and the finished ones: forwarding, answer, legal term."""
    clocks = Deadline.objects.for_case(complaint).select_related("branch", "owner").order_by("opened_at", "pk")
    return sorted(clocks, key=clock_order)


def clock_order(clock: Deadline) -> tuple:
    """How a complaint's clocks are listed: by when they started, and forwarding, answer, legal term at once."""
    return (clock.opened_at, CLOCK_ORDER.get(clock.kind, 9))


def open_clock_of(complaint: Complaint, kind: str) -> Deadline | None:
    return Deadline.objects.for_case(complaint).open().filter(kind=kind).first()


def latest_clock_of(complaint: Complaint, kind: str) -> Deadline | None:
    return Deadline.objects.for_case(complaint).filter(kind=kind).order_by("-opened_at", "-pk").first()


def complaint_history(complaint: Complaint) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_target(complaint).select_related("actor")


def assignable_reviewers(branch: Branch):
    """Who reviews the branch's complaints: its active supervisors, heads of department and branch managers, and
    the deputy directors (who review in every branch). An administrator, who may do everything in the admin,
    reviews only through such a role."""
    staff = get_user_model().objects
    in_branch = staff.holding(*roles.SENIOR_STAFF, branch=branch).values("pk")
    deputies = staff.holding(roles.DEPUTY_DIRECTOR).values("pk")
    return staff.filter(Q(pk__in=in_branch) | Q(pk__in=deputies)).by_name()


def branch_register(*, branch: Branch, start: date, end: date) -> QuerySet[Complaint]:
    """The register of one branch for the days ``start`` to ``end`` (both included, the branch's days), in order."""
    check_period(start, end)
    return (
        Complaint.objects.filter(branch=branch, received_on__gte=start, received_on__lte=end)
        .select_related("branch", "customer", "assigned_to")
        .with_clocks()
        .order_by("year", "number")
    )
