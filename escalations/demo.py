"""Demo escalations for ``seed_demo``: one waiting for the Moscow supervisor, one aggressive caller that the head
of department took and security knows of."""

from contactcenter.directory.models import Customer

from . import services
from .models import Escalation

DEMO = [
    # customer phone, kind, what the customer wants, live transfer tried, acknowledged by
    ("+79031112233", "demands_supervisor", "Wants a supervisor to explain why the card was charged twice.", True, None),
    ("+74957654321", "aggressive", "Shouted and said he would come to the branch to 'sort it out'.", False, "head"),
]


def add_demo_escalations(*, branches, users) -> None:
    msk = branches["MSK"]
    if Escalation.objects.filter(branch=msk).exists():
        return
    for phone, kind, wants, transfer_tried, acknowledged_by in DEMO:
        escalation = services.escalation_open(
            branch=msk,
            customer=Customer.objects.get(branch=msk, phone=phone),
            kind=kind,
            customer_wants=wants,
            opened_by=users["operator"],
            transfer=services.Transfer(customer_agreed=True, answered=False, to_user=users["supervisor"])
            if transfer_tried
            else None,
        )
        if acknowledged_by:
            services.escalation_acknowledge(escalation=escalation, by=users[acknowledged_by])
