from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def plain_value(value):
    """A JSON-safe, readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def field_changes(instance: models.Model, new_values: dict) -> dict:
    """``{field: [before, after]}`` for the fields whose value ``new_values`` changes."""
    return {
        name: [plain_value(getattr(instance, name)), plain_value(value)]
        for name, value in new_values.items()
        if getattr(instance, name) != value
    }


def _branch_model() -> type[models.Model]:
    """The model an entry's branch is, known through the entry's own field rather than by importing it."""
    return AuditEntry._meta.get_field("branch").related_model


def record_audit(
    *, actor, action: str, target: models.Model, changes: dict | None = None, note: str = ""
) -> AuditEntry:
    """Write one audit entry; call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_repr=str(target)[:300],
        branch=target if isinstance(target, _branch_model()) else getattr(target, "branch", None),
        changes=changes or {},
        note=note,
    )
