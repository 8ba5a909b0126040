"""The escalations section of the customer's page (registered in ``EscalationsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from contactcenter.directory.history import CustomerHistorySection, new_case_action


def escalations_section(customer, user):
    if not user.has_perm("escalations.view_escalation"):
        return None
    from .selectors import escalations_of_customer

    return CustomerHistorySection(
        title=_("Escalations"),
        template="escalations/customer_section.html",
        context={"escalations": escalations_of_customer(customer, user), "customer": customer},
        actions=[new_case_action(_("New escalation"), "escalations:create", customer)]
        if user.has_perm("escalations.add_escalation")
        else [],
    )
