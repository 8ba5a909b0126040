"""The customer's whole story on one page: each case app adds its section here in its AppConfig.ready().

A provider is ``provider(customer, user) -> CustomerHistorySection | None``; the directory, which every
case app depends on, never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class CustomerHistorySection:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 0


CUSTOMER_HISTORY_PROVIDERS: list[Callable] = []


def customer_history(customer, user) -> list[CustomerHistorySection]:
    sections = [provider(customer, user) for provider in CUSTOMER_HISTORY_PROVIDERS]
    return sorted((section for section in sections if section is not None), key=lambda section: section.order)
