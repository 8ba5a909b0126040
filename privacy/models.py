"""How long each kind of personal data is kept (one row per kind, edited in the admin), and the record of
every retention run."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from contactcenter.formats import current_moment_text


class Kind(models.TextChoices):
    OUTBOX_BODIES = "outbox_email_bodies", _("bodies of sent e-mails")
    CLOSED_CALLBACKS = "closed_callbacks", _("closed callbacks")
    CLOSED_COMPLAINTS = "closed_complaints", _("closed complaints and their photos")
    AUDIT_ENTRIES = "audit_entries", _("audit trail entries")
    WEBHOOK_DELIVERIES = "webhook_deliveries", _("delivered and given-up webhooks")


# The shortest period an administrator may set: a complaint is kept at least as long as the customer may still go to
# court over it (three years, the general limitation period of the Russian Civil Code, art. 196); the audit trail a
# year, for the yearly review; a webhook a week, to look into a receiver's complaint; the rest long enough that a case
# closed by mistake can be reopened.
MINIMUM_DAYS = {
    Kind.OUTBOX_BODIES: 30,
    Kind.CLOSED_CALLBACKS: 90,
    Kind.CLOSED_COMPLAINTS: 3 * 365 + 1,
    Kind.AUDIT_ENTRIES: 365,
    Kind.WEBHOOK_DELIVERIES: 7,
}


class RetentionPeriod(models.Model):
    kind = models.CharField(_("kind of data"), max_length=32, choices=Kind.choices, unique=True)
    days = models.PositiveIntegerField(
        _("kept for (days)"),
        help_text=_("Counted from the moment the e-mail was sent, the case closed, or the entry written."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["kind"]
        permissions = [
            ("export_customer_data", _("Can export a customer's personal data")),
            ("erase_customer_data", _("Can erase a customer's personal data on request")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days}"

    def clean(self):
        minimum = MINIMUM_DAYS.get(self.kind)
        if minimum is not None and self.days is not None and self.days < minimum:
            raise ValidationError(
                {"days": _("At least %(minimum)d days for this kind of data.") % {"minimum": minimum}}
            )


class RetentionRun(models.Model):
    """One run of the retention rules (not a dry run, which writes nothing): when, and what it removed or
    anonymised of each kind."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    figures = models.JSONField(_("what was done"), default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self):
        return current_moment_text(self.started_at)
