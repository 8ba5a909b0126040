"""The customer told by e-mail (``contactcenter.alerts.customers``): their complaint's register number and answer
date when it is registered (the acknowledgement), and every later move of that date."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.alerts.customers import tell_customer
from contactcenter.deadlines.models import Deadline
from contactcenter.deadlines.services import move_notice_emailed

from ..models import ANSWER_CLOCK, LEGAL_CLOCK, Complaint
from ..selectors import open_clock_of

ACKNOWLEDGEMENT = "complaint.acknowledgement"
ANSWER_MOVED = "complaint.answer_moved"


def tell_complaint_registered(complaint: Complaint, *, by=None) -> None:
    """The acknowledgement: the register number, when it was received, the answer date (and the legal term).
    Inside the registration's transaction (or the completion of a draft)."""
    tell_customer(
        customer=complaint.customer,
        purpose=ACKNOWLEDGEMENT,
        subject=lambda: _("Your complaint %(number)s has been registered") % {"number": complaint.register_number},
        template="complaints/email/customer_acknowledgement.txt",
        context={
            "complaint": complaint,
            "branch": complaint.branch,
            "answer_clock": open_clock_of(complaint, ANSWER_CLOCK),
            "legal_clock": open_clock_of(complaint, LEGAL_CLOCK),
            "now": timezone.now(),
        },
        origin=complaint,
        requested_by=by,
    )


def tell_answer_moved(clock: Deadline) -> None:
    """Connected to ``deadlines.services.due_moved``: the answer date (or the legal term) of a complaint moved
    (an extension, a resumed pause, a calendar change), in the mover's transaction. A date already past is
    not told (a backdated complaint): the complaint's page says it has passed. Once the mail server accepts
    the e-mail, the complaint's "tell the customer the new date" flag of this clock goes."""
    if clock.kind not in (ANSWER_CLOCK, LEGAL_CLOCK) or not clock.is_open or clock.due_at <= timezone.now():
        return
    if clock.content_type_id != ContentType.objects.get_for_model(Complaint).pk:
        return
    complaint = Complaint.objects.select_related("customer__branch", "branch").filter(pk=clock.object_id).first()
    if complaint is None:
        return
    email = tell_customer(
        customer=complaint.customer,
        purpose=ANSWER_MOVED,
        subject=lambda: _("Complaint %(number)s: a new answer date") % {"number": complaint.register_number},
        template="complaints/email/customer_answer_moved.txt",
        context={
            "complaint": complaint,
            "branch": complaint.branch,
            "clock": clock,
            "legal": clock.kind == LEGAL_CLOCK,
        },
        origin=complaint,
    )
    if email is not None:
        move_notice_emailed(clock=clock, email_id=email.pk)
