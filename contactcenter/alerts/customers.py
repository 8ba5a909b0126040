"""E-mails to customers (the customer told): only with their consent, in their language, through the outbox.

A case app calls ``tell_customer`` inside the transaction of its change (a complaint registered, a callback's
time agreed, an answer date moved). Nothing is queued unless the customer has an address, agreed to e-mails
(``Customer.email_consent``, with the moment it was given) and their branch e-mails its customers
(``Branch.emails_customers``). The message is written in the customer's language (their own, or their
branch's country's), with moments in the customer's time zone (or the branch's). It then goes by the outbox's
rules (retries with back-off, never twice); once the mail server accepted it, ``record_customer_told`` writes
the proof (address, moment, Message-ID) into the case's audit trail, in the transaction that marks it sent,
and an e-mail that told the customer a moved date (``deadlines.services.move_notice_emailed``) clears its
"tell the customer the new date" flag.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactcenter.audit.sentences import EntryWords, note_said_by_sentence, phrase
from contactcenter.audit.services import record_audit
from contactcenter.deadlines.services import move_notice_told_by_email
from contactcenter.directory.models import Customer

from .models import OutboundEmail
from .outbound import queue_email

PURPOSE_PREFIX = "customer."


def tell_customer(
    *,
    customer: Customer | None,
    purpose: str,
    subject: Callable[[], str],
    template: str,
    context: dict,
    origin: models.Model,
    html_template: str = "",
    requested_by=None,
) -> OutboundEmail | None:
    """Queue ``template`` (and ``html_template``) rendered for ``customer``, or nothing when they may not be
    e-mailed. ``subject`` is called in the customer's language. Call it inside the change's transaction."""
    if customer is None or not customer.may_be_emailed:
        return None
    tz = customer.tz
    with translation.override(customer.language), timezone.override(tz):
        context = {**context, "customer": customer, "tz": tz}
        text = render_to_string(template, context)
        html = render_to_string(html_template, context) if html_template else ""
        title = str(subject())
    return queue_email(
        purpose=PURPOSE_PREFIX + purpose,
        to=[customer.email],
        subject=title,
        text=text,
        html=html,
        origin=origin,
        requested_by=requested_by,
    )


def record_customer_told(email: OutboundEmail) -> None:
    """Connected to ``outbound.email_sent``: the proof that a customer was told, on the case's audit trail."""
    if not email.purpose.startswith(PURPOSE_PREFIX) or email.origin is None:
        return
    record_audit(
        actor=None,
        action="customer.told",
        target=email.origin,
        changes={
            "e-mail": [None, email.purpose.removeprefix(PURPOSE_PREFIX)],
            "to": [None, ", ".join(email.to)],
            "sent_at": [None, email.sent_at.isoformat(timespec="seconds")],
            "message_id": [None, email.message_id],
        },
        note=email.subject,
    )
    move_notice_told_by_email(email_id=email.pk, at=email.sent_at)


@phrase("customer.told")
def _customer_told(words: EntryWords) -> str:
    return _("The customer was sent “%(subject)s” at %(to)s; the mail server accepted it") % {
        "subject": words.entry.note or "—",
        "to": words.after("to") or "—",
    }


note_said_by_sentence("customer.told")
