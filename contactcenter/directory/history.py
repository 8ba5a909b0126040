"""The customer's whole story on one page: each case app connects its section in its AppConfig.ready().

A receiver is ``receiver(customer, user) -> CustomerHistorySection | None``; the sections show in the hook's
order (``contactcenter.hooks``). The directory, which every case app depends on, never imports them. A section
may offer actions (``new_case_action``: "New callback" with the customer filled in), shown at the top of the
page in the same order.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from contactcenter.hooks import Hook


@dataclass(frozen=True)
class SectionAction:
    label: str
    url: str


@dataclass
class CustomerHistorySection:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    actions: list[SectionAction] = field(default_factory=list)


def new_case_action(label, url_name: str, customer) -> SectionAction:
    """A button that opens a case app's form (``url_name``) with ``customer`` filled in (``?customer=<id>``)."""
    return SectionAction(label, f"{reverse(url_name)}?{urlencode({'customer': customer.pk})}")


customer_history_sections = Hook("directory.history.sections", arguments="customer: Customer, user: User")


def customer_history(customer, user) -> list[CustomerHistorySection]:
    return [section for section in customer_history_sections.send(customer, user) if section is not None]
