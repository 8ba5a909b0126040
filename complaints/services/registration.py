"""Registering a complaint: its register number, its customer, its pages and its clocks, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.audit.services import field_changes, record_audit
from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.case_events import case_opened
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.rules import ClockRule
from contactcenter.deadlines.services import open_clock
from contactcenter.directory.merging import customer_lock
from contactcenter.directory.models import Branch, Customer
from contactcenter.directory.services import check_customer_of_branch, customer_find_or_register
from contactcenter.formats import day_text
from contactcenter.typed_dates import oldest_complaint_moment

from .. import photos
from ..models import (
    ANSWER_CLOCK,
    FORWARDING_CLOCK,
    LEGAL_CLOCK,
    Category,
    Channel,
    Complaint,
    ComplaintPage,
    RegisterCounter,
)
from . import transitions
from .customer_told import tell_complaint_registered
from .forwarding import check_forwarding_possible, queue_forwarding

# "The same day, and no later than 11:00 on the next business day": the clock is due at the latest moment
# the rule allows; "the same day" is what the staff aim for, and the clock warns them before it runs out.
FORWARD_BY = ClockRule.next_business_day_at(time(11))
ANSWER_WITHIN = ClockRule.business_days(10)
LEGAL_ANSWER_WITHIN = ClockRule.business_days(15)
LEGAL_EXTENSION_MAX_DAYS = 10

COMPLAINT_EDITABLE_FIELDS = ("summary", "category")


def clock_title(complaint: Complaint) -> str:
    name = _("draft received by e-mail") if complaint.customer is None else complaint.customer.full_name
    return f"{complaint.register_number} · {name}"


def check_received_at(received_at: datetime | None, *, branch: Branch) -> None:
    """A complaint is received in the past, not before its branch opened (``Branch.opened_on``, when known),
    and not longer ago than ``COMPLAINT_RECEIVED_MAX_AGE_DAYS``: an older date is a typing mistake."""
    if received_at is None:
        raise ValidationError({"received_at": _("Enter when the complaint was received.")})
    if timezone.is_naive(received_at):
        raise ValueError("received_at must be an aware datetime")
    now = timezone.now()
    if received_at > now:
        raise ValidationError({"received_at": _("A complaint cannot be received in the future.")}, code="future")
    oldest = oldest_complaint_moment(now)
    if received_at < oldest:
        raise ValidationError(
            {
                "received_at": ValidationError(
                    _(
                        "A complaint received before %(day)s (more than %(days)d days ago) cannot be "
                        "registered: check the date."
                    ),
                    code="too_old",
                    params={
                        "day": day_text(oldest, branch.tz),
                        "days": settings.COMPLAINT_RECEIVED_MAX_AGE_DAYS,
                    },
                )
            }
        )
    if branch.opened_on is not None and received_at.astimezone(branch.tz).date() < branch.opened_on:
        raise ValidationError(
            {
                "received_at": ValidationError(
                    _("Branch %(branch)s opened on %(day)s: it cannot have received a complaint before."),
                    code="before_branch",
                    params={"branch": branch.code, "day": day_text(branch.opened_on)},
                )
            }
        )


def take_register_number(*, branch: Branch, year: int) -> int:
    """The next number of the branch's register for ``year``; call it inside the registration's transaction.

    The counter row is locked until that transaction ends: a second registration waits for it, and a
    registration that fails gives its number back with its rollback, so there are no gaps and no duplicates.
    The insert of a year's first row does nothing when another transaction made it (it waits for that one).
    """
    RegisterCounter.objects.bulk_create([RegisterCounter(branch=branch, year=year)], ignore_conflicts=True)
    counter = RegisterCounter.objects.select_for_update().get(branch=branch, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _open_clocks(complaint: Complaint) -> None:
    branch = complaint.branch
    calendar = BusinessCalendar.for_branch(branch)
    common = {
        "case": complaint,
        "branch": branch,
        "opened_at": complaint.received_at,
        "title": clock_title(complaint),
        "calendar": calendar,
    }
    open_clock(kind=FORWARDING_CLOCK, rule=FORWARD_BY, owner=complaint.registered_by, **common)
    # The customer is given both dates (the acknowledgement): a move of either must be told to them.
    open_clock(kind=ANSWER_CLOCK, rule=ANSWER_WITHIN, owner=branch.manager, promised_to_customer=True, **common)
    if complaint.legal_term_applies:
        open_clock(
            kind=LEGAL_CLOCK, rule=LEGAL_ANSWER_WITHIN, owner=branch.manager, promised_to_customer=True, **common
        )


def _store_pages(
    complaint: Complaint, prepared: Sequence[photos.PreparedPhoto], by, stored: list[str]
) -> list[ComplaintPage]:
    """Store the photos and their rows; ``stored`` collects the files written, for the caller to delete them
    if the transaction fails. The same photo already kept in the branch is flagged, not refused."""
    position = complaint.pages.count()
    pages = []
    for photo in prepared:
        files = photos.store(photo)
        stored += [files.image, files.thumbnail]
        position += 1
        duplicate_of = (
            ComplaintPage.objects.filter(complaint__branch=complaint.branch_id, sha256=photo.sha256)
            .order_by("pk")
            .first()
        )
        pages.append(
            ComplaintPage.objects.create(
                complaint=complaint,
                position=position,
                image=files.image,
                thumbnail=files.thumbnail,
                original_name=photo.original_name,
                size=photo.size,
                width=photo.width,
                height=photo.height,
                sha256=photo.sha256,
                duplicate_of=duplicate_of,
                uploaded_by=by,
            )
        )
    return pages


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def complaint_register(
    *,
    branch: Branch,
    channel: str,
    category: str,
    received_at: datetime,
    summary: str,
    registered_by,
    customer: Customer | None = None,
    customer_phone: str = "",
    customer_name: str = "",
    pages: Sequence[photos.PreparedPhoto] = (),
    forward: bool = False,
    draft: bool = False,
) -> Complaint:
    """Register a complaint received at ``received_at`` in ``branch``, with its photographed pages.

    The customer is ``customer``, or the branch's customer with ``customer_phone``, or a new one registered
    with ``customer_name`` (``customer_find_or_register``, in the same transaction). The complaint gets the
    next register number of its branch and year (the year it was received, in the branch's time), and its
    clocks: forwarding, the answer, and the legal term if the branch is a financial organisation. With
    ``forward`` the forwarding e-mail is queued at once. Nothing is stored when anything is wrong.

    A ``draft`` (a complaint received by e-mail) has no customer yet: ``complaint_complete_draft`` names them.
    """
    check_received_at(received_at, branch=branch)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the complaint was received.")})
    if category not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write what the customer complains about.")})
    if channel == Channel.COMPLAINT_BOOK and not pages:
        raise ValidationError({"pages": _("Add a photo of the complaint book's page.")}, code="page_required")
    if not branch.is_active:
        raise ValidationError(_("The branch %(branch)s is closed.") % {"branch": branch})
    check_customer_of_branch(customer, branch)
    if forward:
        check_forwarding_possible(branch)

    local_day = received_at.astimezone(branch.tz).date()
    stored: list[str] = []
    try:
        with transaction.atomic():
            if customer is None and not draft:
                customer, _registered = customer_find_or_register(
                    branch=branch, phone=customer_phone, full_name=customer_name, by=registered_by
                )
            elif customer is not None:  # a draft (by e-mail) has no customer yet
                customer = customer_lock(customer)
            number = take_register_number(branch=branch, year=local_day.year)
            complaint = Complaint.objects.create(
                branch=branch,
                year=local_day.year,
                number=number,
                register_number=Complaint.format_number(branch, local_day.year, number),
                channel=channel,
                category=category,
                customer=customer,
                received_at=received_at,
                received_on=local_day,
                summary=summary,
                legal_term_applies=branch.is_financial_organisation,
                registered_by=registered_by,
            )
            _store_pages(complaint, pages, registered_by, stored)
            _open_clocks(complaint)
            tell_complaint_registered(complaint, by=registered_by)
            record_audit(
                actor=registered_by,
                action="complaint.registered",
                target=complaint,
                changes={
                    "register_number": [None, complaint.register_number],
                    "customer": [None, str(customer) if customer is not None else None],
                    # The code, not its name: the history names it in each reader's language.
                    "channel": [None, complaint.channel],
                    "pages": [None, len(pages)],
                },
            )
            if forward:
                queue_forwarding(complaint, by=registered_by)
            case_opened.send(complaint)
    except BaseException:
        _delete_files(stored)
        raise
    return complaint


def complaint_add_pages(*, complaint: Complaint, pages: Sequence[photos.PreparedPhoto], by) -> list[ComplaintPage]:
    """More photographed pages for a complaint that is not closed."""
    if not pages:
        raise ValidationError({"pages": _("Choose at least one photo.")})
    stored: list[str] = []
    try:
        with transaction.atomic():
            complaint = transitions.lock(complaint)
            transitions.require(complaint, "change")
            added = _store_pages(complaint, pages, by, stored)
            record_audit(
                actor=by,
                action="complaint.pages_added",
                target=complaint,
                changes={"pages": [added[0].position - 1, added[-1].position]},
            )
    except BaseException:
        _delete_files(stored)
        raise
    return added


def complaint_update(*, complaint: Complaint, by, **fields) -> Complaint:
    """Correct the summary or the category of a complaint that is not closed."""
    unknown = set(fields) - set(COMPLAINT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"complaint_update() cannot change {', '.join(sorted(unknown))}")
    if "summary" in fields:
        fields["summary"] = (fields["summary"] or "").strip()
        if not fields["summary"]:
            raise ValidationError({"summary": _("Write what the customer complains about.")})
    if "category" in fields and fields["category"] not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "change")
        changes = field_changes(complaint, fields)
        if not changes:
            return complaint
        for name, value in fields.items():
            setattr(complaint, name, value)
        complaint.save()
        record_audit(actor=by, action="complaint.changed", target=complaint, changes=changes)
    return complaint


def complaint_complete_draft(*, complaint: Complaint, customer_phone: str, customer_name: str = "", by) -> Complaint:
    """Name the customer of a draft received by e-mail: the branch's customer with ``customer_phone``, or a new
    one registered with ``customer_name``; its clocks are renamed after them."""
    with transaction.atomic():
        complaint = transitions.lock(complaint)
        transitions.require(complaint, "change")
        if not complaint.is_draft:
            raise ValidationError(_("This complaint already has its customer."), code="not_a_draft")
        customer, _registered = customer_find_or_register(
            branch=complaint.branch, phone=customer_phone, full_name=customer_name, by=by
        )
        complaint.customer = customer
        complaint.save(update_fields=["customer", "updated_at"])
        Deadline.objects.for_case(complaint).update(title=clock_title(complaint))
        tell_complaint_registered(complaint, by=by)
        record_audit(
            actor=by, action="complaint.draft_completed", target=complaint, changes={"customer": [None, str(customer)]}
        )
    return complaint
