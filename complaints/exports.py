"""The complaint register as a CSV download: its columns."""

from django.utils.translation import gettext_lazy as _

from contactcenter.exports import Column, branch_time

COLUMNS = [
    Column(_("Register number"), lambda complaint: complaint.register_number),
    Column(_("Branch"), lambda complaint: complaint.branch.code),
    Column(_("Received"), branch_time("received_at")),
    Column(_("Channel"), lambda complaint: complaint.get_channel_display()),
    Column(_("Category"), lambda complaint: complaint.get_category_display()),
    Column(_("Customer"), lambda complaint: complaint.customer.full_name if complaint.customer else ""),
    Column(_("Phone"), lambda complaint: complaint.customer.phone if complaint.customer else ""),
    Column(_("Summary"), lambda complaint: complaint.summary),
    Column(_("Status"), lambda complaint: complaint.get_status_display()),
    Column(_("In review by"), lambda complaint: complaint.assigned_to or ""),
    Column(_("Answer due"), branch_time("answer_due_at")),
    Column(_("Legal term due"), branch_time("legal_due_at")),
    Column(_("Answered"), branch_time("answered_at")),
    Column(_("Overdue"), lambda complaint: bool(complaint.is_overdue)),
]
