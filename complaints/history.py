"""The complaints section of the customer's page (registered in ``ComplaintsConfig.ready``)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.models import Deadline
from contactcenter.directory.history import CustomerHistorySection, new_case_action


def complaints_section(customer, user):
    """The customer's complaints, newest first, each with its register number, status, every clock (open and
    finished) and the thumbnails of its photographed pages: three queries whatever their number. Only for
    those who may see complaints, who are also those the photos are served to (``complaints.views.files``)."""
    if not user.has_perm("complaints.view_complaint"):
        return None
    from .models import Complaint, ComplaintPage
    from .selectors import CLOCK_ORDER, visible_complaints

    complaints = list(
        visible_complaints(user)
        .filter(customer=customer)
        .select_related("branch", "assigned_to")
        .prefetch_related(Prefetch("pages", queryset=ComplaintPage.objects.order_by("position")))
        .order_by("-received_at", "-pk")
    )
    clocks = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id__in=[c.pk for c in complaints]
    ).order_by("opened_at", "pk")
    by_complaint: dict[int, list[Deadline]] = {}
    for clock in clocks:
        by_complaint.setdefault(clock.object_id, []).append(clock)
    for complaint in complaints:
        complaint.hub_clocks = sorted(
            by_complaint.get(complaint.pk, []), key=lambda clock: (clock.opened_at, CLOCK_ORDER.get(clock.kind, 9))
        )
    return CustomerHistorySection(
        title=_("Complaints"),
        template="complaints/customer_section.html",
        context={"complaints": complaints, "customer": customer},
        actions=[new_case_action(_("Register a complaint"), "complaints:register", customer)]
        if user.has_perm("complaints.add_complaint")
        else [],
    )
