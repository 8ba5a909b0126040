"""The callback list as a CSV download: its columns."""

from django.utils.translation import gettext_lazy as _

from contactcenter.exports import Column, branch_time

COLUMNS = [
    Column(_("Number"), lambda callback: callback.pk),
    Column(_("Branch"), lambda callback: callback.branch.code),
    Column(_("Customer"), lambda callback: callback.customer.full_name),
    Column(_("Phone"), lambda callback: callback.customer.phone),
    Column(_("Reason"), lambda callback: str(callback.reason)),
    Column(_("Status"), lambda callback: callback.get_status_display()),
    Column(_("Operator"), lambda callback: callback.assigned_to or ""),
    Column(_("Next contact"), branch_time("next_contact_at")),
    Column(_("Registered"), branch_time("created_at")),
]
