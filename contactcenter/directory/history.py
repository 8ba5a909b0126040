"""The customer's whole story on one page: each case app connects its section in its AppConfig.ready().

A receiver is ``receiver(customer, user) -> CustomerHistorySection | None``; the sections show in the hook's
order (``contactcenter.hooks``). The directory, which every case app depends on, never imports them.
"""

from dataclasses import dataclass, field

from contactcenter.hooks import Hook


@dataclass
class CustomerHistorySection:
    title: str
    template: str
    context: dict = field(default_factory=dict)


customer_history_sections = Hook("directory.history.sections", arguments="customer: Customer, user: User")


def customer_history(customer, user) -> list[CustomerHistorySection]:
    return [section for section in customer_history_sections.send(customer, user) if section is not None]
