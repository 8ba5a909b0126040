"""Changes to the directory: each one transaction with its audit entry."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contactcenter.audit.services import field_changes, record_audit

from .models import Branch, Customer
from .phones import parse_phone

CUSTOMER_EDITABLE_FIELDS = ("full_name", "phone", "email", "preferred_language", "notes")


def _check_phone_free(*, branch: Branch, phone: str, exclude_pk=None) -> None:
    taken = Customer.objects.filter(branch=branch, phone=phone).exclude(pk=exclude_pk).first()
    if taken:
        raise ValidationError(
            {"phone": _("This number already belongs to %(name)s in this branch.") % {"name": taken.full_name}}
        )


def customer_create(
    *,
    branch: Branch,
    full_name: str,
    phone: str,
    created_by,
    email: str = "",
    preferred_language: str = "",
    notes: str = "",
) -> Customer:
    phone = parse_phone(phone, branch.country)
    _check_phone_free(branch=branch, phone=phone)
    customer = Customer(
        branch=branch,
        full_name=full_name.strip(),
        phone=phone,
        email=email,
        preferred_language=preferred_language,
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


def customer_update(*, customer: Customer, by, **fields) -> Customer:
    unknown = set(fields) - set(CUSTOMER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"customer_update() cannot change {', '.join(sorted(unknown))}")
    if "phone" in fields:
        fields["phone"] = parse_phone(fields["phone"], customer.branch.country)
        _check_phone_free(branch=customer.branch, phone=fields["phone"], exclude_pk=customer.pk)
    if "full_name" in fields:
        fields["full_name"] = fields["full_name"].strip()
    changes = field_changes(customer, fields)
    if not changes:
        return customer
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        for name, value in fields.items():
            setattr(customer, name, value)
        customer.full_clean()
        customer.save()
        record_audit(actor=by, action="customer.changed", target=customer, changes=changes)
    return customer
