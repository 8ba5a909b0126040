"""Changes to the directory: each one transaction with its audit entry."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.audit.services import field_changes, record_audit
from contactcenter.hooks import Hook

from .merging import customer_lock
from .models import Branch, Customer
from .phones import parse_phone, time_zone_of_number

CUSTOMER_EDITABLE_FIELDS = ("full_name", "phone", "email", "preferred_language", "email_consent", "time_zone", "notes")


def _check_consent(*, email: str, email_consent: bool) -> None:
    if email_consent and not email:
        raise ValidationError({"email": _("Enter the customer's e-mail address to record their consent.")})


def _check_phone_free(*, branch: Branch, phone: str, exclude_pk=None) -> None:
    taken = Customer.objects.filter(branch=branch, phone=phone).exclude(pk=exclude_pk).first()
    if taken:
        raise ValidationError(
            {"phone": _("This number already belongs to %(name)s in this branch.") % {"name": taken.full_name}}
        )


def suggested_time_zone(phone: str, branch: Branch) -> str:
    """The zone a new customer's number tells, when it is not their branch's; ``""`` (the branch's) otherwise."""
    zone = time_zone_of_number(phone)
    return zone if zone != branch.time_zone else ""


def customer_create(
    *,
    branch: Branch,
    full_name: str,
    phone: str,
    created_by,
    email: str = "",
    preferred_language: str = "",
    email_consent: bool = False,
    time_zone: str = "",
    notes: str = "",
) -> Customer:
    phone = parse_phone(phone, branch.country)
    _check_phone_free(branch=branch, phone=phone)
    _check_consent(email=email, email_consent=email_consent)
    time_zone = time_zone or suggested_time_zone(phone, branch)
    customer = Customer(
        branch=branch,
        full_name=full_name.strip(),
        phone=phone,
        email=email,
        preferred_language=preferred_language,
        email_consent=email_consent,
        email_consent_at=timezone.now() if email_consent else None,
        time_zone=time_zone,
        notes=notes,
        created_by=created_by,
    )
    customer.full_clean()
    try:
        with transaction.atomic():
            customer.save()
            record_audit(actor=created_by, action="customer.created", target=customer)
    except IntegrityError:
        # Someone registered the same number a moment ago.
        _check_phone_free(branch=branch, phone=phone)
        raise
    return customer


def customer_find(*, branch: Branch, phone: str, full_name: str = "") -> Customer | None:
    """The branch's customer with ``phone`` in any spelling, or None when a new one can be registered with
    ``full_name``: what ``customer_find_or_register`` would do, without registering anyone (a case's form asks
    it, to name every missing piece at once).

    Refusals name the fields of a case's form: ``customer_phone`` (not a phone number) and ``customer_name``
    (an unknown number and no name).
    """
    return _known_customer(branch=branch, phone=_case_phone(phone, branch), full_name=full_name)


def _case_phone(phone: str, branch: Branch) -> str:
    """``phone`` in E.164 for ``branch``'s country, refused on a case's ``customer_phone`` field."""
    try:
        return parse_phone(phone, branch.country)
    except ValidationError as error:
        raise ValidationError({"customer_phone": error.error_list}) from error


def _known_customer(*, branch: Branch, phone: str, full_name: str) -> Customer | None:
    """``customer_find`` for a ``phone`` already in E.164."""
    known = Customer.objects.filter(branch=branch, phone=phone).select_related("merged_into").first()
    if known is not None and known.merged_into_id is not None:
        # A record merged into another: its number leads to the record kept.
        known = known.merged_into
    if known is None and not (full_name or "").strip():
        raise ValidationError(
            {"customer_name": _("No customer of this branch has this number yet: enter the customer's name.")},
            code="name_required",
        )
    return known


def check_customer_of_branch(customer: Customer | None, branch: Branch, *, field: str = "customer_phone") -> None:
    """A case is opened for a customer of its own branch: a customer of another branch is refused, on ``field``."""
    if customer is not None and customer.branch_id != branch.pk:
        raise ValidationError({field: _("This customer belongs to another branch.")})


def customer_find_or_register(*, branch: Branch, phone: str, full_name: str = "", by) -> tuple[Customer, bool]:
    """The branch's customer with ``phone`` in any spelling, or a new one registered with ``full_name``; and
    whether they were registered now. Every case (callback, complaint, escalation) finds its customer here;
    it refuses what ``customer_find`` refuses.

    Two requests registering the same new number at once make one customer: the database's unique constraint
    decides, and the request that loses takes the winner's customer. Call it inside the case's transaction,
    so that a case refused later takes its new customer back with it.
    """
    phone = _case_phone(phone, branch)
    known = _known_customer(branch=branch, phone=phone, full_name=full_name)
    if known is not None:
        # Locked until the case is written, so that a merge of this record waits for it, or it for the merge.
        return customer_lock(known), False
    full_name = full_name.strip()
    customer = Customer(
        branch=branch,
        full_name=full_name,
        phone=phone,
        time_zone=suggested_time_zone(phone, branch),
        created_by=by,
    )
    try:
        # The unique constraint is the database's to enforce (below), at the moment of the insert; the branch and
        # the person registering are rows in hand, not worth a query each to find again.
        customer.full_clean(exclude=["phone", "branch", "created_by"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError({"customer_name": error.message_dict.get("full_name", error.messages)}) from error
    try:
        with transaction.atomic():
            customer.save()
            record_audit(actor=by, action="customer.created", target=customer)
    except IntegrityError:
        winner = Customer.objects.filter(branch=branch, phone=phone).first()
        if winner is None:
            raise
        return winner, False
    return customer, True


def customer_update(*, customer: Customer, by, **fields) -> Customer:
    unknown = set(fields) - set(CUSTOMER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"customer_update() cannot change {', '.join(sorted(unknown))}")
    if "phone" in fields:
        fields["phone"] = parse_phone(fields["phone"], customer.branch.country)
        _check_phone_free(branch=customer.branch, phone=fields["phone"], exclude_pk=customer.pk)
    if "full_name" in fields:
        fields["full_name"] = fields["full_name"].strip()
    _check_consent(
        email=fields.get("email", customer.email), email_consent=fields.get("email_consent", customer.email_consent)
    )
    changes = field_changes(customer, fields)
    if not changes:
        return customer
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if "email_consent" in fields and fields["email_consent"] != customer.email_consent:
            # When the consent was given, for the proof; withdrawn, it is gone.
            customer.email_consent_at = timezone.now() if fields["email_consent"] else None
        for name, value in fields.items():
            setattr(customer, name, value)
        customer.full_clean()
        customer.save()
        record_audit(actor=by, action="customer.changed", target=customer, changes=changes)
    return customer


# Sent inside the transaction in which a case came to its end for the customer: a callback solved, an escalation
# resolved, a complaint answered; ``by`` is who concluded it. The feedback app asks the customer how it went.
case_concluded = Hook(
    "directory.services.case_concluded", arguments="case: Callback | Complaint | Escalation, by: User"
)


# Sent inside the transaction in which what a branch's business calendar is made of changed: its weekly hours,
# time zone, country or subdivision. The calendars app receives it, so that the clocks that count in the
# branch's business time are computed again with the new calendar, or not at all.
calendar_basis_changed = Hook("directory.services.calendar_basis_changed", arguments="branch: Branch")


def branch_calendar_basis(branch: Branch) -> dict:
    """What the branch's business calendar is made of, as plain values: compared before and after a change."""
    hours = {str(row.weekday): row.intervals_text for row in branch.working_hours.order_by("weekday")}
    return {
        "time_zone": branch.time_zone,
        "country": branch.country,
        "subdivision": branch.subdivision,
        "hours": hours,
    }


def branch_calendar_changed(*, branch: Branch, before: dict, by) -> bool:
    """Record and announce a change of the branch's calendar basis (``before``: ``branch_calendar_basis`` taken
    before the change); nothing happens when nothing changed. Call it inside the change's transaction."""
    after = branch_calendar_basis(branch)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changes:
        return False
    record_audit(actor=by, action="branch.calendar_changed", target=branch, changes=changes)
    calendar_basis_changed.send(branch)
    return True


def team_schedule_basis(team) -> dict:
    """What a team's schedule is made of, as plain values: compared before and after a change."""
    if team.pk is None:
        return {"schedule": None, "hours": {}}
    return {
        "schedule": team.schedule,
        "hours": {
            str(row.weekday): row.intervals_text
            for row in team.hours.model.objects.filter(team=team).order_by("weekday")
        },
    }


def team_schedule_changed(*, team, before: dict, by) -> bool:
    """Record and announce a change of a team's schedule (``before``: ``team_schedule_basis`` taken before it):
    the clocks counted in it are computed again, in the change's transaction, as for a change of the branch's
    own calendar (the hook reaches every clock of the branch; those whose moment does not move stay)."""
    after = team_schedule_basis(team)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changes or before["schedule"] is None:
        return False
    record_audit(actor=by, action="team.schedule_changed", target=team, changes=changes)
    calendar_basis_changed.send(team.branch)
    return True
