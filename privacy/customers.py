"""A customer's own data on request (152-FZ art. 14, GDPR art. 15 and 17): exported as JSON, and erased where
nothing obliges keeping it. Both are audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from callbacks.models import Callback, ContactAttempt
from complaints.models import Complaint, ComplaintPage
from complaints.models import Status as ComplaintStatus
from contactcenter.audit.models import AuditEntry
from contactcenter.audit.sentences import EntryWords, note_said_by_sentence, phrase
from contactcenter.audit.services import record_audit
from contactcenter.directory.models import Customer
from contactcenter.formats import day_text
from escalations.models import Escalation
from feedback.models import Questionnaire

from . import retention

EXPORT_PERMISSION = "privacy.export_customer_data"
ERASE_PERMISSION = "privacy.erase_customer_data"

CUSTOMER_FIELDS = ["id", "full_name", "phone", "email", "preferred_language", "notes", "created_at", "updated_at"]
CALLBACK_FIELDS = [
    "id", "channel", "reason__label", "customer_said", "priority", "window_start", "window_end", "status",
    "resolution", "cancel_reason", "created_at", "closed_at",
]  # fmt: skip
ATTEMPT_FIELDS = ["at", "outcome", "note", "next_contact_at"]
COMPLAINT_FIELDS = [
    "id", "register_number", "channel", "category", "received_at", "summary", "status", "answer_text",
    "answer_channel", "answered_at", "legal_extension_days", "legal_extension_reason", "closed_at",
]  # fmt: skip
PAGE_FIELDS = ["position", "original_name", "size", "width", "height", "uploaded_at"]
QUESTIONNAIRE_FIELDS = ["kind", "case_number", "sent_at", "expires_at", "answered_at", "solved", "rating", "comment"]
ESCALATION_FIELDS = [
    "id", "kind__label", "customer_wants", "opened_at", "status", "contact_note", "outcome", "outcome_note",
    "closed_at",
]  # fmt: skip


def _check(user, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(_("You may not do this with a customer's personal data."))


def _attach(rows: list[dict], key: str, children, fields: list[str], parent: str, order: str) -> None:
    """Each row's children (one query for all of them) under ``key``, in ``order``."""
    by_parent: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    for child in children.order_by(order, "pk").values(f"{parent}_id", *fields):
        by_parent[child.pop(f"{parent}_id")].append(child)
    for row in rows:
        row[key] = by_parent[row["id"]]


def customer_export(*, customer: Customer, by=None) -> dict:
    """Everything kept about the customer, as JSON-ready data; ``by`` (a user, or None for a command run by an
    operator of the system) must hold the export permission. Audited."""
    _check(by, EXPORT_PERMISSION)
    callbacks = list(Callback.objects.filter(customer=customer).order_by("pk").values(*CALLBACK_FIELDS))
    _attach(
        callbacks,
        "attempts",
        ContactAttempt.objects.filter(callback__customer=customer),
        ATTEMPT_FIELDS,
        "callback",
        "at",
    )
    complaints = list(Complaint.objects.filter(customer=customer).order_by("pk").values(*COMPLAINT_FIELDS))
    pages = ComplaintPage.objects.filter(complaint__customer=customer)
    _attach(complaints, "pages", pages, PAGE_FIELDS, "complaint", "position")
    data = {
        "exported_at": timezone.now(),
        "customer": Customer.objects.filter(pk=customer.pk).values(*CUSTOMER_FIELDS).get(),
        "branch": customer.branch.code,
        "callbacks": callbacks,
        "complaints": complaints,
        "escalations": list(Escalation.objects.filter(customer=customer).order_by("pk").values(*ESCALATION_FIELDS)),
        "questionnaires": list(
            Questionnaire.objects.filter(customer=customer).order_by("pk").values(*QUESTIONNAIRE_FIELDS)
        ),
        "history": list(
            AuditEntry.objects.for_target(customer).order_by("at").values("at", "action", "changes", "note")
        ),
    }
    with transaction.atomic():
        record_audit(actor=by, action="privacy.customer_exported", target=customer)
    return data


def as_json(data: dict) -> str:
    import json

    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def erasure_refusals(customer: Customer, *, now=None) -> list[str]:
    """Why the customer's data may not be erased now (empty: it may)."""
    now = now or timezone.now()
    cutoffs = retention.Cutoffs.at(now)
    reasons = []
    open_callbacks = Callback.objects.filter(customer=customer, status=Callback.Status.OPEN).count()
    if open_callbacks:
        reasons.append(_("%(count)d callback(s) still open: close or cancel them first.") % {"count": open_callbacks})
    open_complaints = Complaint.objects.filter(customer=customer).exclude(status=ComplaintStatus.CLOSED).count()
    if open_complaints:
        reasons.append(
            _("%(count)d complaint(s) not closed yet: the answer is owed to the customer.") % {"count": open_complaints}
        )
    kept = Complaint.objects.filter(
        customer=customer, status=ComplaintStatus.CLOSED, closed_at__gte=cutoffs.complaints
    ).order_by("-closed_at")
    if kept.exists():
        until = kept.first().closed_at + (now - cutoffs.complaints)
        reasons.append(
            _(
                "%(count)d closed complaint(s) within their keeping period (until %(until)s): the register must keep "
                "them as evidence."
            )
            % {"count": kept.count(), "until": day_text(until, customer.branch.tz)}
        )
    open_escalations = Escalation.objects.filter(customer=customer).exclude(status=Escalation.Status.CLOSED).count()
    if open_escalations:
        reasons.append(_("%(count)d escalation(s) still open: close them first.") % {"count": open_escalations})
    return reasons


def customer_erase(*, customer: Customer, by=None, now=None) -> None:
    """Erase the customer's personal data on their request: the customer anonymised, the texts of their
    callbacks, complaints and escalations (and their comments in questionnaires) blanked, their complaints'
    photos removed; the cases themselves stay (numbers, dates, statuses) for the reports. Refused, with why,
    while anything obliges keeping the data."""
    _check(by, ERASE_PERMISSION)
    now = now or timezone.now()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if customer.phone.startswith(retention.ANONYMISED_PHONE_PREFIX):
            raise ValidationError(_("This customer's personal data has been erased already."))
        reasons = erasure_refusals(customer, now=now)
        if reasons:
            raise ValidationError(reasons)
        retention.anonymise_callbacks(Callback.objects.filter(customer=customer))
        complaints = Complaint.objects.filter(customer=customer)
        _changed, _photos, files = retention.anonymise_complaints(
            complaints, retention.ComplaintPage.objects.filter(complaint__customer=customer)
        )
        Questionnaire.objects.filter(customer=customer).update(comment="")
        retention.anonymise_customers(Customer.objects.filter(pk=customer.pk))
        customer.refresh_from_db()
        record_audit(actor=by, action="privacy.customer_erased", target=customer, note=_("Erased on request."))
        transaction.on_commit(lambda: retention.remove_files(files))


@phrase("privacy.customer_exported")
def _exported(words: EntryWords) -> str:
    return words.said(_("%(actor)s exported the customer's data"), _("The customer's data was exported"))


@phrase("privacy.customer_erased")
def _erased(words: EntryWords) -> str:
    return words.said(_("%(actor)s erased the customer's personal data"), _("The customer's personal data was erased"))


note_said_by_sentence("privacy.customer_erased")
