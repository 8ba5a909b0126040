"""The customer list as a CSV download: its columns."""

from django.utils.translation import gettext_lazy as _

from contactcenter.exports import Column, branch_time

COLUMNS = [
    Column(_("Branch"), lambda customer: customer.branch.code),
    Column(_("Name"), lambda customer: customer.full_name),
    Column(_("Phone"), lambda customer: customer.phone),
    Column(_("E-mail"), lambda customer: customer.email),
    Column(_("Preferred language"), lambda customer: customer.get_preferred_language_display()),
    Column(_("Registered"), branch_time("created_at")),
]
