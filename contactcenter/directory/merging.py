"""Two records of one person (a number typed twice in two spellings, a typo) become one: every case of the record
removed moves to the record kept, in one transaction, with its audit entry.

What points at a customer is found, not listed: every relation Django knows to ``Customer`` (the case apps'
foreign keys, and any app added later, found through the model's meta, so the directory imports no case app)
and every generic relation (``content_type``, ``object_id``: clocks and outbound e-mails about a customer). The
audit trail is the one generic relation left where it is: it is the removed record's history, and the removed
record stays, as a pointer (``Customer.merged_into``) that leads its number and its links to the record kept.

Nothing can be lost to a case opened at the same moment: the merge locks both customer rows (``SELECT … FOR
UPDATE``) before it reads what points at them, and a new case locks its customer's row before it is written
(``customer_lock``), so the two take turns. A case that came first is moved; one that came second finds the
removed record merged and goes to the kept one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.audit.models import AuditEntry
from contactcenter.audit.services import field_changes, record_audit

from .models import Customer

# The fields of the removed record that fill the kept one's where it has none.
FILLED_IF_EMPTY = ("email", "preferred_language")


@dataclass(frozen=True)
class CustomerLink:
    """One kind of row that points at a customer: a foreign key (``field``), or a generic relation (``field`` is
    the object id, ``content_type_field`` its content type)."""

    model: type[models.Model]
    field: str
    content_type_field: str = ""

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def rows(self, customer: Customer) -> models.QuerySet:
        condition = {self.field: customer.pk}
        if self.content_type_field:
            condition[self.content_type_field] = ContentType.objects.get_for_model(Customer)
        return self.model._base_manager.filter(**condition)


def customer_links() -> list[CustomerLink]:
    """Every kind of row that points at a customer, hidden relations and many-to-many tables included."""
    links = []
    for relation in Customer._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete and not relation.many_to_many:
            links.append(CustomerLink(relation.related_model, relation.field.attname))
    for model in apps.get_models(include_auto_created=True):
        if model is AuditEntry:
            continue
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                object_id = model._meta.get_field(field.fk_field)
                links.append(CustomerLink(model, object_id.attname, model._meta.get_field(field.ct_field).attname))
    return sorted(links, key=lambda link: link.key)


@dataclass(frozen=True)
class MergePreview:
    keep: Customer
    remove: Customer
    moving: list[tuple[str, int]]  # (what, how many), only what is there

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.moving)


def merge_refusal(keep: Customer, remove: Customer) -> str | None:
    """Why these two records cannot be merged, or None."""
    if keep.pk == remove.pk:
        return _("A record cannot be merged with itself: choose the other record.")
    if keep.merged_into_id or remove.merged_into_id:
        return _("One of the two records has been merged already.")
    if keep.branch_id != remove.branch_id:
        return _(
            "The two records belong to different branches: a customer of two branches is two customers, "
            "so they are not merged."
        )
    return None


def customer_merge_preview(*, keep: Customer, remove: Customer) -> MergePreview:
    """What merging ``remove`` into ``keep`` would move: a count per kind of row (one query per kind)."""
    moving = [(link.label, link.rows(remove).count()) for link in customer_links()]
    return MergePreview(keep, remove, [(label, count) for label, count in moving if count])


def customer_merge(*, keep: Customer, remove: Customer, by, note: str = "") -> dict[str, list[int]]:
    """Move every case of ``remove`` to ``keep`` and leave ``remove`` merged into it; ``{kind: [ids moved]}``.

    One transaction: both rows are locked first, so no case can be written for either meanwhile; what the kept
    record lacks (e-mail, language) is taken from the removed one, and the removed one's notes are added to
    its own. The audit entry on the kept record names who, when, every row moved and the removed record's data
    as it was; the removed record gets one too. Refused (``ValidationError``, nothing changed): the same record
    twice, one merged already, two branches, or rows that cannot move (two open clocks of one kind).
    """
    if not by.has_perm("directory.merge_customer"):
        raise PermissionDenied(_("Only supervisors and above may merge customer records."))
    with transaction.atomic():
        locked = Customer.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk]).order_by("pk")
        rows = {customer.pk: customer for customer in locked}
        if keep.pk not in rows or remove.pk not in rows:
            raise ValidationError(_("One of the two records no longer exists."))
        keep, remove = rows[keep.pk], rows[remove.pk]
        refusal = merge_refusal(keep, remove)
        if refusal:
            raise ValidationError(refusal)

        moved: dict[str, list[int]] = {}
        try:
            with transaction.atomic():
                for link in customer_links():
                    ids = list(link.rows(remove).values_list("pk", flat=True))
                    if ids:
                        link.model._base_manager.filter(pk__in=ids).update(**{link.field: keep.pk})
                        moved[link.key] = ids
        except IntegrityError as error:
            raise ValidationError(
                _("The records cannot be merged: both have something only one may hold (an open clock of one kind).")
            ) from error

        removed_data = {
            "id": remove.pk,
            "full_name": remove.full_name,
            "phone": remove.phone,
            "email": remove.email,
            "preferred_language": remove.preferred_language,
            "notes": remove.notes,
            "created_at": remove.created_at.isoformat(),
        }
        filled = {name: getattr(remove, name) for name in FILLED_IF_EMPTY if not getattr(keep, name)}
        filled = {name: value for name, value in filled.items() if value}
        if remove.notes.strip() and remove.notes.strip() not in keep.notes:
            filled["notes"] = f"{keep.notes.rstrip()}\n\n{remove.notes.strip()}".strip()
        changes = field_changes(keep, filled)
        for name, value in filled.items():
            setattr(keep, name, value)
        keep.save()

        remove.merged_into, remove.merged_at = keep, timezone.now()
        remove.save(update_fields=["merged_into", "merged_at", "updated_at"])
        record_audit(
            actor=by,
            action="customer.merged",
            target=keep,
            changes={**changes, "merged_record": [removed_data, None], "moved": [None, moved]},
            note=note,
        )
        record_audit(
            actor=by,
            action="customer.merged_into",
            target=remove,
            changes={"merged_into": [None, keep.pk], "moved": [moved, None]},
            note=note,
        )
    return moved


def customer_lock(customer: Customer) -> Customer:
    """The customer a new case is written for, their row locked until the case's transaction ends; the record
    kept if ``customer`` was merged meanwhile (a merge holds both rows locked, so this waits for it to end)."""
    with transaction.atomic():
        current = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
        while current.merged_into_id is not None:
            current = Customer.objects.select_for_update(no_key=True).get(pk=current.merged_into_id)
    return current
