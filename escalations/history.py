"""The escalations section of the customer's page (registered in ``EscalationsConfig.ready``)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcenter.audit.sentences import EntryWords, phrase
from contactcenter.directory.history import CustomerHistorySection, new_case_action


def escalations_section(customer, user):
    if not user.has_perm("escalations.view_escalation"):
        return None
    from .selectors import escalations_of_customer

    return CustomerHistorySection(
        title=gettext_lazy("Escalations"),
        template="escalations/customer_section.html",
        context={"escalations": escalations_of_customer(customer, user), "customer": customer},
        actions=[new_case_action(gettext_lazy("New escalation"), "escalations:create", customer)]
        if user.has_perm("escalations.add_escalation")
        else [],
    )


# How the escalations' entries read in their history (``contactcenter.audit.sentences``).


def _transfer(words: EntryWords) -> str:
    transfer = words.after("transfer")
    if not isinstance(transfer, dict):
        return ""
    if transfer.get("answered"):
        return _("transferred live to %(name)s, who answered") % {"name": transfer.get("to") or "—"}
    if not transfer.get("customer_agreed"):
        return _("the customer did not agree to a transfer to %(name)s") % {"name": transfer.get("to") or "—"}
    return _("a transfer to %(name)s was not answered") % {"name": transfer.get("to") or "—"}


def _with_transfer(text: str, words: EntryWords) -> str:
    transfer = _transfer(words)
    return _("%(sentence)s; %(transfer)s") % {"sentence": text, "transfer": transfer} if transfer else text


def _kind_name(stored) -> str:
    """The kind's name in the reader's language: an entry keeps its code (an older one its English name)."""
    if not stored:
        return "—"
    from .models import EscalationKind

    kind = EscalationKind.objects.filter(Q(code=stored) | Q(label=stored)).first()
    return str(kind) if kind is not None else str(stored)


@phrase("escalation.opened")
def _opened(words: EntryWords) -> str:
    text = words.said(
        _("%(actor)s recorded the escalation (%(kind)s) for the %(level)s"),
        _("The escalation (%(kind)s) was recorded for the %(level)s"),
        kind=_kind_name(words.after("kind")),
        level=words.value("level", words.after("level")),
    )
    return _with_transfer(text, words)


@phrase("escalation.transfer_recorded")
def _transfer_recorded(words: EntryWords) -> str:
    return _with_transfer(words.said(_("%(actor)s recorded a live transfer"), _("A live transfer was recorded")), words)


@phrase("escalation.acknowledged")
def _acknowledged(words: EntryWords) -> str:
    return words.said(_("%(actor)s took the escalation"), _("The escalation was taken"))


@phrase("escalation.contacted")
def _contacted(words: EntryWords) -> str:
    return words.said(_("%(actor)s contacted the customer back"), _("The customer was contacted back"))


@phrase("escalation.closed")
def _closed(words: EntryWords) -> str:
    text = words.said(
        _("%(actor)s closed the escalation: %(outcome)s"),
        _("The escalation was closed: %(outcome)s"),
        outcome=words.value("outcome", words.after("outcome")),
    )
    complaint = words.after("complaint")
    return (
        _("%(sentence)s (complaint %(complaint)s)") % {"sentence": text, "complaint": complaint} if complaint else text
    )


@phrase("escalation.raised")
def _raised(words: EntryWords) -> str:
    return words.said(
        _("%(actor)s raised the escalation from the %(before)s to the %(after)s"),
        _("Nobody took the escalation in time: it rose from the %(before)s to the %(after)s"),
        before=words.value("level", words.before("level")),
        after=words.value("level", words.after("level")),
    )
