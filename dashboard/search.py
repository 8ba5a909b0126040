"""The header's search across every kind of case: what a query asks for, and what it finds.

A query is one of: a case number (``#17``: a callback or an escalation), a register number
(``MSK-2026-00042``, or ``2026-42`` in any of the user's branches), or a phone in any spelling, its last
digits or a customer's name (the directory's customer search), which also finds those customers' cases.
Each group is one query of at most ``LIMIT + 1`` rows (the customers: ``CUSTOMERS_FOR_CASES + 1``), scoped
to the user as every list is, whatever the size of the tables; each case app says what it finds (``*_found``
in its selectors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from callbacks.selectors import callbacks_found
from complaints.selectors import complaints_found
from contactcenter.directory.models import Branch, Customer
from escalations.selectors import escalations_found

MAX_LENGTH = 100
MIN_NAME_LENGTH = 3
LIMIT = 10
# The cases shown for a name or a phone are those of the first customers found (alphabetically); past this
# many customers, each group links to its full list with the same search.
CUSTOMERS_FOR_CASES = 200

# Letters of any alphabet, digits, spaces and the marks that phone numbers, register numbers and names use.
ALLOWED = re.compile(r"^[\w\s+\-().#'’@,/]+$")
CASE_NUMBER = re.compile(r"^(?:#\s*|№\s*)?(\d{1,9})$")
REGISTER_NUMBER = re.compile(r"^(?:([A-Za-z]{2,10})[-\s/])?(\d{4})[-\s/](\d{1,6})$")


class SearchError(ValidationError):
    """A query the search cannot read; its message says what to type instead."""


@dataclass(frozen=True)
class SearchQuery:
    text: str
    case_numbers: tuple[int, ...] = ()
    register_number: tuple[str | None, int, int] | None = None
    finds_customers: bool = False

    @property
    def is_number(self) -> bool:
        """Asks for one case by its number: an exact match opens it."""
        return not self.finds_customers


def parse_query(raw: str | None) -> SearchQuery:
    text = " ".join((raw or "").split())
    if not text:
        raise SearchError(_("Type a phone number, a name or a case number (#17, MSK-2026-00042)."))
    if len(text) > MAX_LENGTH:
        raise SearchError(_("A search is at most %(limit)d characters long.") % {"limit": MAX_LENGTH})
    if not ALLOWED.match(text):
        raise SearchError(_("A search may hold letters, digits, spaces and + - ( ) # . , ' @ / only."))
    if match := CASE_NUMBER.match(text):
        number = int(match[1])
        # A bare number of four digits or more may also be the end of a phone number.
        bare = text[0].isdigit()
        return SearchQuery(text, case_numbers=(number,), finds_customers=bare and len(match[1]) >= 4)
    if match := REGISTER_NUMBER.match(text):
        code = match[1].upper() if match[1] else None
        return SearchQuery(text, register_number=(code, int(match[2]), int(match[3])))
    if sum(ch.isalnum() for ch in text) < MIN_NAME_LENGTH:
        raise SearchError(_("Type at least %(count)d letters of a name.") % {"count": MIN_NAME_LENGTH})
    return SearchQuery(text, finds_customers=True)


@dataclass
class ResultGroup:
    key: str
    title: str
    rows: list
    more: bool = False
    list_url: str = ""


@dataclass
class SearchResults:
    query: SearchQuery
    groups: list[ResultGroup] = field(default_factory=list)

    @property
    def found_anything(self) -> bool:
        return any(group.rows for group in self.groups)

    def single_case(self):
        """The one case a number query found, if it found exactly one thing."""
        rows = [row for group in self.groups for row in group.rows]
        if self.query.is_number and len(rows) == 1:
            return rows[0]
        return None


def search(user, query: SearchQuery) -> SearchResults:
    """Everything ``query`` finds that ``user`` may see, grouped by kind (a group with nothing is left out)."""
    customers, customers_cut = [], False
    if query.finds_customers:
        regions = Branch.objects.for_user(user).values_list("country", flat=True).distinct()
        found = Customer.objects.for_user(user).search(query.text, regions).order_by("full_name", "pk")
        # The keys of the first customers (their cases are shown), and as whole rows only the few shown: a
        # common surname finds thousands, and building 200 customers with their branches cost more than
        # reading them.
        customer_ids = list(found.values_list("pk", flat=True)[: CUSTOMERS_FOR_CASES + 1])
        customers_cut = len(customer_ids) > CUSTOMERS_FOR_CASES
        customer_ids = customer_ids[:CUSTOMERS_FOR_CASES]
        if customer_ids:
            shown = Customer.objects.filter(pk__in=customer_ids[: LIMIT + 1]).select_related("branch")
            customers = list(shown.order_by("full_name", "pk"))
    else:
        customer_ids = []
    # The cases of the customers found are read by their keys, not through a subquery: PostgreSQL then reads
    # them by the customer index, instead of walking every case newest first to find the few that match.

    def group(key: str, title, rows, url_name: str) -> ResultGroup:
        rows = list(rows[: LIMIT + 1])
        more = len(rows) > LIMIT or (customers_cut and key != "customers")
        # The full list with the same search, when a group holds more than it shows.
        url = f"{reverse(url_name)}?{urlencode({'q': query.text})}" if more and query.finds_customers else ""
        return ResultGroup(key, title, rows[:LIMIT], more=more, list_url=url)

    groups = []
    if customers and user.has_perm("directory.view_customer"):
        groups.append(group("customers", _("Customers"), customers, "directory:customer-list"))
    numbers, register_number = query.case_numbers, query.register_number
    groups += [
        group(
            "callbacks",
            _("Callbacks"),
            callbacks_found(user, numbers=numbers, customer_ids=customer_ids),
            "callbacks:list",
        ),
        group(
            "complaints",
            _("Complaints"),
            complaints_found(user, register_number=register_number, customer_ids=customer_ids),
            "complaints:list",
        ),
        group(
            "escalations",
            _("Escalations"),
            escalations_found(user, numbers=numbers, customer_ids=customer_ids),
            "escalations:list",
        ),
    ]
    return SearchResults(query, [group for group in groups if group.rows])
