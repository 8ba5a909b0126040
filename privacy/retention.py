"""The retention rules: what is past its period is anonymised (cases) or removed (audit entries, photos).

Cases are never deleted: the reports count them (callbacks by reason, complaint ageing, promises kept) and
the complaint register must stay without gaps. Past its period a case keeps its numbers, dates, statuses,
kinds and clocks and loses what a person wrote or photographed: what the customer said, notes, the summary,
the answer, the photos and the answer letter. A customer's name, phone, e-mail and notes are anonymised once
no case keeps them: every callback and escalation closed longer ago than the callbacks' period, every
complaint closed longer ago than the complaints' period, and the customer registered longer ago than the
callbacks' period (a customer without any case is kept that long too). Webhook deliveries delivered or given
up longer ago than their period are deleted, and then the events none of whose deliveries is left (a delivery
still waiting keeps its event, whatever its age).

Every step is one set-based UPDATE or DELETE; a run writes its ``RetentionRun`` row and an audit entry in the
same transaction, and removes the files only after that transaction committed. A dry run computes the same
figures from the same querysets and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent
from callbacks.models import Callback, ContactAttempt
from complaints.models import Complaint, ComplaintPage, ReceivedEmail
from complaints.models import Status as ComplaintStatus
from contactcenter.alerts.models import OutboundEmail
from contactcenter.audit.models import AuditEntry
from contactcenter.audit.services import record_audit
from contactcenter.directory.models import Customer
from escalations.models import Escalation, TransferAttempt

from .models import Kind, RetentionPeriod, RetentionRun

ANONYMISED_NAME = "(anonymised)"
ANONYMISED_PHONE_PREFIX = "anon-"
REMOVED = ""

# What a run reports, in this order: (key, what the number counts).
FIGURES = [
    ("email_bodies", "bodies of sent or given-up e-mails removed"),
    ("callbacks", "closed callbacks anonymised"),
    ("complaints", "closed complaints anonymised"),
    ("complaint_photos", "photos of closed complaints removed"),
    ("customers", "customers anonymised"),
    ("audit_entries", "audit entries removed"),
    ("webhook_deliveries", "delivered or given-up webhook deliveries removed"),
    ("webhook_events", "webhook events removed"),
]


@dataclass
class Cutoffs:
    emails: datetime
    callbacks: datetime
    complaints: datetime
    audit: datetime
    webhooks: datetime

    @classmethod
    def at(cls, now: datetime) -> Cutoffs:
        days = dict(RetentionPeriod.objects.values_list("kind", "days"))
        from .defaults import PERIODS  # a row deleted in the admin falls back to its default

        def cutoff(kind):
            return now - timedelta(days=days.get(kind, PERIODS[kind]))

        return cls(
            emails=cutoff(Kind.OUTBOX_BODIES),
            callbacks=cutoff(Kind.CLOSED_CALLBACKS),
            complaints=cutoff(Kind.CLOSED_COMPLAINTS),
            audit=cutoff(Kind.AUDIT_ENTRIES),
            webhooks=cutoff(Kind.WEBHOOK_DELIVERIES),
        )


def emails_past(cutoffs: Cutoffs):
    done = Q(sent_at__lt=cutoffs.emails) | Q(failed_at__lt=cutoffs.emails)
    return OutboundEmail.objects.filter(done).exclude(text_body=REMOVED, html_body=REMOVED, attachments=[])


def callbacks_past(cutoffs: Cutoffs):
    return (
        Callback.objects.exclude(status=Callback.Status.OPEN)
        .filter(closed_at__lt=cutoffs.callbacks)
        .filter(~Q(customer_said=REMOVED) | ~Q(resolution=REMOVED) | ~Q(cancel_reason=REMOVED))
    )


def closed_complaints_past(cutoffs: Cutoffs):
    return Complaint.objects.filter(status=ComplaintStatus.CLOSED, closed_at__lt=cutoffs.complaints)


def complaints_past(cutoffs: Cutoffs):
    return closed_complaints_past(cutoffs).filter(
        ~Q(summary=REMOVED) | ~Q(answer_text=REMOVED) | ~Q(answer_letter=REMOVED) | ~Q(legal_extension_reason=REMOVED)
    )


def photos_past(cutoffs: Cutoffs):
    return ComplaintPage.objects.filter(complaint__in=closed_complaints_past(cutoffs).values("pk"))


def customers_past(cutoffs: Cutoffs):
    """Customers whom no case keeps any more, not anonymised yet."""
    kept_by_callback = Callback.objects.filter(customer=OuterRef("pk")).filter(
        Q(status=Callback.Status.OPEN) | Q(closed_at=None) | Q(closed_at__gte=cutoffs.callbacks)
    )
    kept_by_escalation = Escalation.objects.filter(customer=OuterRef("pk")).filter(
        Q(closed_at=None) | Q(closed_at__gte=cutoffs.callbacks)
    )
    kept_by_complaint = Complaint.objects.filter(customer=OuterRef("pk")).filter(
        ~Q(status=ComplaintStatus.CLOSED) | Q(closed_at=None) | Q(closed_at__gte=cutoffs.complaints)
    )
    return (
        Customer.objects.filter(created_at__lt=cutoffs.callbacks)
        .exclude(phone__startswith=ANONYMISED_PHONE_PREFIX)
        .exclude(Exists(kept_by_callback))
        .exclude(Exists(kept_by_escalation))
        .exclude(Exists(kept_by_complaint))
    )


def audit_past(cutoffs: Cutoffs):
    return AuditEntry.objects.filter(at__lt=cutoffs.audit)


def webhook_done_before(cutoffs: Cutoffs) -> Q:
    return Q(sent_at__lt=cutoffs.webhooks) | Q(failed_at__lt=cutoffs.webhooks)


def webhook_deliveries_past(cutoffs: Cutoffs):
    return WebhookDelivery.objects.filter(webhook_done_before(cutoffs))


def webhook_events_past(cutoffs: Cutoffs):
    """Events older than the period none of whose deliveries is kept (the same rows before and after the
    deliveries past it are deleted)."""
    kept = WebhookDelivery.objects.filter(event=OuterRef("pk")).exclude(webhook_done_before(cutoffs))
    return WebhookEvent.objects.filter(occurred_at__lt=cutoffs.webhooks).exclude(Exists(kept))


def delete_webhooks(cutoffs: Cutoffs) -> tuple[int, int]:
    """Two DELETE statements: the deliveries, then the events left without any. The events' own ``delete()``
    would load every row to cascade to deliveries that are gone already, hence the raw delete."""
    deliveries, _by_model = webhook_deliveries_past(cutoffs).delete()
    events = webhook_events_past(cutoffs)
    return deliveries, events._raw_delete(router.db_for_write(WebhookEvent))


def plan(cutoffs: Cutoffs) -> dict[str, int]:
    """What a run at these cutoffs would do, without doing it."""
    return {
        "email_bodies": emails_past(cutoffs).count(),
        "callbacks": callbacks_past(cutoffs).count(),
        "complaints": complaints_past(cutoffs).count(),
        "complaint_photos": photos_past(cutoffs).count(),
        "customers": customers_past(cutoffs).count(),
        "audit_entries": audit_past(cutoffs).count(),
        "webhook_deliveries": webhook_deliveries_past(cutoffs).count(),
        "webhook_events": webhook_events_past(cutoffs).count(),
    }


def anonymise_customers(customers) -> int:
    """Anonymise these customers (a queryset) and scrub their own audit entries' values; one UPDATE each."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    keys = list(customers.values_list("pk", flat=True))
    if not keys:
        return 0
    changed = Customer.objects.filter(pk__in=keys).update(
        full_name=ANONYMISED_NAME,
        phone=Concat(Value(ANONYMISED_PHONE_PREFIX), Cast("pk", CharField())),
        email="",
        notes="",
        updated_at=timezone.now(),
    )
    AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Customer), object_id__in=keys).update(
        target_repr=ANONYMISED_NAME, changes={}, note=""
    )
    Escalation.objects.filter(customer__in=keys).update(
        customer_wants=REMOVED, contact_note=REMOVED, outcome_note=REMOVED
    )
    TransferAttempt.objects.filter(escalation__customer__in=keys).update(note=REMOVED)
    return changed


def anonymise_callbacks(callbacks) -> int:
    keys = list(callbacks.values_list("pk", flat=True))
    ContactAttempt.objects.filter(callback__in=keys).update(note=REMOVED)
    return Callback.objects.filter(pk__in=keys).update(customer_said=REMOVED, resolution=REMOVED, cancel_reason=REMOVED)


def anonymise_complaints(complaints, photos) -> tuple[int, int, list[str]]:
    """Blank the complaints' texts and delete their photos' rows; the files to remove after the commit."""
    keys = list(complaints.values_list("pk", flat=True))
    files = [name for name in Complaint.objects.filter(pk__in=keys).values_list("answer_letter", flat=True) if name]
    for image, thumbnail in photos.values_list("image", "thumbnail"):
        files.extend(name for name in (image, thumbnail) if name)
    # The e-mails that carried the photos name them as attachments: the names go with the files.
    forwarded = OutboundEmail.objects.filter(complaint_forwarding__complaint__in=photos.values("complaint"))
    forwarded.update(attachments=[])
    removed_photos, _by_model = ComplaintPage.objects.filter(pk__in=list(photos.values_list("pk", flat=True))).delete()
    # A complaint that came by e-mail keeps the proof of its arrival (Message-ID, sender, time), not its subject.
    ReceivedEmail.objects.filter(complaint__in=keys).update(subject=REMOVED)
    changed = Complaint.objects.filter(pk__in=keys).update(
        summary=REMOVED,
        answer_text=REMOVED,
        answer_letter=REMOVED,
        answer_letter_name=REMOVED,
        legal_extension_reason=REMOVED,
    )
    return changed, removed_photos, files


def remove_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def apply_retention(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Apply every retention period at ``now``; the figures of what was (or, in a dry run, would be) done."""
    now = now or timezone.now()
    cutoffs = Cutoffs.at(now)
    if dry_run:
        return plan(cutoffs)
    with transaction.atomic():
        figures = {"email_bodies": emails_past(cutoffs).update(text_body=REMOVED, html_body=REMOVED, attachments=[])}
        figures["callbacks"] = anonymise_callbacks(callbacks_past(cutoffs))
        figures["complaints"], figures["complaint_photos"], files = anonymise_complaints(
            complaints_past(cutoffs), photos_past(cutoffs)
        )
        figures["customers"] = anonymise_customers(customers_past(cutoffs))
        figures["audit_entries"], _by_model = audit_past(cutoffs).delete()
        figures["webhook_deliveries"], figures["webhook_events"] = delete_webhooks(cutoffs)
        run = RetentionRun.objects.create(started_at=now, finished_at=timezone.now(), figures=figures)
        record_audit(actor=None, action="privacy.retention_applied", target=run, changes={}, note=describe(figures))
        transaction.on_commit(lambda: remove_files(files))
    return figures


def describe(figures: dict[str, int]) -> str:
    return "; ".join(f"{what}: {figures[key]}" for key, what in FIGURES)
