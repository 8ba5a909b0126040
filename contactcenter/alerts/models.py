"""The alert outbox: one row per (clock, round, level, reminder, recipient), sent later, outside the scan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contactcenter.deadlines.models import Deadline, Level


class AlertQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at=None, failed_at=None)

    def ready(self, now):
        """Unsent alerts whose next attempt is due and that no sender holds."""
        return (
            self.unsent()
            .filter(next_attempt_at__lte=now)
            .filter(models.Q(claimed_until=None) | models.Q(claimed_until__lt=now))
        )

    def failed(self):
        return self.filter(failed_at__isnull=False)


class Alert(models.Model):
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
        ]

    def __str__(self):
        return f"{self.get_level_display()} · {self.deadline} → {self.recipient}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "pending"
