"""The escalation list and the quality figures as CSV downloads: their columns."""

from django.utils.translation import gettext_lazy as _

from contactcenter.exports import Column, branch_time

COLUMNS = [
    Column(_("Number"), lambda escalation: escalation.pk),
    Column(_("Branch"), lambda escalation: escalation.branch.code),
    Column(_("Opened"), branch_time("opened_at")),
    Column(_("Customer"), lambda escalation: escalation.customer.full_name),
    Column(_("Phone"), lambda escalation: escalation.customer.phone),
    Column(_("Kind"), lambda escalation: str(escalation.kind)),
    Column(_("Level"), lambda escalation: escalation.get_level_display()),
    Column(_("Status"), lambda escalation: escalation.get_status_display()),
    Column(_("Call back by"), branch_time("due_at")),
    Column(_("Opened by"), lambda escalation: escalation.opened_by or ""),
    Column(_("Outcome"), lambda escalation: escalation.get_outcome_display()),
]


def figure_columns(kinds) -> list[Column]:
    """One row per operator; a column per escalation kind, in the order of ``kinds``."""
    return [
        Column(_("Operator"), str),
        Column(_("Login"), lambda row: row.username),
        Column(_("Escalations opened"), lambda row: row.opened),
        *[Column(str(kind), lambda row, index=index: row.by_kind[index]) for index, kind in enumerate(kinds)],
        Column(_("Turned into complaints"), lambda row: row.turned_into_complaint),
        Column(_("Complaints about the operator"), lambda row: row.about),
        Column(_("Customers' ratings"), lambda row: row.rating_count),
        Column(_("Average rating"), lambda row: row.rating_average),
    ]
