"""The customer's whole story on one page: each case app connects its section in its AppConfig.ready().

A receiver is ``receiver(customer, user) -> CustomerHistorySection | None``; the sections show in the hook's
order (``contactcenter.hooks``). The directory, which every case app depends on, never imports them. A section
may offer actions (``new_case_action``: "New callback" with the customer filled in), shown at the top of the
page in the same order.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from contactcenter.audit.sentences import EntryWords, phrase, with_changes
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


# How the customer's own entries read in their history (``contactcenter.audit.sentences``).


@phrase("customer.created")
def _customer_created(words: EntryWords) -> str:
    return words.said(_("%(actor)s registered the customer"), _("The customer was registered"))


@phrase("customer.changed")
def _customer_changed(words: EntryWords) -> str:
    return with_changes(
        words.said(_("%(actor)s changed the customer's details"), _("The customer's details changed")), words
    )


def _moved_rows(moved) -> str:
    """ "callbacks: 2, complaints: 1" from ``{"callbacks.callback.customer_id": [ids]}``."""
    parts = []
    for key, ids in (moved or {}).items():
        try:
            model = apps.get_model(key.rsplit(".", 1)[0])
            kind = str(model._meta.verbose_name_plural)
        except (LookupError, ValueError):
            kind = key
        parts.append(_("%(kind)s: %(count)d") % {"kind": kind, "count": len(ids)})
    return ", ".join(parts)


@phrase("customer.merged")
def _customer_merged(words: EntryWords) -> str:
    removed = words.before("merged_record") or {}
    text = words.said(
        _("%(actor)s merged the record of %(name)s (%(phone)s, registered %(registered)s) into this one"),
        _("The record of %(name)s (%(phone)s, registered %(registered)s) was merged into this one"),
        name=removed.get("full_name") or "—",
        phone=removed.get("phone") or "—",
        registered=words.moment(removed.get("created_at")),
    )
    moved = _moved_rows(words.after("moved"))
    if moved:
        text = _("%(sentence)s; moved here: %(rows)s") % {"sentence": text, "rows": moved}
    filled = words.changed_fields(skip={"merged_record", "moved"})
    return _("%(sentence)s; taken from it: %(fields)s") % {"sentence": text, "fields": filled} if filled else text


@phrase("customer.merged_into")
def _customer_merged_into(words: EntryWords) -> str:
    from .models import Customer

    kept = Customer.objects.filter(pk=words.after("merged_into")).only("full_name").first()
    return words.said(
        _("%(actor)s merged this record into the record of %(name)s (no. %(number)s)"),
        _("This record was merged into the record of %(name)s (no. %(number)s)"),
        name=kept.full_name if kept else "—",
        number=words.after("merged_into"),
    )


@phrase("branch.calendar_changed")
def _calendar_changed(words: EntryWords) -> str:
    return with_changes(
        words.said(_("%(actor)s changed the branch's calendar"), _("The branch's calendar changed")), words
    )
