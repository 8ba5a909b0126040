"""What several apps' admins share. Project-level, like ``navigation.py``: no app owns it."""

from django.contrib.admin import helpers
from django.db import models
from django.template.response import TemplateResponse

from contactcenter.audit.services import plain_value, record_audit

# Never written to the audit trail, whatever form shows them.
SECRET_FIELDS = {"password", "password1", "password2"}


class ReadOnlyAdminMixin:
    """For what changes only through its services (register numbers, clocks, the audit trail): the admin looks,
    and its actions call the services; nothing is added, edited or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _stored_value(instance: models.Model, name: str):
    """What the database holds for field ``name`` of ``instance``, as the audit trail writes values; the
    related rows of a many-to-many field (a user's branches) as a sorted list."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(row) for row in getattr(instance, name).all()) if instance.pk else []
    value = getattr(instance, name)
    return sorted(str(item) for item in value) if isinstance(value, list) else plain_value(value)


def _audited_fields(form) -> list[str]:
    model_fields = {field.name for field in form._meta.model._meta.get_fields() if field.concrete}
    return [name for name in form.changed_data if name in model_fields and name not in SECRET_FIELDS]


def _rows(formset) -> list[str]:
    """The rows an inline edits, as the database holds them."""
    if formset.instance.pk is None:
        return []
    return sorted(str(row) for row in formset.model._default_manager.filter(**{formset.fk.name: formset.instance}))


class AuditedAdminMixin:
    """Every add, change and delete made in this admin leaves an entry in the audit trail, like a change made
    through the services: ``admin.added``, ``admin.changed`` (each changed field, and each inline's rows,
    before and after) and ``admin.deleted``. Passwords are never written."""

    def save_model(self, request, obj, form, change):
        # The form has already put the new values on ``obj``: the old ones are read from the database, once,
        # and the row as it was stays on the form (which belongs to this request) for the admin's own use.
        form.original = type(obj)._default_manager.get(pk=obj.pk) if change else None
        form.audit_before = {
            name: _stored_value(form.original, name) if change else None for name in _audited_fields(form)
        }
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        inline_before = {formset.prefix: _rows(formset) for formset in formsets}
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = {name: _stored_value(obj, name) for name in form.audit_before}
        changes = {name: [before, after[name]] for name, before in form.audit_before.items() if before != after[name]}
        for formset in formsets:
            rows = _rows(formset)
            if rows != inline_before[formset.prefix]:
                changes[str(formset.model._meta.verbose_name_plural)] = [inline_before[formset.prefix], rows]
        if changes or not change:
            record_audit(
                actor=request.user, action="admin.changed" if change else "admin.added", target=obj, changes=changes
            )

    def delete_model(self, request, obj):
        _record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _record_deletion(request, obj)
        super().delete_queryset(request, queryset)


def _record_deletion(request, obj) -> None:
    entry = record_audit(actor=request.user, action="admin.deleted", target=obj)
    if entry.branch is obj:
        # A branch's own entry (record_audit makes the branch of an entry about a branch that branch itself)
        # outlives the branch it tells of: it cannot hold on to it (the audit trail protects the branches it
        # refers to, which would stop the very deletion it records).
        entry.branch = None
        entry.save(update_fields=["branch"])


def action_choice_page(model_admin, request, *, action: str, objects, form, title, intro, note, submit_label):
    """The page an admin action shows to ask for one more choice (to whom?) before it changes anything:
    the selected rows, the form, and a note when no choice can serve all of them."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "intro": intro,
        "note": note,
        "objects": objects,
        "form": form,
        "media": model_admin.media + form.media,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "submit_label": submit_label,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/action_choice.html", context)
