"""Asking the customer how a case went, and taking their answer.

When a case concludes (``directory.services.case_concluded``: a callback solved, an escalation resolved, a complaint
answered) and the customer may be e-mailed (an address, their consent, a branch that e-mails its customers), one
questionnaire is written and its link sent through the outbox, in the customer's language, in the same
transaction. The link carries a secret of 256 bits; only its SHA-256 is stored. It answers once, until it expires
(``QUESTIONNAIRE_LINK_DAYS``); an unknown, expired or used link changes nothing. A rating of 1 or 2 with a comment
opens a complaint draft (channel "quality questionnaire") for the branch's supervisors to review.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Category, Channel
from complaints.services import complaint_register
from contactcenter.alerts.customers import tell_customer
from contactcenter.audit.services import record_audit
from contactcenter.directory.models import customer_language

from .models import RATINGS, Kind, Questionnaire

PURPOSE = "questionnaire"
COMMENT_MAX_CHARS = 2000
# A rating this low, with a comment saying why, is a complaint the supervisors should look at.
FOLLOW_UP_AT_MOST = 2
TOKEN_BYTES = 32


class Unavailable(Exception):
    """The link answers nothing: ``reason`` is "unknown" (never made, or forged), "expired" or "answered"."""

    def __init__(self, reason: str, questionnaire: Questionnaire | None = None):
        super().__init__(reason)
        self.reason = reason
        self.questionnaire = questionnaire


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def case_label(kind: str, number: str) -> str:
    """How a case is named to its customer, in the active language: "callback #12", "complaint MSK-2026-00001"."""
    labels = {
        Kind.CALLBACK: gettext_lazy("callback #%(number)s"),
        Kind.COMPLAINT: gettext_lazy("complaint %(number)s"),
        Kind.ESCALATION: gettext_lazy("request #%(number)s"),
    }
    return str(labels[kind]) % {"number": number}


class CaseName:
    """A case's name for a template, in the language active when it is rendered (``tell_customer`` renders in the
    customer's)."""

    def __init__(self, kind: str, number: str):
        self.kind, self.number = kind, number

    def __str__(self) -> str:
        return case_label(self.kind, self.number)


def _kind_and_number(case) -> tuple[str, str]:
    kind = Kind(case._meta.model_name)
    return kind, case.register_number if kind == Kind.COMPLAINT else str(case.pk)


def offer_questionnaire(case, by=None) -> Questionnaire | None:
    """Connected to ``case_concluded``: write the case's questionnaire and queue its e-mail, inside the
    concluding transaction; nothing when the customer may not be e-mailed or was asked about this case already."""
    customer = case.customer
    if customer is None or not customer.may_be_emailed:
        return None
    kind, number = _kind_and_number(case)
    if Questionnaire.objects.filter(**{kind: case}).exists():
        return None  # reopened and concluded again: the customer is asked once
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        kind=kind,
        **{kind: case},
        case_number=number,
        branch=case.branch,
        customer=customer,
        operator=by if by is not None and by.is_authenticated else None,
        language=customer.language,
        token_hash=hash_token(token),
        sent_at=now,
        expires_at=now + timedelta(days=settings.QUESTIONNAIRE_LINK_DAYS),
    )
    tell_customer(
        customer=customer,
        purpose=PURPOSE,
        subject=lambda: _("How did we do? Your %(case)s") % {"case": case_label(kind, number)},
        template="feedback/email/questionnaire.txt",
        context={
            "case_name": CaseName(kind, number),
            "branch": case.branch,
            "url": settings.SITE_URL + reverse("feedback:answer", args=[token]),
            "expires_at": questionnaire.expires_at,
        },
        origin=case,
        requested_by=by,
    )
    record_audit(actor=by, action="questionnaire.sent", target=case, changes={"questionnaire": [None, customer.email]})
    return questionnaire


def questionnaire_for_link(token: str, *, now=None, lock: bool = False) -> Questionnaire:
    """The questionnaire a link may still answer, or ``Unavailable`` saying why not."""
    now = now or timezone.now()
    found = Questionnaire.objects.select_related("branch")
    if lock:
        found = found.select_for_update(of=("self",))
    questionnaire = found.filter(token_hash=hash_token(token or "")).first() if len(token or "") <= 100 else None
    if questionnaire is None:
        raise Unavailable("unknown")
    if questionnaire.is_answered:
        raise Unavailable("answered", questionnaire)
    if questionnaire.expires_at <= now:
        raise Unavailable("expired", questionnaire)
    return questionnaire


def questionnaire_answer(*, token: str, solved: bool, rating: int, comment: str = "", now=None) -> Questionnaire:
    """Store the customer's answer, once: the link's row is locked, so two submissions store one answer and the
    other is told the questionnaire was answered. Nothing is stored when anything is wrong."""
    if not isinstance(solved, bool):
        raise ValidationError({"solved": _("Say whether your problem was solved.")})
    if rating not in RATINGS:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"comment": _("Keep the comment under %(count)d characters.") % {"count": COMMENT_MAX_CHARS}}
        )
    now = now or timezone.now()
    with transaction.atomic():
        questionnaire = questionnaire_for_link(token, now=now, lock=True)
        questionnaire.answered_at, questionnaire.solved = now, solved
        questionnaire.rating, questionnaire.comment = rating, comment
        if rating <= FOLLOW_UP_AT_MOST and comment:
            questionnaire.follow_up = _open_complaint_draft(questionnaire, now=now)
        questionnaire.save()
        changes = {"rating": [None, rating], "solved": [None, solved]}
        if questionnaire.follow_up is not None:
            changes["complaint"] = [None, questionnaire.follow_up.register_number]
        record_audit(actor=None, action="questionnaire.answered", target=questionnaire.case, changes=changes)
    return questionnaire


def _open_complaint_draft(questionnaire: Questionnaire, *, now):
    """A complaint draft of the branch, written in the branch's language for its staff: what was rated, by whom,
    and the comment. Its customer is named by whoever reviews it, as for a complaint received by e-mail."""
    customer = questionnaire.customer
    with translation.override(customer_language(questionnaire.branch)):
        summary = _(
            "Quality questionnaire on the %(case)s (customer: %(customer)s, %(phone)s): rated %(rating)d of 5, "
            "%(solved)s.\n\nThe customer's comment: %(comment)s"
        ) % {
            "case": case_label(questionnaire.kind, questionnaire.case_number),
            "customer": customer.full_name if customer else "—",
            "phone": customer.phone_display if customer else "—",
            "rating": questionnaire.rating,
            "solved": _("problem solved") if questionnaire.solved else _("problem not solved"),
            "comment": questionnaire.comment,
        }
    return complaint_register(
        branch=questionnaire.branch,
        channel=Channel.QUESTIONNAIRE,
        category=Category.SERVICE,
        received_at=now,
        summary=summary,
        registered_by=None,
        draft=True,
    )
