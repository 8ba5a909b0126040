"""The alert outbox: one row per (clock, round, level, reminder, recipient), sent later, outside the scan;
and the outbound e-mails that case apps send through the same path."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.models import Deadline, Level

from .outbox import Claim, OutboxQuerySet, claim_life, message_id_domain


def active_staff():
    return get_user_model().objects.active().values("pk")


class AlertQuerySet(OutboxQuerySet):
    def unsent(self):
        return super().unsent().filter(skipped_at=None)

    def ready(self, now):
        """Ready for an active recipient only: a sender never claims the alerts of someone deactivated.

        The recipient is asked for by a subquery, not a join: an UPDATE with a join is written as ``id IN
        (SELECT …)`` with every condition inside, and PostgreSQL would not re-check those on a row that a
        racing sender claimed meanwhile (both would hold it)."""
        return super().ready(now).filter(recipient__in=active_staff())

    def claim_digests(self, now, *, recipients: int) -> Claim | None:
        """Take, in one conditional UPDATE, the ready alerts of up to ``recipients`` recipients (the first by
        id), one digest each: every row gets its digest's Message-ID (the batch's token and the recipient) in
        the same statement. Rows that carry a Message-ID already (a send cut short) are left to
        ``claim_message``, which sends them alone under it. None if nothing was free; a racing sender that
        took the same recipients first leaves this one nothing of theirs (the condition is re-checked)."""
        fresh = self.ready(now).filter(message_id="")
        chosen = fresh.order_by("recipient_id").values("recipient_id").distinct()[:recipients]
        token = uuid.uuid4().hex
        message_id = Concat(
            models.Value(f"<{token}."),
            Cast("recipient_id", models.CharField()),
            models.Value(f"@{message_id_domain()}>"),
            output_field=models.CharField(),
        )
        taken = fresh.filter(recipient_id__in=chosen).update(
            claim=token,
            claimed_until=now + claim_life(),
            attempts=models.F("attempts") + 1,
            message_id=message_id,
        )
        return Claim(model=self.model, token=token, message_id="") if taken else None

    def retryable(self):
        """A skipped alert is not sent again: its recipient has left, and their stand-ins have their own."""
        return super().retryable().filter(skipped_at=None)

    def stranded(self, now):
        """Ready, but for someone deactivated since they were written (``services.alerts_readdress``)."""
        return super().ready(now).filter(recipient__is_active=False)


class Alert(models.Model):
    outbox_name = "alert"

    deadline = models.ForeignKey(Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="alerts")
    round = models.PositiveIntegerField(_("round"), default=1)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    reminder = models.PositiveIntegerField(_("reminder"), default=0, help_text=_("0: the first notice."))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="alerts"
    )
    created_at = models.DateTimeField(_("created"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_until = models.DateTimeField(_("held by a sender until"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    failed_at = models.DateTimeField(_("gave up"), null=True, blank=True)
    skipped_at = models.DateTimeField(
        _("not sent"), null=True, blank=True, help_text=_("The recipient had been deactivated; the reason is below.")
    )
    last_error = models.TextField(_("last error"), blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "round", "level", "reminder", "recipient"], name="alert_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="alert_unsent_idx",
                condition=models.Q(sent_at=None, failed_at=None),
            ),
            models.Index(fields=["recipient", "sent_at"], name="alert_recipient_idx"),
            # The few alerts given up on: counted on the dashboard and "Needs attention" every half minute.
            models.Index(fields=["failed_at"], name="alert_failed_idx", condition=models.Q(failed_at__isnull=False)),
            # The rows a sender holds, found by its token to renew, mark or release them (few at any time).
            models.Index(fields=["claim"], name="alert_claim_idx", condition=~models.Q(claim="")),
        ]

    def __str__(self):
        return f"{self.get_level_display()} · {self.deadline} → {self.recipient}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.skipped_at:
            return "skipped"
        if self.failed_at:
            return "failed"
        return "pending"


class OutboundEmail(models.Model):
    """One e-mail that a case app asked to send (a complaint forwarded to its branch's manager...): the same
    outbox rules as the alerts, and a note of what it is for, so that its app hears when it was accepted."""

    outbox_name = "outbound_email"

    purpose = models.CharField(
        _("purpose"), max_length=64, help_text=_("What the message is for, e.g. complaint.forwarding.")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("content_type", "object_id")
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("copy to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Files in the media storage: path, file name and content type of each."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(_("held by a sender until"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("accepted by the mail server"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    failed_at = models.DateTimeField(_("gave up"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbound_unsent_idx",
                condition=models.Q(sent_at=None, failed_at=None),
            ),
            models.Index(fields=["content_type", "object_id"], name="outbound_origin_idx"),
            models.Index(fields=["claim"], name="outbound_claim_idx", condition=~models.Q(claim="")),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "pending"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]


class MailServerStatus(models.Model):
    """What the senders last learnt of the mail server (one row): since when it has refused or not answered
    (empty while it answers), and the last error. Shown at once on the dashboard and "Needs attention"."""

    ROW = 1

    down_since = models.DateTimeField(_("refusing or silent since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    checked_at = models.DateTimeField(_("last tried"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail server status")
        verbose_name_plural = _("mail server status")

    def __str__(self):
        return str(_("mail server"))

    @classmethod
    def outage(cls) -> MailServerStatus | None:
        """The mail server's current outage, or None while it answers."""
        return cls.objects.filter(pk=cls.ROW, down_since__isnull=False).first()

    @classmethod
    def record_failure(cls, *, error: str, at) -> None:
        """The server refused or did not answer; the outage starts now unless it had already started."""
        cls.objects.get_or_create(pk=cls.ROW)
        cls.objects.filter(pk=cls.ROW, down_since=None).update(down_since=at)
        cls.objects.filter(pk=cls.ROW).update(last_error=error, checked_at=at)

    @classmethod
    def record_answer(cls, *, at) -> bool:
        """The server answered: True if this ends an outage (for exactly one of several senders)."""
        return bool(
            cls.objects.filter(pk=cls.ROW, down_since__isnull=False).update(
                down_since=None, last_error="", checked_at=at
            )
        )
