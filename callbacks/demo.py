"""Demo callbacks for ``seed_demo``: something in the Moscow queue and on the operator's list."""

from datetime import timedelta

from django.utils import timezone

from contactcenter.directory.models import Customer

from . import services
from .models import Callback, CallbackReason

DEMO = [
    # customer phone, reason, what the customer said, priority, assigned to
    ("+79161234567", "left_number", "Asks why the transfer to his daughter is held.", 0, None),
    ("+79031112233", "urgent", "Card charged twice at a petrol station; money missing.", 2, None),
    ("+74957654321", "loan_question", "Wants the early-repayment terms of the mortgage.", 0, "operator"),
    ("+79265550101", "more_information", "Asks for the interest statement for the tax office.", 0, "operator2"),
]


def add_demo_callbacks(*, branches, users) -> None:
    msk = branches["MSK"]
    if Callback.objects.filter(branch=msk).exists():
        return
    for phone, reason, said, priority, assignee in DEMO:
        callback = services.callback_register(
            branch=msk,
            customer=Customer.objects.get(branch=msk, phone=phone),
            reason=CallbackReason.objects.get(code=reason),
            customer_said=said,
            priority=priority,
            assigned_to=users[assignee] if assignee else None,
            created_by=users["supervisor"],
        )
        if reason == "loan_question":
            # One promise agreed for later today, to show a follow-up on the list.
            services.attempt_log(
                callback=callback,
                by=users["operator"],
                outcome="call_later",
                note="In a meeting; call after lunch.",
                next_contact_at=timezone.now() + timedelta(hours=3),
            )
