"""What several apps' admins share. Project-level, like ``navigation.py``: no app owns it."""

from django.contrib.admin import helpers
from django.template.response import TemplateResponse


class ReadOnlyAdminMixin:
    """For what changes only through its services (register numbers, clocks, the audit trail): the admin looks,
    and its actions call the services; nothing is added, edited or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
